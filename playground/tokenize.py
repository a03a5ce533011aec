"""Tokenizers side by side: the embedded models' (llama.cpp), OpenAI's tiktoken encodings (offline),
and any local GGUF file's vocabulary; text → ids and pieces, counts, characters per token.

The tiktoken files are loaded offline by providers.tiktoken_files (the OpenAI-style provider
counts tokens with them too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Collection

from playground.explorer import embedded_model
from providers.base import GenerationRequest, InvalidRequest, ModelLoadError, ProviderError
from providers.embedded import check_gguf_header
from providers.tiktoken_files import bundled_encoding

TIKTOKEN_LABELS = {"o200k_base": "OpenAI o200k_base (GPT-4o, o1, o3)", "cl100k_base": "OpenAI cl100k_base (GPT-4, GPT-3.5)"}

# The same sentence in French and English: French usually costs more tokens (tokenizers
# trained mostly on English text have fewer whole French words in their vocabulary).
FR_EN_PAIR = (
    "La souris de l'ordinateur est un périphérique qui permet de déplacer le curseur à l'écran.",
    "The computer mouse is a device that lets you move the cursor on the screen.",
)


@dataclass(frozen=True)
class Token:
    id: int
    piece: str  # the token's text (partial UTF-8 bytes shown as <0xNN>)
    special: bool = False  # BOS and other control tokens the tokenizer adds


@dataclass(frozen=True)
class Tokenization:
    tokenizer: str  # key: embedded/<name>, tiktoken/<encoding>, gguf:<path>
    label: str
    tokens: tuple[Token, ...]
    vocab_size: int | None
    n_chars: int
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.tokens)

    @property
    def chars_per_token(self) -> float | None:
        n = sum(1 for t in self.tokens if not t.special)
        return self.n_chars / n if n else None

    def to_dict(self) -> dict:
        return {
            "tokenizer": self.tokenizer,
            "label": self.label,
            "count": self.count,
            "chars": self.n_chars,
            "chars_per_token": self.chars_per_token,
            "vocab_size": self.vocab_size,
            "note": self.note,
            "tokens": [{"id": t.id, "piece": t.piece, "special": t.special} for t in self.tokens],
        }


def piece_text(b: bytes) -> str:
    """A token's bytes as text; a partial UTF-8 sequence shows as <0xNN> bytes."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{x:02X}>" for x in b)


# ---------------------------------------------------------------- embedded (llama.cpp)
def tokenize_embedded(registry, model_id: str, text: str) -> Tokenization:
    """Exactly what the model sees for a raw prompt (BOS included when the model adds one)."""
    m = embedded_model(registry, model_id)
    if m is None:
        raise InvalidRequest(f"{model_id} is not an embedded model: its tokenizer is not available offline.")
    _, ids = m.prompt_tokens(GenerationRequest(model=model_id, prompt=text))
    bos = m.bos
    tokens = tuple(Token(int(i), m.piece(int(i)), special=(int(i) == bos and j == 0)) for j, i in enumerate(ids))
    return Tokenization(model_id, model_id, tokens, m.n_vocab, len(text))


# ---------------------------------------------------------------- tiktoken, offline
def tokenize_tiktoken(name: str, text: str) -> Tokenization:
    enc = bundled_encoding(name)
    ids = enc.encode(text, disallowed_special=())
    tokens = tuple(Token(int(i), piece_text(enc.decode_single_token_bytes(i))) for i in ids)
    return Tokenization(f"tiktoken/{name}", TIKTOKEN_LABELS.get(name, name), tokens, enc.n_vocab, len(text))


# ---------------------------------------------------------------- any local GGUF file
# Vocab-only loads stay cached, but only the few most recent: each one holds a whole vocabulary
# (tens of MB for 150k-token models) and the page may be offered many files.
GGUF_CACHE_SIZE = 4
_gguf: OrderedDict = OrderedDict()
_gguf_lock = threading.Lock()


