"""Mini-RAG: documents → chunks → embeddings → the k nearest chunks to a question → a prompt that
holds them → the same model answering with and without that context, side by side.

Everything lives in memory, per session: a workshop's handful of pasted texts or small files,
never a vector database. The limits (MAX_BYTES, MAX_CHUNKS) keep one visitor's upload from
filling a shared instance's memory or its embedding model's queue for minutes.

Chunks are cut by characters (what a person sees and sets with a slider), and a cut moves back
to the end of a sentence when one is near, so a chunk rarely stops mid-sentence; the overlap is
always exactly `overlap` characters, so a fact cut in two is whole in one of the two chunks.
The answers run through the Compare machinery (`build_request`, `ColumnRun`), so they stream
and are measured like any Compare column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Sequence

from pypdf import PdfReader

from playground.errors import CodedError
from playground.i18n import DEFAULT_LANGUAGE, translate
from playground.request import build_request
from providers.base import GenerationRequest

MAX_BYTES = 5 * 1024 * 1024  # all documents together (pasted text counted in UTF-8 bytes)
MAX_CHUNKS = 200  # what one session may embed at once
MAX_QUESTION_CHARS = 2000
TEXT_TYPES = (".txt", ".md", ".markdown")
PDF_TYPES = (".pdf",)
UPLOAD_TYPES = tuple(t.lstrip(".") for t in TEXT_TYPES + PDF_TYPES)  # for st.file_uploader

# Where a cut may move back to: after a sentence's end (. ! ? … with closing quotes or brackets),
# or at a line break. Only the second half of a chunk is searched, so no chunk shrinks below half.
_SENTENCE_END = re.compile(r"[.!?…][\"'»)\]]*\s+|\n+")


class RagError(CodedError):
    """Refused input, with an i18n code (`rag.err.*`) and its parameters for the UI."""


@dataclass(frozen=True)
class Document:
    name: str
    text: str


@dataclass(frozen=True)
class Chunk:
    """text == the document's text[start:end] (offsets kept so a chunk can be shown in place)."""

    doc: str
    index: int  # 1-based, within its document
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based: the number the chunk has in the prompt
    chunk: Chunk
    score: float  # cosine similarity with the question


def _megabytes(n: int) -> float:
    """Megabytes, rounded up to a tenth (the UI writes the number in the reader's language)."""
    return -(-n * 10 // (1024 * 1024)) / 10


def check_total_size(sizes: Sequence[int]) -> None:
    """Refuse the whole set before reading anything when it is over MAX_BYTES."""
    total = sum(sizes)
    if total > MAX_BYTES:
        raise RagError(f"documents too large: {total} bytes > {MAX_BYTES}", "rag.err.too_big",
                       size=_megabytes(total), limit=_megabytes(MAX_BYTES))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, which is what an old French .txt is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _pdf_text(name: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise RagError(f"{name}: encrypted PDF", "rag.err.pdf_encrypted", name=name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except RagError:
        raise
    except Exception as exc:  # pypdf raises many types for a damaged file; all mean "unreadable"
        raise RagError(f"{name}: unreadable PDF ({exc})", "rag.err.pdf_unreadable", name=name) from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise RagError(f"{name}: no text in this PDF", "rag.err.pdf_no_text", name=name)
    return text


def read_document(name: str, data: bytes) -> Document:
    """A text, Markdown or PDF file as a Document; anything else, or a PDF with no readable text
    (damaged, encrypted, scanned images), is refused with the file's name."""
    suffix = PurePath(name).suffix.lower()
    if suffix in PDF_TYPES:
        return Document(name, _pdf_text(name, data))
    if suffix in TEXT_TYPES:
        text = _decode(data)
        if not text.strip():
            raise RagError(f"{name}: empty", "rag.err.empty_file", name=name)
        return Document(name, text)
    raise RagError(f"{name}: unsupported type", "rag.err.file_type", name=name, types=", ".join(UPLOAD_TYPES))


def split_pasted(text: str) -> list[str]:
    """Pasted documents, separated by a line holding only `---` (Markdown's rule)."""
    parts = re.split(r"^\s*---\s*$", text, flags=re.MULTILINE)
    return [p.strip() for p in parts if p.strip()]


def chunk_spans(text: str, size: int, overlap: int, sentences: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each chunk: at most `size` characters, each starting exactly `overlap`
    characters before the previous one ends. With `sentences`, a cut moves back to the last
    sentence end or line break in the chunk's second half, if there is one."""
    if size < 1:
        raise ValueError("size must be at least 1")
    if not 0 <= overlap < size:
        raise ValueError("overlap must be between 0 and size - 1")
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + size, n)
        if sentences and end < n:
            floor = start + max(size // 2, overlap + 1)
            cut = None
            for m in _SENTENCE_END.finditer(text, floor, end):
                cut = m.end()
            if cut is not None and cut > floor:
                end = cut
        spans.append((start, end))
        if end >= n:
            break
        start = end - overlap
    return spans


def chunk_documents(docs: Sequence[Document], size: int, overlap: int, sentences: bool = True) -> list[Chunk]:
    """Every document's chunks, in order; blank chunks dropped; refused above MAX_CHUNKS (the
    message says to take larger chunks or fewer documents)."""
    chunks: list[Chunk] = []
    for doc in docs:
        k = 0
        for start, end in chunk_spans(doc.text, size, overlap, sentences):
            piece = doc.text[start:end]
            if piece.strip():
                k += 1
                chunks.append(Chunk(doc.name, k, start, end, piece))
        if len(chunks) > MAX_CHUNKS:
            break
    if len(chunks) > MAX_CHUNKS:
        raise RagError(f"more than {MAX_CHUNKS} chunks", "rag.err.too_many_chunks", limit=MAX_CHUNKS)
    return chunks


def build_prompt(question: str, hits: Sequence[Hit], lang: str = DEFAULT_LANGUAGE) -> str:
    """The augmented prompt, exactly as sent: the instruction, the numbered chunks (with their
    document), then the question. Written in the UI's language, like the question."""
    blocks = [translate("rag.prompt.chunk", lang, n=h.rank, doc=h.chunk.doc, k=h.chunk.index) + "\n" + h.chunk.text.strip()
              for h in hits]
    return (translate("rag.prompt.instruction", lang) + "\n\n"
            + translate("rag.prompt.context", lang) + "\n" + "\n\n".join(blocks) + "\n\n"
            + translate("rag.prompt.question", lang, question=question.strip()) + "\n"
            + translate("rag.prompt.answer", lang))


def answer_requests(model_id: str, chat: bool, augmented: str, question: str, **params) -> list[GenerationRequest]:
    """[with the context, without it]: the same model and parameters; the second gets the bare
    question, so the only difference between the two columns is the retrieved context."""
    return [build_request(model_id, augmented, chat, **params),
            build_request(model_id, question.strip(), chat, **params)]


_WORD = re.compile(r"\w{3,}", re.UNICODE)


def highlight_segments(text: str, question: str) -> list[tuple[str, bool]]:
    """The chunk cut into (piece, is a word of the question) so a page can mark the words that
    the question and the chunk share (3 letters or more, any case). Joined, the pieces are the
    chunk exactly."""
    words = {w.casefold() for w in _WORD.findall(question)}
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _WORD.finditer(text):
        if m.group().casefold() in words:
            if m.start() > pos:
                out.append((text[pos:m.start()], False))
            out.append((m.group(), True))
            pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out
