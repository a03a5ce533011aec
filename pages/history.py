"""History page: list, filter and search stored runs; reopen one in Compare; two side by side with a diff; delete."""

from __future__ import annotations

import datetime as dt
import difflib
import html

import pandas as pd
import streamlit as st

from playground.bench import BenchReport
from playground.conversation import record_turns
from playground.cost import format_cost
from playground.export import to_csv, to_json, to_markdown
from playground.history_settings import history_allow_delete, public_reason
from playground.i18n import format_number
from playground.store import RUN_KINDS, HistoryError, StoredRun, history_status
from ui import compare_state
from ui.bench_view import render_report
from ui.common import lang, tr, trn
from ui.shell import ensure_app

LIMIT = 200


def _when(ts: float | None) -> str:
    fmt = "%d/%m/%Y %H:%M:%S" if lang() == "fr" else "%Y-%m-%d %H:%M:%S"
    return "—" if ts is None else dt.datetime.fromtimestamp(ts).strftime(fmt)


def _label(r) -> str:
    return f"{tr('history.run_heading', id=r.id, title='').strip()} · {_when(r.created_at)} · {tr(f'history.kind.{r.kind}') if r.kind in RUN_KINDS else r.kind} · {r.title[:60]}"


def reopen_in_compare(run: StoredRun) -> None:
    """Pre-fill the Compare page's widgets (and its results, every turn of a conversation) from a
    stored comparison."""
    turns = record_turns(run.data)
    last = turns[-1]
    compare_state.reopen(last.requests, last.results, turns=turns[:-1], prompt=last.prompt,
                         system=run.data.get("system"))


def _texts(run: StoredRun) -> list[tuple[str, str]]:
    """(label, text) of each output of a run, whatever its kind."""
    d = run.data
    if run.kind == "compare":
        turns = record_turns(d)
        if len(turns) > 1:  # a conversation: each column's answers, turn after turn
            return [(f"{i + 1}. {r['model']}", "\n\n".join(t.results[i].text for t in turns
                                                           if i < len(t.results) and t.results[i] is not None))
                    for i, r in enumerate(d.get("results") or []) if r]
        return [(f"{i + 1}. {r['model']}", r.get("text") or "") for i, r in enumerate(d.get("results") or []) if r]
    if run.kind == "sentences":
        return [(d.get("model", ""), "\n".join(d.get("sentences") or []))]
    if run.kind == "benchmark":
        return [(f"{s['model']} · {s['prompt_id']} · {s['repetition']}", s.get("text") or "")
                for s in d.get("samples") or []][:50]
    outs = []
    for i, r in enumerate(d.get("results") or []):
        if isinstance(r, dict):
            label = str(r.get("label") or r.get("model") or i + 1)
            if run.kind == "sampling" and {"temperature", "sample", "seed"} <= set(r):
                # the stored label is English ("T=0.7 · #1 (seed 42)"): said again in the UI's language
                label = tr("history.sample_label", t=r["temperature"], i=r["sample"], seed=r["seed"])
            outs.append((label, r.get("text") or ""))
    return outs


