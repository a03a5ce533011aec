"""The one request builder: a prompt (+ system prompt) as chat messages or as raw text for a base model."""

from __future__ import annotations

from providers.base import ChatMessage, GenerationRequest


def build_request(model_id: str, prompt: str, chat: bool, system: str | None = None,
                  assistant_prefix: str = "", **params) -> GenerationRequest:
    """Chat: the prompt is the user's message and the system prompt stays apart (the chat
    template places it). Raw: a base model continues text, so the system prompt is simply put
    in front. `assistant_prefix` is text the model is to continue (the explorer's trail);
    `params` are GenerationRequest's sampling fields."""
    if chat:
        msgs = [ChatMessage("user", prompt)]
        if assistant_prefix:
            msgs.append(ChatMessage("assistant", assistant_prefix))
        return GenerationRequest(model=model_id, messages=tuple(msgs), system=system or None, **params)
    raw = f"{system}\n\n{prompt}" if system else prompt
    return GenerationRequest(model=model_id, prompt=raw + assistant_prefix, **params)
