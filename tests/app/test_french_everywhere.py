"""AppTest: every page rendered in French shows no English UI text, and every catalogue key a page
asks for exists in French and English (playground.i18n.MISSING records those that do not)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground import i18n
from playground.export import compare_record, compare_summary
from playground.runner import Result
from playground.store import HistoryStore, reset_cache
from providers.base import ChatMessage, GenerationRequest
from ui.navigation import PAGES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"

# English that once reached the French UI, or would if a string skipped the catalogue
# (whole words, case-sensitive; model outputs are not checked: a model may answer in English).
ENGLISH = [
    "Choose options", "embedded)", "family:", "parameter size", "quantization", "vocab size", "ctx",
    "Prompt tokens", "Completion tokens", "Finish", "length", "cancelled", "stop", "Run", "Cancel", "Stop",
    "Error", "Model", "Temperature", "Seed", "Results", "History", "Settings", "Sample", "Queue wait",
    "Elapsed", "Download", "Search", "Reopen", "Delete", "running", "done", "interrupted", "yyyy",
    "Tokens prompt", "Fin", "concurrence", "choisi(s)", "Cliquez une", "Modèle de prompt", "run", "runs",
    "# Comparison", "is not a temperature", "out of range",
]
ENGLISH_RE = re.compile("|".join(rf"(?<![\w/.-]){re.escape(w)}(?![\w/-])" for w in ENGLISH))
HTML_TAG = re.compile(r"<[^>]+>")


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv("PLAYGROUND_HISTORY_DB", str(path))
    reset_cache()
    store = HistoryStore(path)
    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", "Bonjour"),), temperature=0.3, max_tokens=8),
            GenerationRequest(model=GEMMA, prompt="Bonjour", temperature=1.1, max_tokens=8)]
    rec = compare_record(reqs, [Result(model=SMOL, text="Salut", ttft_s=0.1, total_s=0.5, completion_tokens=3,
                                       finish_reason="length"),
                                Result(model=GEMMA, text="à vous", ttft_s=0.2, total_s=0.9, completion_tokens=2,
                                       finish_reason="cancelled")])
    store.save("compare", rec, title="Bonjour", models=[SMOL, GEMMA], prompt="Bonjour", summary=compare_summary(rec))
    yield path
    reset_cache()


def _strings(proto) -> list[str]:
    """Every string a proto carries (labels, bodies, helps, options, placeholders...)."""
    out: list[str] = []
    for field, value in proto.ListFields():
        if field.name in ("id", "form_id", "spec", "figure", "data", "arrow_data", "styles", "css", "icon",
                          "type", "format", "default", "value", "theme"):
            continue
        values = list(value) if getattr(field, "is_repeated", False) or isinstance(value, (list, tuple)) or type(value).__name__.startswith("Repeated") else [value]
        for v in values:
            if isinstance(v, str):
                out.append(v)
            elif hasattr(v, "ListFields"):
                out += _strings(v)
    return out


def _walk(node):
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)
    else:
        yield node


def ui_texts(at: AppTest) -> list[str]:
    texts: list[str] = []
    for el in _walk(at._tree):
        proto = getattr(el, "proto", None)
        if proto is None:
            continue
        if el.type == "markdown" and "pg-output" in proto.body:
            continue  # a model's own text
        if el.type in ("arrow_data_frame", "dataframe"):
            texts += [str(c) for c in el.value.columns]
            continue
        if el.type in ("plotly_chart", "code", "json", "text"):
            continue  # figures are checked separately; code, JSON and plain text show data
        texts += [HTML_TAG.sub(" ", t) for t in _strings(proto)]
    return texts


def english_in(at: AppTest) -> list[str]:
    found = []
    for t in ui_texts(at):
        for m in ENGLISH_RE.finditer(t):
            found.append(f"{m.group(0)!r} in {t[:120]!r}")
    return found


def _open(page: str, lang: str = "fr") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    if lang != "fr":
        at.session_state["lang"] = lang
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _all_pages() -> list[str]:
    return [path for pages in PAGES.values() for path, *_ in pages]


@pytest.mark.parametrize("page", _all_pages())
def test_every_page_in_french_has_no_english_ui_text(db, page):
    i18n.MISSING.clear()
    at = _open(page)
    assert not english_in(at), english_in(at)
    for ms in at.get("multiselect"):
        assert ms.proto.placeholder and "Choose" not in ms.proto.placeholder
    for di in at.get("date_input"):
        assert di.proto.format == "DD/MM/YYYY"
    assert not i18n.MISSING, sorted(i18n.MISSING)


def test_compare_results_in_french(db):
    """A run on two bundled models: labels, details, metrics, the summary (finish reasons,
    temperature) and numbers in French."""
    at = _open("pages/compare.py")
    at.selectbox(key="cmp_model_0").set_value(SMOL)
    at.selectbox(key="cmp_model_1").set_value(SMOL)
    at.text_area(key="cmp_prompt").set_value("La souris de l'ordinateur est un")
    for i, t in enumerate((0.3, 1.2)):
        at.number_input(key=f"cmp_col{i}_max_tokens").set_value(3)
        at.slider(key=f"cmp_col{i}_temperature").set_value(t)
    at.button(key="cmp_run").click().run()
    assert not at.exception, at.exception
    assert not english_in(at), english_in(at)
    options = at.selectbox(key="cmp_model_0").proto.options
    assert "SmolLM2 135M Instruct (chat, embarqué)" in options
    frame = at.dataframe[0].value
    assert list(frame["Température"]) == ["0,30", "1,20"]  # two columns of one model: what tells them apart
    assert set(frame["Raison de l'arrêt"]) <= {"limite de tokens", "arrêt naturel"}
    assert all("," in v or v == "—" for v in frame["TTFT (s)"])
    metrics = " ".join(m.value for m in at.markdown if "pg-metrics" in m.value)
    assert re.search(r"TTFT</span> <b>\d+,\d{3}\u202fs</b>", metrics), metrics
    assert "Tokens du prompt" in metrics and "Raison de l&#x27;arrêt" in metrics
    caption = " ".join(c.value for c in at.caption)
    assert "contexte :" in caption and "vocabulaire :" in caption
    md = at.get("download_button")
    assert md  # the exports are offered (their French content: test_markdown_export_in_french)


def test_markdown_export_in_french():
    from playground.export import to_markdown

    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", "Bonjour"),), temperature=0.3, max_tokens=8)]
    rec = compare_record(reqs, [Result(model=SMOL, text="Salut", ttft_s=0.1234, total_s=1.5, completion_tokens=49152,
                                       finish_reason="length")])
    md = to_markdown(rec, "fr")
    assert md.startswith("# Comparaison") and "Raison de l'arrêt" in md
    assert "0,123" in md and "49\u202f152" in md and "limite de tokens" in md
    assert not ENGLISH_RE.search(md.split("## 1.")[0].replace(SMOL, ""))


def test_sampling_lab_reads_french_decimal_commas_and_errors_in_french(db):
    at = _open("pages/sampling_lab.py")
    at.text_input(key="lab_temps").set_value("0,3 ; 3")
    at.button(key="lab_run").click().run()
    assert not at.exception, at.exception
    [err] = [e.value for e in at.error]
    assert err == "La température 3 est hors limites : utilisez des valeurs entre 0 et 2."
    at.text_input(key="lab_temps").set_value("abc")
    at.button(key="lab_run").click().run()
    assert "n'est pas une température" in at.error[0].value


def test_every_page_in_english_asks_only_for_existing_keys(db):
    i18n.MISSING.clear()
    for page in _all_pages():
        _open(page, "en")
    assert not i18n.MISSING, sorted(i18n.MISSING)


def test_benchmark_and_sampling_lab_results_in_french(db):
    at = _open("pages/benchmark.py")
    at.number_input(key="bench_n_prompts").set_value(1)
    at.number_input(key="bench_max_tokens").set_value(3)
    at.checkbox(key="bench_warmup").uncheck()
    at.multiselect(key="bench_models").set_value([SMOL])
    at.button(key="bench_run").click().run()
    assert not at.exception, at.exception
    assert not english_in(at), english_in(at)
    assert any(re.search(r"Terminé en \d+,\d s", s.value) for s in at.success)
    stats = next(d.value for d in at.dataframe if "TTFT (s) p50" in d.value.columns)
    assert "Requêtes simultanées" in stats.columns and "," in str(stats.iloc[0]["TTFT (s) p50"])

    at = _open("pages/sampling_lab.py")
    at.text_input(key="lab_temps").set_value("0 ; 0,7")
    at.number_input(key="lab_n").set_value(1)
    at.number_input(key="lab_max_tokens").set_value(3)
    at.button(key="lab_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert list(at.table[0].value["T"]) == ["0", "0,7"]  # "0,7" read as one temperature
    texts = [t for t in ui_texts(at) if "Tirage" not in t]  # the grid's cells are the model's text
    assert not [t for t in texts if ENGLISH_RE.search(t)]


def test_history_shows_a_sampling_run_in_french(db):
    rec = {"kind": "sampling", "model": SMOL, "prompt": "La souris", "temperatures": [0.7], "n_samples": 1,
           "results": [{"label": "T=0.7 · #1 (seed 42)", "temperature": 0.7, "sample": 1, "seed": 42, "text": "est"}]}
    HistoryStore(db).save("sampling", rec, title="Labo", models=[SMOL], prompt="La souris")
    at = _open("pages/history.py")
    labels = [m.value for m in at.markdown if m.value.startswith("**T")]
    assert labels == ["**T = 0,7 · n° 1 (graine 42)**"]
    assert not english_in(at), english_in(at)
