"""A GGUF file's key–value metadata read straight from its header, without llama.cpp.

Why: loading the weights and starting a model's scheduler (which calibrates its decode rows)
took 2–6 s per model on 2 cores, and the Compare page only needs the model's facts to draw
itself (chat or completion, family, size, quantization, vocabulary, context). Those are all in
the header; reading it costs milliseconds, so the weights load on the first generation instead.

Format (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), little-endian: magic
`GGUF`, uint32 version (2 or 3), uint64 tensor count, uint64 key–value count, then each pair as
a string key, a uint32 value type and the value. Strings are a uint64 length and UTF-8 bytes;
arrays are a uint32 element type, a uint64 count and the elements. Big arrays (the vocabulary,
its scores and merges) are skipped and kept as their length only.
"""

from __future__ import annotations

import mmap
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

from providers.base import ModelLoadError

# value type -> struct format of one scalar (8 = string, 9 = array are handled apart)
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_U64 = struct.Struct("<Q")
SMALL_ARRAY = 64  # arrays up to this many elements are kept whole; longer ones as ArrayInfo


@dataclass(frozen=True)
class ArrayInfo:
    """A long array in the header (e.g. `tokenizer.ggml.tokens`): its element type and length."""

    element_type: int
    length: int

    def __len__(self) -> int:
        return self.length


