"""The one request builder: a prompt (+ system prompt, + the turns before it) as chat messages,
or as raw text for a base model."""

from __future__ import annotations

from collections.abc import Sequence

from providers.base import ChatMessage, GenerationRequest

# Between two turns of a base model's transcript: the text so far, a blank line, the new message.
TURN_SEPARATOR = "\n\n"


def build_request(model_id: str, prompt: str, chat: bool, system: str | None = None,
                  assistant_prefix: str = "", history: Sequence[tuple[str, str]] = (),
                  **params) -> GenerationRequest:
    """Chat: the prompt is the user's message and the system prompt stays apart (the chat
    template places it). Raw: a base model continues text, so the system prompt is simply put
    in front. `assistant_prefix` is text the model is to continue (the explorer's trail);
    `params` are GenerationRequest's sampling fields.

    `history` is a conversation's earlier (user message, answer) pairs. A chat model gets them as
    alternating user / assistant messages before the new one. A base model has no turns, only
    text: it gets the document it has been continuing (each earlier message followed by its own
    continuation, exactly as generated), a blank line, then the new message, and continues that
    — so a follow-up shows what a base model really does with a conversation."""
    if chat:
        msgs: list[ChatMessage] = []
        for user, answer in history:
            msgs += [ChatMessage("user", user), ChatMessage("assistant", answer)]
        msgs.append(ChatMessage("user", prompt))
        if assistant_prefix:
            msgs.append(ChatMessage("assistant", assistant_prefix))
        return GenerationRequest(model=model_id, messages=tuple(msgs), system=system or None, **params)
    transcript = "".join(user + answer + TURN_SEPARATOR for user, answer in history) + prompt
    raw = f"{system}\n\n{transcript}" if system else transcript
    return GenerationRequest(model=model_id, prompt=raw + assistant_prefix, **params)