def word_diff_html(a: str, b: str) -> str:
    """Word-level diff: removed words struck in red, added words in green (escaped HTML)."""
    wa, wb = a.split(), b.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(wa[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append('<del style="background:#fdd;color:#900">' + html.escape(" ".join(wa[i1:i2])) + "</del>")
        if op in ("insert", "replace"):
            out.append('<ins style="background:#dfd;color:#060;text-decoration:none">'
                       + html.escape(" ".join(wb[j1:j2])) + "</ins>")
    return '<div class="pg-diff" style="line-height:1.7">' + " ".join(out) + "</div>"


def _render_run(run: StoredRun, key: str) -> None:
    colon = " : " if lang() == "fr" else ": "  # French puts a space before the colon
    st.caption(f"{tr('history.col.status')}{colon}{tr(f'history.status.{run.status}')} · {_when(run.created_at)} · "
               + ", ".join(run.models))
    if run.status == "interrupted":
        # a closed tab's comparison keeps what streamed; a dead benchmark its finished samples
        kept = run.data.get("samples") or any(run.data.get("results") or [])
        st.warning(tr("history.interrupted_kept") if kept else tr("history.interrupted_note"))
        if not kept:
            return
    if run.kind == "benchmark" and run.data.get("config"):
        render_report(BenchReport.from_dict(run.data), key=f"{key}_bench")
        return
    if run.kind == "compare":
        results = [r for r in run.data.get("results") or [] if r]
        costs = run.data.get("costs") or []
        turns = record_turns(run.data) if run.data.get("turns") else []
        if turns:
            st.caption(tr("conv.history_turns", n=len(turns)))
        cols = st.columns(max(1, len(results)))
        for i, (col, r) in enumerate(zip(cols, results)):
            with col:
                st.markdown(f"**{i + 1}. {r['model']}**")
                for n, t in enumerate(turns[:-1], 1):  # a conversation's earlier turns, then the latest below
                    past = t.results[i] if i < len(t.results) else None
                    st.caption(tr("conv.turn", n=n, prompt=t.prompt))
                    st.text(past.text if past is not None else "")
                    if past is not None and past.error:
                        st.error(past.error)
                if turns:
                    st.caption(tr("conv.turn", n=len(turns), prompt=turns[-1].prompt))
                st.markdown(r.get("text") or "")
                if r.get("error"):
                    st.error(r["error"])
                c = costs[i] if i < len(costs) and costs[i] else {}
                ttft = r.get("ttft_s")
                tps = r.get("tokens_per_s")
                n_tok = r.get("completion_tokens")
                st.caption(tr("history.metrics", ttft=format_number(ttft, 3, lang()),
                              tps=format_number(tps, 1, lang()), tokens=format_number(n_tok, 0, lang()),
                              cost=format_cost(c.get("usd"), c.get("source"))))
                if r.get("queue_s") is not None:
                    st.caption(tr("history.queue", queue=format_number(r["queue_s"], 2, lang())))
        return
    for label, text in _texts(run):
        st.markdown(f"**{label}**")
        st.text(text)
    with st.expander(tr("history.details")):
        st.json(run.data, expanded=False)


def page() -> None:
    ensure_app()
    st.title(tr("history.title"))
    st.caption(tr("history.intro"))
    store, error = history_status()
    if store is None:
        # the server's absolute path is not shown to visitors (the CLI `history` command prints it)
        st.warning(tr("history.unavailable", error=public_reason(error or "")))
        return
    try:
        _body(store)
    except HistoryError as exc:  # locked or damaged while the app runs: one line, no traceback
        st.warning(tr("history.unavailable", error=public_reason(str(exc), store.path)))


def _delete_controls(store, run, col) -> None:
    """Delete in two steps (button, then confirm), and only when [history] allow_delete is on."""
    if not history_allow_delete():
        col.button(tr("history.delete"), icon=":material/delete:", key="hist_delete", disabled=True, help=tr("history.delete_disabled"))
        return
    if col.button(tr("history.delete"), icon=":material/delete:", key="hist_delete"):
        st.session_state["hist_confirm_delete"] = run.id
    if st.session_state.get("hist_confirm_delete") != run.id:
        return
    st.warning(tr("history.delete_confirm", id=run.id, title=run.title[:80]))
    c1, c2, _ = st.columns([1, 1, 4])
    if c1.button(tr("history.delete_yes"), key="hist_delete_yes", type="primary"):
        st.session_state.pop("hist_confirm_delete", None)
        store.delete(run.id)
        st.session_state.pop("hist_selected", None)
        st.session_state["hist_flash"] = tr("history.deleted", id=run.id)
        st.rerun()
    if c2.button(tr("history.delete_no"), key="hist_delete_no"):
        st.session_state.pop("hist_confirm_delete", None)
        st.rerun()


def _filters_section(store) -> dict:
    """Search, kind, model and dates: the filters of store.list_runs."""
    c1, c2, c3, c4 = st.columns([3, 1.2, 2, 2])
    search = c1.text_input(tr("history.search"), key="hist_search")
    kind = c2.selectbox(tr("history.kind"), ["", *RUN_KINDS], key="hist_kind",
                        format_func=lambda k: tr("history.all") if not k else tr(f"history.kind.{k}"))
    model = c3.selectbox(tr("history.model"), ["", *store.all_models()], key="hist_model",
                         format_func=lambda m: tr("history.all") if not m else m)
    dates = c4.date_input(tr("history.dates"), value=(), key="hist_dates",
                          format="DD/MM/YYYY" if lang() == "fr" else "YYYY/MM/DD")
    since = until = None
    if isinstance(dates, (list, tuple)) and dates:
        since = dt.datetime.combine(dates[0], dt.time.min).timestamp()
        end = dates[1] if len(dates) > 1 else dates[0]
        until = dt.datetime.combine(end, dt.time.max).timestamp()
    return dict(kind=kind or None, model=model or None, search=search.strip() or None, since=since, until=until)


def _list_section(store, filters: dict) -> list:
    """The matching runs as a table (the newest LIMIT of them)."""
    rows = store.list_runs(limit=LIMIT, **filters)
    total = store.count(**filters)
    st.caption(trn("history.count", total, shown=len(rows)))
    if flash := st.session_state.pop("hist_flash", None):
        st.success(flash)
    if not rows:
        st.info(tr("history.empty"))
        return rows
    frame = pd.DataFrame([{
        tr("history.col.id"): r.id,
        tr("history.col.date"): _when(r.created_at),
        tr("history.col.kind"): tr(f"history.kind.{r.kind}") if r.kind in RUN_KINDS else r.kind,
        tr("history.col.status"): tr(f"history.status.{r.status}"),
        tr("history.col.title"): r.title,
        tr("history.col.models"): ", ".join(r.models),
    } for r in rows])
    st.dataframe(frame, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(rows)))
    return rows


def _actions_section(store, run) -> None:
    """Reopen in Compare, exports, delete."""
    b1, b2, _ = st.columns([1.4, 1, 1.6])  # two rows: five labels in one row were cut at 1280 px
    b3, b4, b5 = st.columns(3)
    if b1.button(tr("history.reopen"), icon=":material/open_in_new:", key="hist_reopen", disabled=run.kind != "compare",
                 help=None if run.kind == "compare" else tr("history.reopen_only_compare")):
        reopen_in_compare(run)
        st.switch_page("pages/compare.py")
    record = {"kind": run.kind, **run.data} if run.data else {"kind": run.kind}
    b3.download_button(tr("history.export_json"), to_json(record), f"run-{run.id}.json", "application/json",
                       icon=":material/download:", key="hist_dl_json")
    b4.download_button(tr("history.export_csv"), to_csv(record), f"run-{run.id}.csv", "text/csv", icon=":material/download:", key="hist_dl_csv")
    b5.download_button(tr("history.export_md"), to_markdown(record, lang()), f"run-{run.id}.md", "text/markdown",
                       icon=":material/download:", key="hist_dl_md")
    _delete_controls(store, run, b2)


def _side_by_side(run, run_b) -> None:
    """Two runs next to each other, then a word diff of their outputs."""
    left, right = st.columns(2)
    with left:
        st.subheader(tr("history.run_heading", id=run.id, title=run.title))
        _render_run(run, "hist_a")
    with right:
        st.subheader(tr("history.run_heading", id=run_b.id, title=run_b.title))
        _render_run(run_b, "hist_b")
    st.subheader(tr("history.diff"))
    ta, tb = _texts(run), _texts(run_b)
    for i in range(max(len(ta), len(tb))):
        la, a = ta[i] if i < len(ta) else ("—", "")
        lb, b = tb[i] if i < len(tb) else ("—", "")
        st.markdown(f"**{la}** ↔ **{lb}**")
        if a == b:
            st.caption(tr("history.no_diff"))
        else:
            st.markdown(word_diff_html(a, b), unsafe_allow_html=True)


def _body(store) -> None:
    rows = _list_section(store, _filters_section(store))
    if not rows:
        return
    by_id = {r.id: r for r in rows}
    ids = list(by_id)
    c1, c2 = st.columns(2)
    sel = c1.selectbox(tr("history.selected"), ids, key="hist_selected", format_func=lambda i: _label(by_id[i]))
    other = c2.selectbox(tr("history.compare_with"), [None, *[i for i in ids if i != sel]], key="hist_other",
                         format_func=lambda i: tr("history.none") if i is None else _label(by_id[i]))
    run = store.get(sel)
    if run is None:
        st.rerun()
    _actions_section(store, run)
    if other is None:
        st.subheader(run.title or tr("history.run_heading", id=run.id, title=""))
        _render_run(run, "hist_a")
        return
    _side_by_side(run, store.get(other))


page()
