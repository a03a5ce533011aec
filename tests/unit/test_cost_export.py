"""Cost table lookups, OpenRouter's reported cost first, and the CSV/Markdown/JSON exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from playground.cost import Price, estimate, format_cost, load_prices, price_for, result_cost
from playground.export import ExportError, compare_record, load_record, replay_requests, to_csv, to_json, to_markdown
from playground.i18n import catalogue
from playground.runner import Result
from providers.base import ChatMessage, GenerationRequest

ROOT = Path(__file__).resolve().parents[2]
PRICES = {"gpt-4o-mini": Price(0.15, 0.60), "openai/gpt-4o-mini": Price(0.15, 0.60), "azure/special": Price(1, 2)}


def test_shipped_price_table_parses():
    prices = load_prices(ROOT / "prices.toml")
    assert prices["gpt-4o-mini"] == Price(0.15, 0.60) and len(prices) >= 20


def test_price_lookup_order():
    assert price_for("openai/gpt-4o-mini", PRICES) == Price(0.15, 0.60)
    assert price_for("azure/gpt-4o-mini", PRICES) == Price(0.15, 0.60)  # a deployment named like the model
    assert price_for("openrouter/openai/gpt-4o-mini", PRICES) == Price(0.15, 0.60)
    assert price_for("azure/special", PRICES) == Price(1, 2)
    assert price_for("embedded/smollm2-135m-instruct", PRICES) is None
    assert price_for("ollama/gpt-4o-mini", PRICES) is None  # local models are free


@pytest.mark.parametrize("model_id", [
    "ollama-gpu/gpt-4o-mini",           # a second Ollama host
    "vllm/gpt-4o-mini",                 # a local OpenAI-compatible server serving a same-named model
    "lmstudio/openai/gpt-4o-mini",      # ... even when its name looks like an OpenRouter id
    "mine/gpt-4o-mini",                 # a visitor's endpoint
    "embedded/gpt-4o-mini",
])
def test_local_and_self_hosted_models_are_never_priced(model_id):
    assert price_for(model_id, PRICES) is None
    assert estimate(model_id, 1000, 1000, PRICES) is None


def test_no_guess_from_the_last_segment():
    # another vendor's model that happens to end like an OpenAI name is not priced as OpenAI
    assert price_for("openrouter/somevendor/gpt-4o-mini", PRICES) is None
    assert price_for("openai/my-gpt-4o-mini", PRICES) is None


def test_dated_snapshots_take_the_price_of_their_model():
    prices = dict(PRICES, **{"gpt-4o": Price(2.5, 10)})
    assert price_for("openai/gpt-4o-mini-2024-07-18", prices) == Price(0.15, 0.60)  # longest prefix wins
    assert price_for("openai/gpt-4o-2024-08-06", prices) == Price(2.5, 10)
    assert price_for("openrouter/openai/gpt-4o-mini-2024-07-18", prices) == Price(0.15, 0.60)
    assert price_for("openai/gpt-4o-audio-preview", prices) is None  # a different product, not a snapshot


def test_estimate_and_reported_cost():
    assert estimate("openai/gpt-4o-mini", 1000, 2000, PRICES) == pytest.approx((1000 * 0.15 + 2000 * 0.60) / 1e6)
    r = Result(model="openrouter/openai/gpt-4o-mini", prompt_tokens=1000, completion_tokens=2000)
    assert result_cost(r, PRICES) == (pytest.approx(0.00135), "estimated")
    r.extra["cost"] = 0.0042
    assert result_cost(r, PRICES) == (0.0042, "reported")  # OpenRouter's own figure wins
    assert result_cost(Result(model="embedded/x", completion_tokens=5), PRICES) == (None, None)
    assert format_cost(0.00135, "estimated") == "≈$0.001350" and format_cost(None) == "—"


def _record():
    reqs = [GenerationRequest(model="openai/gpt-4o-mini", messages=(ChatMessage("user", "Que veut dire SNCF ?"),),
                              temperature=0.2, seed=3)]
    res = [Result(model="openai/gpt-4o-mini", text="Société | nationale", prompt_tokens=10, completion_tokens=20,
                  ttft_s=0.2, total_s=1.0, tokens_per_s=25.0, request_payload={"model": "gpt-4o-mini", "api_key": "sk-1"})]
    return reqs, compare_record(reqs, res)


def test_json_export_is_replayable_and_has_no_secret():
    reqs, rec = _record()
    text = to_json(rec)
    assert "sk-1" not in text and "api_key" not in text
    assert replay_requests(load_record(text)) == reqs
    assert json.loads(text)["costs"][0]["source"] == "estimated"


def test_csv_and_markdown():
    _, rec = _record()
    rows = to_csv(rec).splitlines()
    assert rows[0].startswith("column,model") and "openai/gpt-4o-mini" in rows[1] and "estimated" in rows[1]
    md = to_markdown(rec)
    assert "> Que veut dire SNCF ?" in md and "| 1 | openai/gpt-4o-mini | — | 0.200 |" in md and "≈$" in md


def test_load_record_rejects_other_json(tmp_path):
    with pytest.raises(ExportError, match="not a playground export"):
        load_record('{"a": 1}')
    with pytest.raises(ExportError, match="Not valid JSON"):
        load_record("{oops")
    with pytest.raises(ExportError, match="No such file"):
        load_record(tmp_path / "missing.json")
    with pytest.raises(ExportError, match="Only Compare runs"):
        replay_requests({"kind": "benchmark"})


@pytest.mark.parametrize("page", ["pages/benchmark.py", "pages/history.py", "pages/sentences.py",
                                  "ui/bench_view.py", "ui/history_hooks.py"])
def test_every_ui_string_used_exists_in_both_languages(page):
    keys = set(re.findall(r'tr\(\s*"([a-z_.]+)"', (ROOT / page).read_text()))
    assert keys
    cat = catalogue()
    for k in keys:
        assert k in cat and cat[k].get("fr") and cat[k].get("en"), k
