"""The Mini-RAG page's sections and session keys: documents in, chunking and embedding settings,
the question, the retrieved chunks (scores, shared words marked), the augmented prompt exactly
as sent, and the two answers streamed side by side like Compare columns.

The index (chunks and their vectors) is kept in this session only, and rebuilt only when the
documents, the chunking or the embedding model change: a new question re-embeds one line."""

from __future__ import annotations

import hashlib
import html
import threading
import time

import streamlit as st

from playground.compare import ColumnDone, ColumnEvent, ColumnRun
from playground.embeddings import DEFAULT_MODEL, list_embedding_models
from playground.i18n import catalogue, translate
from playground.rag import (
    MAX_QUESTION_CHARS,
    UPLOAD_TYPES,
    Document,
    Hit,
    RagError,
    answer_requests,
    build_prompt,
    check_total_size,
    chunk_documents,
    highlight_segments,
    read_document,
    split_pasted,
)
from playground.retrieval import Index, build_index, retrieve
from providers.base import ProviderError
from ui.common import browser_connected, lang, registry, session_id, tr
from ui.widgets import capabilities_or_error, error_text, metrics_html, model_picker, output_html, params_form

PASTE = "rag_paste"
UPLOAD = "rag_upload"
SIZE = "rag_size"
OVERLAP = "rag_overlap"
EMBED_MODEL = "rag_embed_model"
TOP_K = "rag_topk"
QUESTION = "rag_question"
ANSWER_MODEL = "rag_answer_model"
PARAMS = "rag_params"  # params_form prefix
ASK = "rag_ask"
STOP = "rag_stop"
INDEX = "_rag_index"  # (what it was built from, Index)
# {"n", "question", "hits", "prompt", "embed_model", "dims", "requests", "results", "run", "running",
#  "stopped", "cancel"}
STATE = "_rag_state"
RUNS = "_rag_runs"  # how many runs this session started (a finished run's marker carries its number)
EMBED_LIST = "_rag_embed_models"  # (when listed, model ids)
EMBED_LIST_TTL_S = 30.0