def _gguf_key(path: str | Path) -> str:
    p = Path(str(path)).expanduser()
    try:
        return str(p.resolve())
    except OSError:
        return str(p)


def gguf_vocab(path: str | Path):
    """A vocab-only llama.cpp load of a GGUF file (no weights: fast, little memory); LRU-cached."""
    p = Path(str(path)).expanduser()
    key = _gguf_key(p) if p.exists() else str(p)
    with _gguf_lock:
        if key in _gguf:
            _gguf.move_to_end(key)
            return _gguf[key]
        if not p.is_file():
            raise ModelLoadError(f"No file at {p}: give the path of a .gguf file on this machine.")
        check_gguf_header(p)
        from llama_cpp import Llama  # llama.cpp's shared library loads only when a GGUF file is opened

        try:
            llm = Llama(model_path=str(p), vocab_only=True, verbose=False)
        except Exception as exc:
            raise ModelLoadError(f"llama.cpp could not read the vocabulary of {p.name}: {exc}") from None
        _gguf[key] = llm
        while len(_gguf) > GGUF_CACHE_SIZE:
            _, old = _gguf.popitem(last=False)
            close = getattr(old, "close", None)
            if callable(close):  # free the vocabulary now rather than at some later GC
                try:
                    close()
                except Exception:
                    pass
        return llm


def gguf_cached() -> list[str]:
    """Resolved paths of the vocabularies held in memory, least recently used first."""
    with _gguf_lock:
        return list(_gguf)


def check_gguf_allowed(path: str, allowed: Collection[str] | None) -> None:
    """Refuse a path the server does not offer (`allowed` None: any path, for the CLI / trusted setups).

    Checked before the file system is touched, so a visitor cannot learn which paths exist.
    """
    if allowed is None:
        return
    if _gguf_key(path) not in {_gguf_key(a) for a in allowed}:
        raise InvalidRequest("This GGUF file is not one the server offers: pick one from the list.")


def tokenize_gguf(path: str | Path, text: str) -> Tokenization:
    llm = gguf_vocab(path)
    md = llm.metadata or {}
    wants_bos = str(md.get("tokenizer.ggml.add_bos_token", "true")).lower() == "true"
    ids = llm.tokenize(text.encode("utf-8"), add_bos=wants_bos, special=False)
    bos = llm.token_bos()
    tokens = tuple(
        Token(int(i), piece_text(llm.detokenize([int(i)], special=True)), special=(j == 0 and int(i) == bos and wants_bos))
        for j, i in enumerate(ids)
    )
    name = md.get("general.name") or Path(str(path)).name
    return Tokenization(f"gguf:{path}", f"{name} (GGUF)", tokens, llm.n_vocab(), len(text))


# ---------------------------------------------------------------- dispatch
def tokenize_with(registry, tokenizer: str, text: str, gguf_allowed: Collection[str] | None = None) -> Tokenization:
    """`tokenizer` is a model id (embedded/...), `tiktoken/<encoding>`, or `gguf:<path>`.

    `gguf_allowed`: the only GGUF paths that may be opened (None: any path).
    """
    if tokenizer.startswith("tiktoken/"):
        return tokenize_tiktoken(tokenizer.split("/", 1)[1], text)
    if tokenizer.startswith("gguf:"):
        check_gguf_allowed(tokenizer[5:], gguf_allowed)
        return tokenize_gguf(tokenizer[5:], text)
    return tokenize_embedded(registry, tokenizer, text)


def compare_tokenizers(registry, tokenizers: list[str], text: str,
                       gguf_allowed: Collection[str] | None = None) -> list[Tokenization | ProviderError]:
    """Each tokenizer's result, or the readable error that tokenizer raised (the others carry on)."""
    out: list[Tokenization | ProviderError] = []
    for t in tokenizers:
        try:
            out.append(tokenize_with(registry, t, text, gguf_allowed))
        except ProviderError as exc:
            out.append(exc)
    return out
