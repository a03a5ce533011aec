"""A GGUF file's header key/values read without llama.cpp: what the models page shows (family,
size label, quantization, trained context, chat template present?) for every file, without
loading weights. Arrays (the vocabulary) are skipped, not decoded.

Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md — magic "GGUF", uint32
version (2 or 3), uint64 tensor count, uint64 key/value count, then the key/values,
little-endian."""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from providers.base import ModelLoadError

# value type -> struct format of one scalar (8 = string, 9 = array are handled apart)
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
# Long strings we only need to know exist (a chat template can be kilobytes; still read: it is small).
_MAX_KEYS = 100_000


def _read(fh, n: int) -> bytes:
    b = fh.read(n)
    if len(b) != n:
        raise EOFError
    return b


def _string(fh) -> str:
    (n,) = struct.unpack("<Q", _read(fh, 8))
    return _read(fh, n).decode("utf-8", errors="replace")


def _skip_array(fh) -> int:
    """Skip an array value; returns its length."""
    (etype,) = struct.unpack("<I", _read(fh, 4))
    (n,) = struct.unpack("<Q", _read(fh, 8))
    if etype in _SCALARS:
        fh.seek(n * struct.calcsize(_SCALARS[etype]), 1)
    elif etype == _STRING:
        for _ in range(n):
            (m,) = struct.unpack("<Q", _read(fh, 8))
            fh.seek(m, 1)
    elif etype == _ARRAY:
        for _ in range(n):
            _skip_array(fh)
    else:
        raise ValueError(f"unknown GGUF array type {etype}")
    return n


def _value(fh, vtype: int):
    if vtype in _SCALARS:
        fmt = _SCALARS[vtype]
        return struct.unpack(fmt, _read(fh, struct.calcsize(fmt)))[0]
    if vtype == _STRING:
        return _string(fh)
    if vtype == _ARRAY:
        return {"array_length": _skip_array(fh)}
    raise ValueError(f"unknown GGUF value type {vtype}")


@lru_cache(maxsize=64)
def _cached(path: str, size: int, mtime: float) -> dict:  # noqa: ARG001 - size/mtime key the cache
    with open(path, "rb", buffering=1 << 16) as fh:
        if _read(fh, 4) != b"GGUF":
            raise ModelLoadError(f"{Path(path).name} is not a GGUF model file (wrong header).")
        (version,) = struct.unpack("<I", _read(fh, 4))
        if version < 2:
            raise ModelLoadError(f"{Path(path).name} is a GGUF version {version} file: too old, convert it again.")
        _tensors, n_kv = struct.unpack("<QQ", _read(fh, 16))
        out: dict = {"gguf.version": version}
        for _ in range(min(n_kv, _MAX_KEYS)):
            key = _string(fh)
            (vtype,) = struct.unpack("<I", _read(fh, 4))
            out[key] = _value(fh, vtype)
        return out


def read_metadata(path: Path) -> dict:
    """Every key/value of the header (arrays as {"array_length": n}); cached per file version.

    Raises ModelLoadError when the file is unreadable, not GGUF or truncated."""
    try:
        st = Path(path).stat()
        return _cached(str(path), st.st_size, st.st_mtime)
    except ModelLoadError:
        raise
    except OSError as exc:
        raise ModelLoadError(f"Cannot read {Path(path).name}: {exc.strerror}.") from None
    except (EOFError, ValueError, struct.error):
        raise ModelLoadError(f"{Path(path).name}: the GGUF header is truncated or corrupt.") from None


_FILE_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
               12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 32: "BF16"}


def quant_name(file_type) -> str:
    """llama.cpp's `general.file_type` number as its usual name (15 -> Q4_K_M)."""
    try:
        return _FILE_TYPES.get(int(file_type), str(file_type))
    except (TypeError, ValueError):
        return ""


def summary(path: Path) -> dict:
    """What the models page shows about one GGUF: family, parameters, quantization, context, size."""
    md = read_metadata(path)
    arch = str(md.get("general.architecture") or "")
    return {
        "family": arch or None,
        "parameter_size": md.get("general.size_label") or None,
        "quantization": quant_name(md.get("general.file_type")) or None,
        "context_length": md.get(f"{arch}.context_length") if arch else None,
        "chat_template": bool(md.get("tokenizer.chat_template")),
        "size_bytes": Path(path).stat().st_size,
        "name": md.get("general.name") or None,
    }
