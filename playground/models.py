"""The models people ask for: every model with what it is (family, parameters, quantization,
file size, context length) and where it runs; pulling one into Ollama or downloading a GGUF from
the Hugging Face hub into the embedded backend, with progress and cancel; deleting one.

Shared by the models page and `python -m playground pull / rm / models`. No Streamlit: a pull
runs in a PullJob thread that the page polls, or in the foreground for the CLI."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from playground import numbers
from playground.i18n import NNBSP
from providers.base import InvalidRequest, ModelInfo, ProviderError, split_model_id
from providers.embedded.gguf_meta import summary as gguf_summary
from providers.hf_download import HubFile, download_gguf, parse_hub_file
from providers.pulls import PullProgress
from providers.registry import Registry


@dataclass(frozen=True)
class Curated:
    """A GGUF that fits a laptop, offered in one click (real repo ids and file names)."""

    repo_id: str
    filename: str
    label: str
    size_mb: int  # the file, as the hub lists it
    ram_gb: float  # what running it takes, about (weights + a 2k context)
    heavy: bool = False  # warn before downloading: more RAM than a workshop laptop spares

    @property
    def hub(self) -> HubFile:
        return HubFile(self.repo_id, self.filename)


CURATED: tuple[Curated, ...] = (
    Curated("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", "Qwen2.5 0.5B Instruct · Q4_K_M",
            491, 1.0),
    Curated("Qwen/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b-instruct-q4_k_m.gguf", "Qwen2.5 1.5B Instruct · Q4_K_M",
            1120, 2.0),
    Curated("ggml-org/gemma-3-1b-it-GGUF", "gemma-3-1b-it-Q4_K_M.gguf", "Gemma 3 1B it · Q4_K_M", 806, 1.5),
    Curated("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", "mistral-7b-instruct-v0.2.Q4_K_M.gguf",
            "Mistral 7B Instruct v0.2 · Q4_K_M", 4370, 6.5, heavy=True),
)
# Small models of Ollama's library, offered as suggestions (any name:tag can be typed).
OLLAMA_SUGGESTIONS = ("qwen2.5:0.5b", "qwen2.5:1.5b", "gemma3:1b", "llama3.2:1b", "mistral:7b")


# ---------------------------------------------------------------- the inventory
@dataclass(frozen=True)
class ModelRow:
    """One line of the models table."""

    id: str
    provider: str
    kind: str  # the backend kind (embedded, ollama, openai, azure, openrouter, compatible)
    family: str | None = None
    parameters: str | None = None
    quantization: str | None = None
    size_bytes: int | None = None
    context_length: int | None = None
    where: str = ""  # the host, or "in-process" + the file for embedded models
    source: str | None = None  # embedded: bundled | file | hub
    deletable: bool = False


def _embedded_row(provider, m: ModelInfo, kind: str) -> ModelRow:
    spec = provider.specs().get(m.name)
    path = provider.model_file(m.name)
    info: dict = {}
    if path is not None:
        try:
            info = gguf_summary(path)
        except ProviderError:
            info = {}
    return ModelRow(id=m.id, provider=m.provider, kind=kind, family=info.get("family"),
                    parameters=info.get("parameter_size"), quantization=info.get("quantization"),
                    size_bytes=info.get("size_bytes"), context_length=info.get("context_length"),
                    where=str(path) if path else "", source=spec.source if spec else None,
                    deletable=bool(spec and spec.hub is not None))


def _remote_row(provider, m: ModelInfo, kind: str, address: str) -> ModelRow:
    d = dict(m.details)
    context = None
    if kind == "ollama":
        try:  # /api/show: the trained context and, on a fresh listing, the same family/size
            caps = provider.capabilities(m.name)
            context = caps.context_length
            d = {**caps.details, **d}
        except ProviderError:
            pass
    return ModelRow(id=m.id, provider=m.provider, kind=kind, family=d.get("family"), parameters=d.get("parameter_size"),
                    quantization=d.get("quantization"), size_bytes=d.get("size_bytes"), context_length=context,
                    where=d.get("host") or address, deletable=kind == "ollama")


def inventory(registry: Registry) -> tuple[list[ModelRow], dict[str, str]]:
    """Every model of every backend as table rows, and a readable error per backend that failed.

    Embedded files are described from their GGUF header (no weights loaded); Ollama models from
    /api/tags and /api/show (asked in parallel); cloud models say only where they run."""
    models, errors = registry.list_models()

    def row(m: ModelInfo) -> ModelRow:
        about = registry.describe(m.provider)
        provider = registry.get(m.provider)
        if about.kind == "embedded":
            return _embedded_row(provider, m, about.kind)
        return _remote_row(provider, m, about.kind, about.address or "")

    if not models:
        return [], errors
    with ThreadPoolExecutor(max_workers=min(8, len(models))) as pool:
        return list(pool.map(row, models)), errors


# ---------------------------------------------------------------- pulling
@dataclass(frozen=True)
class PullTarget:
    """What to pull: an Ollama model on one Ollama host, or a GGUF from the hub (embedded backend)."""

    provider: str  # "ollama", "ollama-<host>", or "embedded" for the hub
    model: str  # Ollama's name:tag, or the hub file's spec
    hub: HubFile | None = None

    @property
    def label(self) -> str:
        return self.hub.spec if self.hub else f"{self.provider}/{self.model}"


def ollama_hosts(registry: Registry) -> list[str]:
    """Names of the configured Ollama hosts (`ollama`, `ollama-gpu`, …)."""
    return [n for n in registry.names if registry.describe(n).kind == "ollama"]


def parse_target(text: str, registry: Registry) -> PullTarget:
    """`ollama/qwen2.5:0.5b`, `ollama-gpu/…`, `hf:owner/repo/file.gguf` -> a PullTarget, or
    InvalidRequest saying what to write instead."""
    raw = (text or "").strip()
    if raw.startswith("hf:") or (raw.lower().endswith(".gguf") and raw.count("/") >= 2 and not raw.startswith("ollama")):
        return PullTarget("embedded", raw, parse_hub_file(raw))
    provider, _, model = raw.partition("/")
    if not model or not provider.startswith("ollama"):
        raise InvalidRequest(f"“{raw}”: write ollama/<name:tag> (e.g. ollama/qwen2.5:0.5b) or hf:owner/repo/file.gguf.",
                             code="pull_bad_target", params={"model": raw})
    if provider not in ollama_hosts(registry):
        raise InvalidRequest(f"No Ollama host named “{provider}” is configured (set OLLAMA_HOST or [ollama] host).",
                             code="pull_no_ollama", params={"model": raw, "provider": provider})
    return PullTarget(provider, model.strip())


def pull(registry: Registry, target: PullTarget, cancel: threading.Event | None = None,
         report: Callable[[PullProgress], None] = lambda p: None) -> str:
    """Pull or download `target`, reporting progress; returns the new model's id.

    Raises a ProviderError (with an i18n code) when it fails or is cancelled."""
    if target.hub is None:
        for step in registry.get(target.provider).pull(target.model, cancel):
            report(step)
        return f"{target.provider}/{target.model}"
    path = download_gguf(target.hub, cancel=cancel, report=report)
    return embedded_id_for(registry, path) or f"embedded/{Path(target.hub.filename).stem.lower()}"


def embedded_id_for(registry: Registry, path: Path) -> str | None:
    """The embedded model id of a downloaded file (its name is decided by the embedded backend)."""
    embedded = registry.get("embedded")
    for name, spec in embedded.specs().items():
        if spec.hub is not None and Path(spec.hub.path) == Path(path):
            return f"embedded/{name}"
    return None


def remove(registry: Registry, model_id: str) -> None:
    """Delete an Ollama model (/api/delete) or a GGUF downloaded from the hub."""
    provider_name, model = split_model_id(model_id)
    about = registry.describe(provider_name)
    if about.kind not in ("ollama", "embedded"):
        raise InvalidRequest(f"{model_id} runs on {about.kind}: it cannot be deleted from here.",
                             code="delete_not_local", params={"model": model_id})
    registry.get(provider_name).delete(model)


@dataclass
class Overall:
    """Bytes of the whole pull: Ollama reports one layer at a time (by digest); they add up."""

    layers: dict[str, tuple[int, int]] = field(default_factory=dict)
    status: str = ""

    def add(self, step: PullProgress) -> None:
        self.status = step.status
        if step.total:
            self.layers[step.digest or "file"] = (step.completed or 0, step.total)

    @property
    def completed(self) -> int:
        return sum(c for c, _ in self.layers.values())

    @property
    def total(self) -> int:
        return sum(t for _, t in self.layers.values())

    @property
    def fraction(self) -> float | None:
        return min(1.0, self.completed / self.total) if self.total else None


class PullJob:
    """One pull in a background thread, for a page that redraws while it runs: the page reads
    `overall`, `done`, `model_id`, `error`; Cancel sets `cancel`; `on_done` runs in the thread
    after a successful pull."""

    def __init__(self, registry: Registry, target: PullTarget, on_done: Callable[[], None] | None = None) -> None:
        self.registry, self.target, self.on_done = registry, target, on_done
        self.cancel = threading.Event()
        self.overall = Overall()
        self.model_id: str | None = None
        self.error: ProviderError | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"pull {target.label}", daemon=True)

    def start(self) -> "PullJob":
        self._thread.start()
        return self

    @property
    def done(self) -> bool:
        return not self._thread.is_alive() and (self.model_id is not None or self.error is not None)

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done

    def _report(self, step: PullProgress) -> None:
        with self._lock:
            self.overall.add(step)

    def _run(self) -> None:
        try:
            model_id = pull(self.registry, self.target, self.cancel, self._report)
            if self.on_done is not None:  # e.g. forget the cached model lists, even if nobody watches the page
                self.on_done()
            self.model_id = model_id
        except ProviderError as exc:
            self.error = exc
        except Exception as exc:  # never a silent thread death: the page says what happened
            self.error = ProviderError(f"{self.target.label}: {type(exc).__name__}: {exc}", code="pull_failed",
                                       params={"model": self.target.label, "host": "", "detail": str(exc)})


# ---------------------------------------------------------------- numbers as people read them
def format_number(n: int | float | None, lang: str, digits: int = 0) -> str:
    """12345 -> "12 345" (fr, narrow no-break space) / "12,345" (en); decimal comma in French."""
    return numbers.number(n, lang, digits)


def format_size(n: int | None, lang: str) -> str:
    """Bytes as the person's language writes them: "1,2 Go" / "1.2 GB", "491 Mo" / "491 MB"."""
    return numbers.size(n, lang)


def format_percent(fraction: float | None, lang: str) -> str:
    if fraction is None:
        return "—"
    sep = NNBSP if lang == "fr" else ""
    return f"{format_number(fraction * 100, lang, 0)}{sep}%"


def format_label(text: str | None, lang: str) -> str:
    """A backend's own label ("494.03M", "1.5B") with the decimal separator of the language."""
    if not text:
        return "—"
    return text.replace(".", ",") if lang == "fr" else text