def _number(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang() == "fr" else text


def provider_error_text(exc: ProviderError) -> str:
    """An embedding backend's error in the reader's language when it has a translated code."""
    if exc.code and f"error.{exc.code}" in catalogue():
        try:
            return translate(f"error.{exc.code}", lang(), **exc.params)
        except (KeyError, IndexError, ValueError):
            pass
    return exc.message


def rag_error(exc: RagError) -> str:
    """A refusal in the reader's language (megabytes with a decimal comma in French)."""
    params = {k: _number(v, 1) if isinstance(v, float) else v for k, v in exc.params.items()}
    return tr(exc.code, **params)


def documents_section() -> list[Document]:
    """Pasted texts (split on `---` lines) and uploaded files; a file that cannot be read says
    why and the others are kept; a set over the size limit is refused whole."""
    st.subheader(tr("rag.docs"))
    pasted = st.text_area(tr("rag.paste"), key=PASTE, height=160)
    files = st.file_uploader(tr("rag.upload"), type=list(UPLOAD_TYPES), accept_multiple_files=True, key=UPLOAD) or []
    texts = split_pasted(pasted or "")
    try:
        check_total_size([len(t.encode("utf-8")) for t in texts] + [f.size for f in files])
    except RagError as exc:
        st.error(rag_error(exc))
        return []
    docs = [Document(tr("rag.pasted_name", n=i), t) for i, t in enumerate(texts, 1)]
    for f in files:
        try:
            docs.append(read_document(f.name, f.getvalue()))
        except RagError as exc:
            st.error(rag_error(exc))
    return docs


def _embedding_choices() -> list[str]:
    """The offline model first, then the backends' embedding models; listed at most every 30 s
    per session (a remote backend is asked over the network, and every slider move reruns)."""
    held = st.session_state.get(EMBED_LIST)
    if held is not None and time.monotonic() - held[0] < EMBED_LIST_TTL_S:
        return held[1]
    try:
        ids = [m.id for m in list_embedding_models(registry())]
    except Exception:  # a listing that failed still leaves the offline model
        ids = []
    ids = [DEFAULT_MODEL, *[i for i in ids if i != DEFAULT_MODEL]]
    st.session_state[EMBED_LIST] = (time.monotonic(), ids)
    return ids


def chunking_section(docs: list[Document]):
    """Size, overlap and the embedding model; returns (chunks or None, embedding model id or None)."""
    st.subheader(tr("rag.chunking"))
    c1, c2, c3 = st.columns(3)
    size = c1.slider(tr("rag.size"), 100, 2000, 400, 50, key=SIZE)
    overlap = c2.slider(tr("rag.overlap"), 0, 400, 50, 10, key=OVERLAP, help=tr("rag.overlap_help"))
    if overlap > size // 2:  # more would make nearly every chunk a copy of the one before
        overlap = size // 2
        c2.caption(tr("rag.overlap_capped", overlap=overlap))
    choices = _embedding_choices()
    if st.session_state.get(EMBED_MODEL) not in (None, *choices):
        del st.session_state[EMBED_MODEL]  # a backend that went away: back to the offline model
    embed_model = c3.selectbox(tr("rag.embed_model"), choices, key=EMBED_MODEL,
                               format_func=lambda m: tr("rag.default_embed", model=m) if m == DEFAULT_MODEL else m)
    if not docs:
        return None, embed_model
    try:
        chunks = chunk_documents(docs, size, overlap)
    except RagError as exc:
        st.error(rag_error(exc))
        return None, embed_model
    st.caption(tr("rag.summary", docs=len(docs), chunks=len(chunks)))
    return chunks, embed_model


def question_section(all_models) -> tuple[str, str | None, object, int, dict]:
    """(question, answering model, its capabilities, top-k, generation parameters)."""
    st.subheader(tr("rag.ask_section"))
    question = st.text_area(tr("rag.question"), key=QUESTION, height=70, max_chars=MAX_QUESTION_CHARS)
    c1, c2 = st.columns([3, 1])
    with c1:
        mid = model_picker(all_models, key=ANSWER_MODEL, label=tr("rag.answer_model"))
    k = int(c2.number_input(tr("rag.topk"), 1, 10, 3, key=TOP_K))
    caps = capabilities_or_error(mid)
    with st.expander(tr("compare.params")):
        params = params_form(PARAMS, caps)
    return question, mid, caps, k, params


def buttons_section() -> bool:
    """Retrieve-and-answer and Stop; a live run interrupted by this rerun is stopped, its text kept."""
    b1, b2, _ = st.columns([2, 1, 3])
    ask = b1.button(tr("rag.ask"), type="primary", key=ASK, width="stretch")
    b2.button(tr("rag.stop"), key=STOP, width="stretch")  # its click reruns: the check below stops the run
    state = st.session_state.get(STATE)
    if state and state.get("running"):
        state["running"] = False
        state["stopped"] = True
        if state.get("run") is not None:
            state["results"] = state["run"].stop()
    return ask


def _index_for(chunks, embed_model: str | None) -> Index:
    """This session's index, rebuilt only when what it is built from changed."""
    digest = hashlib.sha256("\x00".join(f"{c.doc}\x01{c.start}\x01{c.text}" for c in chunks).encode()).hexdigest()
    key = (embed_model, digest)
    held = st.session_state.get(INDEX)
    if held is not None and held[0] == key:
        return held[1]
    index = build_index(registry(), embed_model, chunks)
    st.session_state[INDEX] = (key, index)
    return index


def start_run(chunks, embed_model: str | None, question: str, mid: str | None, caps, k: int, params: dict) -> dict | None:
    """Embed (if needed), retrieve, build the prompt and the two requests; None after saying why not."""
    try:
        if not chunks:
            raise RagError("no documents", "rag.err.no_documents")
        if not question.strip():
            raise RagError("empty question", "rag.err.empty_question")
        with st.spinner(tr("rag.embedding")):
            index = _index_for(chunks, embed_model)
            hits = retrieve(registry(), index, question, k)
    except RagError as exc:
        st.error(rag_error(exc))
        return None
    except ProviderError as exc:  # the embedding backend failed: say so, keep everything typed
        st.error(tr("rag.embed_failed", error=provider_error_text(exc)))
        return None
    if mid is None:
        return None
    prompt = build_prompt(question, hits, lang())
    requests = answer_requests(mid, caps is None or caps.mode == "chat", prompt, question, **params)
    runs = st.session_state[RUNS] = st.session_state.get(RUNS, 0) + 1
    state = {"n": runs, "question": question, "hits": hits, "prompt": prompt, "embed_model": index.model, "dims": index.dimensions,
             "requests": requests, "results": [None, None], "run": None, "running": True, "stopped": False,
             "cancel": threading.Event()}
    st.session_state[STATE] = state
    return state


def _hit_html(hit: Hit, question: str) -> str:
    marked = "".join(f"<mark>{html.escape(s)}</mark>" if m else html.escape(s)
                     for s, m in highlight_segments(hit.chunk.text.strip(), question))
    width = max(0.0, min(1.0, hit.score)) * 100
    head = tr("rag.hit", n=hit.rank, doc=hit.chunk.doc, k=hit.chunk.index, score=_number(hit.score, 3))
    return (f'<div class="pg-rag-hit" data-rank="{hit.rank}" style="border-left:4px solid #1565c0;padding:.3em .7em;'
            f'margin:.4em 0;background:linear-gradient(90deg,rgba(21,101,192,.13) {width:.0f}%,transparent {width:.0f}%)">'
            f'<div class="pg-rag-score" style="font-weight:600">{html.escape(head)}</div>'
            f'<div class="pg-rag-text" style="white-space:pre-wrap;overflow-wrap:anywhere">{marked}</div></div>')


def retrieval_section(state: dict) -> None:
    """The chunks found (best first, with scores) and the augmented prompt, exactly as sent."""
    st.subheader(tr("rag.hits"))
    st.caption(tr("rag.embedded_with", model=state["embed_model"], dims=state["dims"]) + " · " + tr("rag.hits_help"))
    st.markdown("".join(_hit_html(h, state["question"]) for h in state["hits"]), unsafe_allow_html=True)
    st.markdown(f"**{tr('rag.prompt_shown')}**")
    st.code(state["prompt"], language=None, wrap_lines=True)


def answer_slots() -> list[dict]:
    """Two bordered boxes: with the context, without it."""
    slots = []
    for col, title in zip(st.columns(2), ("rag.with", "rag.without")):
        with col, st.container(border=True):
            st.markdown(f"**{tr(title)}**")
            slots.append({"out": st.empty(), "metrics": st.empty()})
    return slots


def _paint(slot: dict, text: str, error: str | None = None, metrics: str | None = None) -> None:
    with slot["out"].container():
        if text:
            st.markdown(output_html(text), unsafe_allow_html=True)
        elif not error:
            st.caption(tr("compare.waiting"))
        if error:
            st.error(error)
    if metrics is not None:
        slot["metrics"].markdown(metrics, unsafe_allow_html=True)


def stream(state: dict, slots: list[dict]) -> None:
    """Run both answers in Compare's column workers and drain them here (~8 repaints a second)."""
    run = ColumnRun(registry(), state["requests"], state["cancel"], session=session_id(), lang=lang()).start()
    state["run"] = run
    texts, last_paint, last_check = ["", ""], 0.0, 0.0
    try:
        for item in run.events():
            if time.monotonic() - last_check > 1.0:
                last_check = time.monotonic()
                if not browser_connected():  # the tab was closed: free the model for the others
                    run.cancel.set()
                    break
            if isinstance(item, ColumnEvent):
                texts[item.index] = item.text
            elif isinstance(item, ColumnDone):
                state["results"][item.index] = item.result
            if time.monotonic() - last_paint > 0.12:
                last_paint = time.monotonic()
                for i in (0, 1):
                    if state["results"][i] is None:
                        _paint(slots[i], texts[i], metrics=metrics_html(live=run.live(i)))
    except BaseException:
        run.cancel.set()  # the script was interrupted (Stop, another widget): the workers stop too
        raise
    state["running"] = False
    state["run"] = None
    if run.cancel.is_set():
        state["results"] = run.stop()


def results_section(state: dict | None, slots: list[dict]) -> None:
    """Each answer as it ended (text, error, metrics)."""
    if not state:
        return
    if state.get("stopped"):
        st.info(tr("rag.stopped"))
    for slot, r in zip(slots, state["results"]):
        if r is not None:
            _paint(slot, r.text, error_text(r) if r.error else None, metrics_html(r))
    if all(r is not None for r in state["results"]):  # which run is on the page, finished (for tests)
        st.markdown(f'<span class="pg-rag-done" data-run="{state["n"]}"></span>', unsafe_allow_html=True)
