"""The benchmark engine, exports and sentence generation against real models: the embedded ones,
and a real `llama_cpp.server` on loopback for concurrency."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from playground.bench import BenchConfig, run_benchmark
from playground.compare import compare
from playground.export import compare_record, load_record, replay_requests, to_csv, to_json, to_markdown
from playground.prompt_sets import BUILTIN_SETS, Prompt
from providers.base import ChatMessage, GenerationRequest
from providers.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"


def test_small_benchmark_on_the_embedded_models(registry):
    cfg = BenchConfig(models=(SMOL, GEMMA), prompts=BUILTIN_SETS["fr"][:2], repetitions=1, warmup=True,
                      params={"temperature": 0.0, "max_tokens": 8, "seed": 1})
    seen = []
    rep = run_benchmark(registry, cfg, on_progress=seen.append)
    assert [p.done for p in seen] == [0, 1, 2, 3, 4]
    assert len(rep.samples) == 4 and all(s.ok for s in rep.samples), [s.error for s in rep.samples]
    assert rep.model_details[GEMMA]["mode"] == "completion"  # the base model got raw prompts
    for g in rep.stats():
        m = g.metrics
        assert g.error_rate == 0.0 and g.throughput_tok_s > 0
        assert 0 < m["ttft_s"]["p50"] <= m["e2e_s"]["p50"]
        assert m["tpot_s"]["n"] >= 1 and m["itl_s"]["n"] >= 1
        assert m["ttft_s"]["p50"] <= m["ttft_s"]["p99"]
    assert all(s.cost is None for s in rep.samples)  # local models cost nothing in the price table


@pytest.fixture(scope="module")
def loopback_registry(llama_server):
    from support.openai_loopback import LoopbackOpenAIProvider

    from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider

    return Registry({
        "local": LoopbackOpenAIProvider(llama_server),  # minimal httpx client: the engine alone
        "compat": OpenAICompatProvider(OpenAICompatConfig(name="compat", kind="compatible", base_url=llama_server)),  # the product's
    })


@pytest.mark.parametrize("provider", ["local", "compat"])
def test_concurrency_against_a_real_llama_cpp_server(loopback_registry, provider):
    prompts = tuple(Prompt(f"p{i}", f"Count from {i} to {i + 5}.") for i in range(4))
    cfg = BenchConfig(models=(f"{provider}/smollm2",), prompts=prompts, mode="parallel", concurrency=(1, 4),
                      warmup=True, params={"temperature": 0.0, "max_tokens": 12, "seed": 3})
    rep = run_benchmark(loopback_registry, cfg)
    assert len(rep.samples) == 8 and all(s.ok for s in rep.samples), [s.error for s in rep.samples]
    assert all(s.output_tokens and not s.text == "" for s in rep.samples)
    stats = {g.concurrency: g for g in rep.stats()}
    assert set(stats) == {1, 4}
    for g in stats.values():
        assert g.throughput_tok_s > 0 and g.metrics["tpot_s"]["n"] == 4
    par = sorted((s for s in rep.samples if s.concurrency == 4), key=lambda s: s.start_s)
    first_end = min(s.start_s + s.e2e_s for s in par)
    assert all(s.start_s < first_end for s in par), "at concurrency 4 all four requests were in flight together"
    seq = sorted((s for s in rep.samples if s.concurrency == 1), key=lambda s: s.start_s)
    for a, b in zip(seq, seq[1:]):
        assert b.start_s >= a.start_s + a.e2e_s  # one after another


def test_export_then_replay_round_trip(registry, tmp_path):
    reqs = [GenerationRequest(model=SMOL, messages=(ChatMessage("user", "Le gratin dauphinois est un plat"),),
                              temperature=0.0, max_tokens=12, seed=7, top_logprobs=2),
            GenerationRequest(model=GEMMA, prompt="La souris de l'ordinateur est un", temperature=0.0, max_tokens=6,
                              seed=7)]
    results = compare(registry, reqs)
    record = compare_record(reqs, results)
    path = tmp_path / "run.json"
    path.write_text(to_json(record), encoding="utf-8")
    assert replay_requests(load_record(path)) == reqs
    assert to_csv(record).splitlines()[0].startswith("column,model,prompt_tokens")
    md = to_markdown(record)
    assert "| 1 | embedded/smollm2-135m-instruct |" in md and results[1].text.strip()[:10] in md
    out = tmp_path / "again.json"
    proc = subprocess.run([sys.executable, "-m", "playground", "replay", str(path), "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    again = json.loads(out.read_text())
    assert again["requests"] == record["requests"]
    assert [r["text"] for r in again["results"]] == [r.text for r in results]  # greedy: same words again
    assert again["results"][0]["logprobs"]


def test_replay_refuses_non_exports(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"hello": 1}')
    proc = subprocess.run([sys.executable, "-m", "playground", "replay", str(p)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "not a playground export" in proc.stderr


def test_bench_cli_writes_json_and_csv(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "playground", "bench", "--model", SMOL, "--prompts", "en",
                           "--limit", "2", "--max-tokens", "6", "--json", str(tmp_path / "b.json"),
                           "--csv", str(tmp_path / "b.csv"), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rec = json.loads((tmp_path / "b.json").read_text())
    assert rec["kind"] == "benchmark" and len(rec["samples"]) == 2
    assert (tmp_path / "b.csv").read_text().startswith("model,concurrency")
    bad = subprocess.run([sys.executable, "-m", "playground", "bench", "--model", SMOL, "--prompts",
                          str(tmp_path / "b.csv")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "no “prompt” column" in bad.stderr


@pytest.mark.parametrize("model,mode", [(SMOL, "chat"), (GEMMA, "completion")])
def test_sentence_generation_on_real_models_is_screened_honestly(registry, model, mode, capsys):
    """Whatever a small model answers, what is offered ticked passes every check, and every other
    line comes back with its reason; the outcome is printed (run with -s to read it)."""
    from playground.sentence_checks import REASONS, reason
    from playground.sentences import build_prompt, build_request, generate, parse_sentences

    prompt = build_prompt(["bonjour le bot"], "fr", 5, ["informal"])
    for seed in (1, 2):
        g = generate(registry, build_request(model, prompt, 0.8, 160, mode=mode, seed=seed), ["bonjour le bot"],
                     language="fr", prompt=prompt)
        assert g.result.text  # the raw answer is always kept
        if g.error:
            assert not g.accepted and not g.rejected
        else:
            text = ('["' + g.result.text) if mode == "completion" else g.result.text
            lines = [x for x in parse_sentences(text).sentences if x.strip()]
            assert len(g.accepted) + len(g.rejected) == len(lines)  # every line is accounted for
            assert all(reason(s, "fr") is None for s in g.accepted)
            assert all(why in REASONS for _, why in g.rejected)
            assert "bonjour le bot" not in [s.lower() for s in g.accepted]
        with capsys.disabled():
            print(f"\n{model} seed {seed}: accepted {g.accepted!r}; rejected {g.rejected!r}; error {g.error!r}")
