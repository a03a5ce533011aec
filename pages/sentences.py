"""Training-sentence generation page (Tock-style): examples -> model -> robustly parsed variants -> tick -> export."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import streamlit as st

from playground.sentences import DEFAULT_TEMPLATE, STYLES, Generation, build_prompt, build_request, generate
from playground.store import save_run
from providers.base import ProviderError
from ui.common import lang, registry, tr, trn
from ui.shell import ensure_app
from ui.widgets import available_models, bounded_int_input, model_picker

STATE = "sent_state"


def _reset_template() -> None:
    st.session_state["sent_template"] = DEFAULT_TEMPLATE.get(lang(), DEFAULT_TEMPLATE["fr"])


def _settings_section() -> dict:
    """Examples, language, count, temperature, length, styles and the prompt template."""
    examples_text = st.text_area(tr("sent.examples"), tr("sent.examples_default"), key="sent_examples", height=90)
    c1, c2, c3, c4 = st.columns(4)
    language = c1.selectbox(tr("sent.language"), ["fr", "en"], key="sent_language",
                            format_func=lambda k: tr(f"sent.lang.{k}"))
    n = int(c2.number_input(tr("sent.n"), 1, 50, 10, key="sent_n"))
    temperature = c3.slider(tr("sent.temperature"), 0.0, 2.0, 0.9, 0.05, key="sent_temperature")
    max_tokens = bounded_int_input(tr("sent.max_tokens"), 16, 4096, 400, key="sent_max_tokens", where=c4)
    styles = st.multiselect(tr("sent.styles"), list(STYLES), key="sent_styles", placeholder=tr("common.choose"),
                            format_func=lambda s: tr(f"sent.style.{s}"))
    if "sent_template" not in st.session_state:
        _reset_template()
    template = st.text_area(tr("sent.template"), key="sent_template", height=150, help=tr("sent.template_help"))
    st.button(tr("sent.reset_template"), key="sent_reset", on_click=_reset_template)
    examples = [e.strip() for e in examples_text.splitlines() if e.strip()]
    return dict(examples=examples, language=language, n=n, temperature=temperature, max_tokens=max_tokens,
                styles=styles, template=template)


def _prompt_preview(f: dict) -> str | None:
    """The prompt the template makes (shown in an expander), or None after saying what is wrong."""
    prompt = None
    try:
        prompt = build_prompt(f["examples"], f["language"], f["n"], f["styles"], f["template"], ui_lang=lang())
    except ValueError as exc:
        st.error(str(exc))
    if prompt:
        with st.expander(tr("sent.preview")):
            st.code(prompt, language=None, wrap_lines=True)
    return prompt


def _generate(mid: str, prompt: str, f: dict) -> bool:
    """Generate, parse and keep the run in history; False after an error that ends the page."""
    examples = f["examples"]
    if not examples:
        st.error(tr("sent.no_examples"))
        return False
    try:
        mode = registry().capabilities(mid).mode
    except ProviderError as exc:
        st.error(exc.message)
        return False
    request = build_request(mid, prompt, f["temperature"], f["max_tokens"], mode)
    with st.spinner(tr("sent.generating")):
        g = generate(registry(), request, examples, language=f["language"], prompt=prompt)
    st.session_state[STATE] = {"sentences": g.accepted, "rejected": g.rejected, "method": g.method, "error": g.error,
                               "raw": g.result.text, "examples": examples, "model": mid, "mode": mode}
    save_run("sentences", {
        "kind": "sentences", "model": mid, "examples": examples, "language": f["language"], "n": f["n"],
        "temperature": f["temperature"], "styles": f["styles"], "template": f["template"], "prompt": prompt,
        "request": request.to_dict(), "raw": g.result.text, "sentences": g.accepted,
        "rejected": [{"sentence": s, "reason": r} for s, r in g.rejected], "method": g.method,
        "error": g.error, "result": g.result.to_dict(),
    }, title=f"{examples[0][:80]} ×{f['n']}", models=[mid], prompt=examples[0],
        summary={"count": len(g.accepted), "rejected": len(g.rejected), "method": g.method},
        status="error" if g.error else "done")
    return True


def _results_section() -> None:
    """The variants found (ticked) and the lines rejected with their reason (unticked), to keep
    or drop, and their exports. Nothing that failed a check is ever pre-ticked."""
    state = st.session_state.get(STATE)
    if not state:
        return
    if state["error"]:
        st.error(tr("sent.parse_failed", error=state["error"]))
        st.caption(tr("sent.raw"))
        st.code(state["raw"] or "∅", language=None, wrap_lines=True)
        st.info(tr("sent.try_bigger"))
        return
    accepted, rejected = state["sentences"], state.get("rejected") or []
    st.caption(tr(f"sent.method.{state['method']}"))
    with st.expander(tr("sent.raw")):
        st.code(state["raw"], language=None, wrap_lines=True)
    if accepted:
        st.caption(trn("sent.count", len(accepted), rejected=len(rejected)))
    else:  # say it plainly: nothing here is a usable variant
        st.warning(tr("sent.nothing_usable", rejected=len(rejected)) + " " + tr("sent.try_bigger"))
    if not accepted and not rejected:
        return
    rows = Generation(None, accepted, rejected, state["method"], None).rows()
    frame = pd.DataFrame({"keep": [k for k, _, _ in rows], "sentence": [s for _, s, _ in rows],
                          "reason": [tr(f"sent.reason.{r}") if r else "" for _, _, r in rows]})
    edited = st.data_editor(
        frame, key="sent_editor", hide_index=True, width="stretch",
        column_config={"keep": st.column_config.CheckboxColumn(tr("sent.keep")),
                       "sentence": st.column_config.TextColumn(tr("sent.sentence"), disabled=True),
                       "reason": st.column_config.TextColumn(tr("sent.reason"), disabled=True)},
    )
    kept = [s for s, k in zip(edited["sentence"], edited["keep"]) if k]
    st.caption(trn("sent.kept", len(kept)))
    _export_buttons(kept)


def _export_buttons(kept: list[str]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["sentence"])
    w.writerows([s] for s in kept)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(tr("sent.export_csv"), buf.getvalue(), "sentences.csv", "text/csv", icon=":material/download:", key="sent_dl_csv")
    c2.download_button(tr("sent.export_json"), json.dumps(kept, ensure_ascii=False, indent=2), "sentences.json",
                       "application/json", icon=":material/download:", key="sent_dl_json")


def page() -> None:
    ensure_app()
    st.title(tr("sent.title"))
    st.caption(tr("sent.intro"))
    mid = model_picker(available_models(), key="sent_model", label=tr("sent.model"))
    fields = _settings_section()
    prompt = _prompt_preview(fields)
    if st.button(tr("sent.generate"), icon=":material/auto_awesome:", type="primary", key="sent_generate", disabled=mid is None or prompt is None):
        if not _generate(mid, prompt, fields):
            return
    _results_section()


page()