class _Reader:
    def __init__(self, buf, path: Path) -> None:
        self.buf, self.pos, self.path = buf, 0, path

    def _bad(self, why: str) -> ModelLoadError:
        return ModelLoadError(f"{self.path.name} is not a readable GGUF model file ({why}). Is the file corrupt or truncated?")

    def unpack(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise self._bad("header ends early")
        (v,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return v

    def string(self) -> str:
        n = self.unpack("<Q")
        if self.pos + n > len(self.buf):
            raise self._bad("a string runs past the end of the file")
        s = bytes(self.buf[self.pos: self.pos + n]).decode("utf-8", errors="replace")
        self.pos += n
        return s

    def value(self, vtype: int):
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            etype, n = self.unpack("<I"), self.unpack("<Q")
            if n <= SMALL_ARRAY:
                return [self.value(etype) for _ in range(n)]
            if etype in _SCALARS:
                self.pos += n * struct.calcsize(_SCALARS[etype])
                if self.pos > len(self.buf):
                    raise self._bad("an array runs past the end of the file")
            elif etype == _STRING:  # a tight loop: Gemma's vocabulary has 262,144 strings
                length, buf, pos = _U64.unpack_from, self.buf, self.pos
                for _ in range(n):
                    pos += 8 + length(buf, pos)[0]
                self.pos = pos
                if pos > len(buf):
                    raise self._bad("an array runs past the end of the file")
            else:  # arrays of arrays: walk them
                for _ in range(n):
                    self.value(etype)
            return ArrayInfo(etype, n)
        raise self._bad(f"unknown value type {vtype}")


def _read_header(path: Path, with_tensors: bool) -> tuple[dict[str, object], GgufTensors | None]:
    """The header's key–value pairs and, when asked, its tensor infos (see read_gguf_tensors)."""
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            r = _Reader(buf, Path(path))
            if bytes(buf[:4]) != b"GGUF":  # the words check_gguf_header uses
                raise ModelLoadError(f"{Path(path).name} is not a GGUF model file (wrong header). "
                                     "Is the file corrupt or truncated?")
            r.pos = 4
            version = r.unpack("<I")
            if version not in (2, 3):
                raise r._bad(f"GGUF version {version}, expected 2 or 3")
            n_tensors = r.unpack("<Q")
            n_kv = r.unpack("<Q")
            out: dict[str, object] = {"GGUF.version": version}
            for _ in range(n_kv):
                key = r.string()
                out[key] = r.value(r.unpack("<I"))
            if not with_tensors:
                return out, None
            tensors = []
            for _ in range(n_tensors):
                name = r.string()
                n_dims = r.unpack("<I")
                if n_dims > 8:
                    raise r._bad(f"tensor {name} has {n_dims} dimensions")
                dims = tuple(r.unpack("<Q") for _ in range(n_dims))
                ggml_type = r.unpack("<I")
                offset = r.unpack("<Q")
                tensors.append(TensorInfo(name, dims, ggml_type, offset))
            align = out.get("general.alignment", 32)
            align = align if isinstance(align, int) and align > 0 else 32
            data_offset = -(-r.pos // align) * align
            return out, GgufTensors(tuple(tensors), data_offset, align, len(buf))
    except OSError as exc:
        raise ModelLoadError(f"Cannot read {Path(path).name}: {exc.strerror or exc}.") from None
    except struct.error:
        raise ModelLoadError(f"{Path(path).name} is not a readable GGUF model file (header ends early). "
                             "Is the file corrupt or truncated?") from None
    except ValueError:  # mmap of an empty file
        raise ModelLoadError(f"{Path(path).name} is empty: it is not a GGUF model file.") from None


def read_gguf_metadata(path: Path) -> dict[str, object]:
    """Every key–value pair of the GGUF header at `path` (long arrays as ArrayInfo).

    Raises ModelLoadError with a readable message for a missing, non-GGUF or truncated file."""
    return _read_header(Path(path), with_tensors=False)[0]


# ggml type -> (name, elements per block, bytes per block), from ggml.c's type_traits
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
    12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
    20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
    24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17),
}


@dataclass(frozen=True)
class TensorInfo:
    """One tensor of the file: its name, shape, ggml storage type and offset in the data section."""

    name: str
    dims: tuple[int, ...]
    ggml_type: int
    offset: int

    @property
    def n_elements(self) -> int:
        n = 1
        for d in self.dims:
            n *= d
        return n

    @property
    def type_name(self) -> str:
        t = GGML_TYPES.get(self.ggml_type)
        return t[0] if t else f"type {self.ggml_type}"

    @property
    def n_bytes(self) -> int | None:
        """Bytes of its data: whole blocks of its type (None for a type this table does not know)."""
        t = GGML_TYPES.get(self.ggml_type)
        if t is None:
            return None
        _, block, size = t
        return -(-self.n_elements // block) * size


@dataclass(frozen=True)
class GgufTensors:
    """The tensor infos that follow the key–value pairs, and where the tensor data starts."""

    tensors: tuple[TensorInfo, ...]
    data_offset: int
    alignment: int
    file_size: int


_CACHE: dict[tuple[str, int, int], dict] = {}
_CACHE_LOCK = threading.Lock()


def gguf_metadata(path: Path) -> dict[str, object]:
    """read_gguf_metadata, once per file version (path, size, modification time) per process."""
    st = Path(path).stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is None:
        hit = read_gguf_metadata(Path(path))
        with _CACHE_LOCK:
            _CACHE[key] = hit
    return hit


_TENSOR_CACHE: dict[tuple[str, int, int], GgufTensors] = {}


def gguf_tensors(path: Path) -> GgufTensors:
    """The tensor infos of the GGUF at `path` (the key–value pairs are read again to reach them:
    milliseconds), once per file version per process. Raises ModelLoadError like gguf_metadata."""
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise ModelLoadError(f"Cannot read {Path(path).name}: {exc.strerror or exc}.") from None
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _CACHE_LOCK:
        hit = _TENSOR_CACHE.get(key)
    if hit is None:
        md, hit = _read_header(Path(path), with_tensors=True)
        with _CACHE_LOCK:
            _TENSOR_CACHE[key] = hit
            _CACHE.setdefault(key, md)
    return hit


def read_metadata(path: Path) -> dict[str, object]:
    """gguf_metadata for the models page: the same pairs, cached per file version.
    Raises ModelLoadError for an unreadable, non-GGUF or truncated file."""
    try:
        return gguf_metadata(Path(path))
    except OSError as exc:  # stat of a missing file
        raise ModelLoadError(f"Cannot read {Path(path).name}: {exc.strerror or exc}.") from None


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
