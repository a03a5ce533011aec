"""Conversations in Compare: after a run, a follow-up continues each column's own conversation.

Each column keeps its own history — the person's messages and that column's own answers — and
its own model and parameters (those of its first turn). A follow-up is sent to every column at
once, so the columns stay aligned turn by turn and a conversation is a list of `Turn`s, each
holding one request and one result per column.

A turn that failed in one column (an error with no text, or stopped before any text) is left
out of that column's history, user message included, so chat templates that require user and
assistant to alternate still get a valid conversation; the column says which turns it is
continuing without (`missing_turns`). Text that did arrive (a dropped stream, a Stop) is kept:
it is what the model said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from playground.request import build_request
from playground.runner import Result
from providers.base import GenerationRequest

# The sampling fields a follow-up takes over from the column's previous request (and its JSON
# output: a conversation asked for JSON keeps asking for it, against the same schema).
SAMPLING_FIELDS = ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed", "stop", "top_logprobs", "num_ctx",
                   "json_output", "json_schema")


@dataclass
class Turn:
    """One message sent to every column, and what each column did with it."""

    prompt: str  # what the person typed for this turn
    requests: list[GenerationRequest]
    results: list[Result | None] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"prompt": self.prompt, "requests": [q.to_dict() for q in self.requests],
                "results": [r.to_dict() if r is not None else None for r in self.results]}

    @classmethod
    def from_dict(cls, d: Mapping) -> "Turn":
        reqs = [GenerationRequest.from_dict(q) for q in d.get("requests") or []]
        results = [Result.from_dict(r) if r else None for r in d.get("results") or []]
        return cls(prompt=str(d.get("prompt") or ""), requests=reqs, results=(results + [None] * len(reqs))[:len(reqs)])


def _answered(result: Result | None) -> bool:
    """Did this turn give the column something to continue from?"""
    if result is None:
        return False
    if result.text:
        return True
    return not (result.error or result.finish_reason in ("error", "cancelled"))


def exchanges(turns: Sequence[Turn], column: int) -> list[tuple[str, str]]:
    """Column `column`'s (user message, its own answer) pairs, failed turns left out."""
    out = []
    for t in turns:
        r = t.results[column] if column < len(t.results) else None
        if _answered(r):
            out.append((t.prompt, r.text))
    return out


def missing_turns(turns: Sequence[Turn], column: int) -> list[int]:
    """The turns (numbered from 1) column `column` continues without, because they failed there."""
    return [n for n, t in enumerate(turns, 1)
            if not _answered(t.results[column] if column < len(t.results) else None)]


def sampling_params(request: GenerationRequest) -> dict:
    return {k: getattr(request, k) for k in SAMPLING_FIELDS}


def follow_up_requests(turns: Sequence[Turn], prompt: str, system: str | None = None) -> list[GenerationRequest]:
    """One request per column continuing its own conversation with `prompt`: the column's model,
    chat or raw mode and parameters of its last turn, its own earlier exchanges, the same system
    prompt as the conversation's first turn."""
    if not turns:
        raise ValueError("A follow-up needs a conversation: run a first prompt.")
    out = []
    for i, prev in enumerate(turns[-1].requests):
        out.append(build_request(prev.model, prompt, prev.is_chat, system or None, history=exchanges(turns, i),
                                 **sampling_params(prev)))
    return out


def first_prompt(requests: Sequence[GenerationRequest]) -> str:
    """What the person typed, read back from a single-turn request (records made before
    conversations did not store it): the raw prompt, or the user message."""
    if not requests:
        return ""
    q = requests[0]
    if not q.is_chat:
        return q.prompt or ""
    users = [m.content for m in q.messages if m.role == "user"]
    return users[-1] if users else ""


def record_turns(record: Mapping) -> list[Turn]:
    """Every turn of a stored comparison, the last one included (one turn for older records)."""
    turns = [Turn.from_dict(t) for t in record.get("turns") or [] if isinstance(t, Mapping)]
    reqs = [GenerationRequest.from_dict(q) for q in record.get("requests") or []]
    results = [Result.from_dict(r) if r else None for r in record.get("results") or []]
    prompt = record.get("prompt")
    if prompt is None:
        prompt = first_prompt(reqs)
    turns.append(Turn(str(prompt), reqs, (results + [None] * len(reqs))[:len(reqs)]))
    return turns
