"""A GGUF loaded once per process: llama.cpp's model (weights, vocabulary, metadata, chat
template) shared by every session. Decoding happens in the model's scheduler (engine.py)."""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import llama_cpp
from llama_cpp._internals import LlamaModel
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from providers.base import GenerationRequest, InvalidRequest, ModelLoadError
from providers.embedded.files import check_gguf_header


def piece_text(b: bytes) -> str:
    """A token's bytes as text; a partial UTF-8 sequence shows as <0xNN> bytes."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{x:02X}>" for x in b)


@dataclass
class LoadedModel:
    """Weights and tokenizer of one GGUF; `engine` (set by the provider) owns its decoding context."""

    name: str
    path: Path
    model: LlamaModel
    mode: str  # "chat" or "completion"
    n_ctx: int  # the most tokens one sequence may hold
    metadata: dict
    chat_formatter: Jinja2ChatFormatter | None = None
    engine: object = None  # providers.embedded.engine.Engine, created by the provider
    _pieces: dict = field(default_factory=dict)

    @property
    def n_vocab(self) -> int:
        return self.model.n_vocab()

    @property
    def bos(self) -> int:
        return self.model.token_bos()

    def piece(self, token_id: int) -> str:
        p = self._pieces.get(token_id)
        if p is None:
            p = piece_text(self.piece_bytes(token_id))
            self._pieces[token_id] = p
        return p

    def piece_bytes(self, token_id: int) -> bytes:
        return self.model.detokenize([int(token_id)], special=True)

    def is_eog(self, token_id: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.model.vocab, token_id))

    def tokenize(self, text: str, add_bos: bool, special: bool) -> list[int]:
        return list(self.model.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special))

    def render_chat(self, messages: list[dict]) -> str:
        if self.chat_formatter is None:
            raise InvalidRequest(f"{self.name} has no chat template: use it in completion mode (raw prompt).")
        return self.chat_formatter(messages=messages).prompt

    def prompt_tokens(self, request: GenerationRequest) -> tuple[str, list[int]]:
        """(text, ids) of the prompt as the model sees it (chat template applied for chat)."""
        if request.is_chat:
            text = self.render_chat([{"role": m.role, "content": m.content} for m in request.chat_messages()])
            # The template writes its own special tokens; add BOS only if the model wants one
            # and the template did not already put it there.
            ids = self.tokenize(text, add_bos=False, special=True)
            if self._wants_bos() and self.bos >= 0 and (not ids or ids[0] != self.bos):
                ids = [self.bos] + ids
            return text, ids
        text = request.prompt or ""
        return text, self.tokenize(text, add_bos=self._wants_bos(), special=False)

    def _wants_bos(self) -> bool:
        v = self.metadata.get("tokenizer.ggml.add_bos_token")
        return v is None or str(v).lower() == "true"


_LOG_CALLBACK = None


def _quiet_llama_logs() -> None:
    """llama.cpp prints notices (e.g. about Gemma's SWA cache) to stderr even with verbose=False;
    keep the CLI and logs clean unless PLAYGROUND_LLAMA_LOG=1."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None or os.environ.get("PLAYGROUND_LLAMA_LOG"):
        return

    @llama_cpp.llama_log_callback
    def _drop(level, text, user_data):  # noqa: ARG001 - signature fixed by llama.cpp
        return None

    _LOG_CALLBACK = _drop  # keep a reference: ctypes callbacks must outlive their use
    llama_cpp.llama_log_set(_drop, ctypes.c_void_p(0))


_LOADED: dict[str, LoadedModel] = {}
_LOAD_LOCK = threading.Lock()


def is_model_loaded(path: Path) -> bool:
    """Are the weights of the GGUF at `path` in this process's memory?"""
    return str(path) in _LOADED


def loaded_models() -> list[str]:
    """Paths of every GGUF whose weights this process has loaded."""
    return list(_LOADED)


def load_model(name: str, path: Path, n_ctx: int, mode: str | None) -> LoadedModel:
    """The process-wide LoadedModel for `path` (loaded on first use)."""
    key = str(path)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        if not path.exists():
            raise ModelLoadError(f"GGUF file not found: {path}. Check the path in your configuration.")
        check_gguf_header(path)
        _quiet_llama_logs()
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        # No weight repacking: measured, it crashes when a context serves several sequences,
        # and the plain kernels keep batched decoding bit-identical to solo (docs/CLASSROOM.md).
        params.use_extra_bufts = False
        try:
            model = LlamaModel(path_model=str(path), params=params, verbose=False)
        except Exception as exc:
            raise ModelLoadError(f"llama.cpp could not load {path.name}: the file is corrupt or unsupported ({exc}).") from None
        metadata = dict(model.metadata() or {})
        template = metadata.get("tokenizer.chat_template")
        formatter = None
        if template:
            eos = model.token_get_text(model.token_eos()) if model.token_eos() >= 0 else ""
            bos = model.token_get_text(model.token_bos()) if model.token_bos() >= 0 else ""
            formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, add_generation_prompt=True)
        loaded = LoadedModel(
            name=name,
            path=path,
            model=model,
            mode=mode or ("chat" if template else "completion"),
            n_ctx=min(n_ctx, model.n_ctx_train()) if model.n_ctx_train() > 0 else n_ctx,
            metadata=metadata,
            chat_formatter=formatter,
        )
        _LOADED[key] = loaded
        return loaded
