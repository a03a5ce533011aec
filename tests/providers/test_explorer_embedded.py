"""The explorer, tokenizers, sampling lab and CLI on the real embedded models (llama.cpp)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from playground.explorer import (
    Trail,
    build_request,
    choose,
    distribution_from_logprobs,
    embedded_model,
    next_token_distribution,
    step_from,
    view,
)
from playground.sampling_lab import determinism_check, run_grid
from playground.tokenize import tokenize_embedded, tokenize_gguf
from providers.base import Finished, InvalidRequest, ModelLoadError, TextDelta
from providers.sampling import SamplingParams

SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"
SOURIS = "La souris de l'ordinateur est un"


def generate(registry, req):
    """(TokenLogprob list, Finished) of one real generation."""
    lps, fin = [], None
    for ev in registry.stream(req):
        if isinstance(ev, TextDelta):
            lps.extend(ev.logprobs)
        elif isinstance(ev, Finished):
            fin = ev
    return lps, fin


def log_softmax(x):
    x = np.asarray(x, dtype=np.float64)
    m = x.max()
    return x - (m + math.log(np.exp(x - m).sum()))


@pytest.mark.parametrize("model_id,chat", [(SMOL, False), (SMOL, True), (GEMMA, False)])
def test_distribution_at_t1_matches_the_logprobs_reported_during_generation(registry, model_id, chat):
    # llama.cpp's logits depend on how the KV cache was filled (the prompt in one batch vs its
    # last token alone: up to ~0.8 in logit on Gemma Q4_K_M). The explorer and generation both
    # prime the prompt in one pass and decode later tokens one at a time, so they agree to
    # float precision whatever ran before: here, another prompt first, then generation.
    generate(registry, build_request(model_id, "Il était une fois", chat, temperature=0.0, max_tokens=3))
    req = build_request(model_id, SOURIS, chat, temperature=0.0, max_tokens=6, top_logprobs=5)
    lps, _ = generate(registry, req)
    assert len(lps) >= 3
    trail = Trail()
    for lp in lps:
        d = next_token_distribution(registry, model_id, SOURIS, chat, trail)
        ls = log_softmax(d.logits)
        assert ls[lp.id] == pytest.approx(lp.logprob, abs=1e-5)
        v = view(d, SamplingParams(1.0), show=5)
        assert [c.token_id for c in v.candidates] == [a.id for a in lp.top]
        assert [c.prob_final for c in v.candidates] == pytest.approx([a.prob for a in lp.top], abs=1e-5)
        trail = trail.append(step_from(d, lp.id, SamplingParams(1.0), "pick"))


@pytest.mark.parametrize("model_id,chat", [(SMOL, False), (SMOL, True), (GEMMA, False)])
def test_greedy_step_through_reproduces_greedy_generation(registry, model_id, chat):
    req = build_request(model_id, SOURIS, chat, temperature=0.0, max_tokens=12, top_logprobs=1)
    lps, fin = generate(registry, req)
    generated = [lp.id for lp in lps]
    assert generated, fin
    trail = Trail()
    params = SamplingParams(0.0)
    for _ in generated:
        d = next_token_distribution(registry, model_id, SOURIS, chat, trail)
        trail = trail.append(step_from(d, choose(d, params, "greedy"), params, "greedy"))
    assert trail.token_ids == generated
    assert all(s.prob == 1.0 for s in trail.steps)  # greedy: the whole mass on the argmax


def test_one_step_decodes_one_token(registry):
    FRESH = "Un prompt que personne d'autre ne demande :"  # nothing cached from other tests
    m = embedded_model(registry, GEMMA)
    d = next_token_distribution(registry, GEMMA, FRESH, False)
    trail = Trail().append(step_from(d, choose(d, SamplingParams(0.0), "greedy"), SamplingParams(0.0), "greedy"))
    before = m.engine.load()
    d2 = next_token_distribution(registry, GEMMA, FRESH, False, trail)
    after = m.engine.load()
    assert after["steps"] - before["steps"] == 1  # the one new token, on its own row
    assert after["prompt_tokens_evaluated"] == before["prompt_tokens_evaluated"]  # the prompt is shared
    assert d2.context_tokens == d.context_tokens + 1


def test_approximate_path_from_the_providers_own_logprobs_matches_the_exact_top(registry):
    exact = next_token_distribution(registry, GEMMA, SOURIS, False)
    approx = distribution_from_logprobs(registry, GEMMA, SOURIS, False)
    assert not approx.exact and len(approx.logits) == 20
    ve = view(exact, SamplingParams(1.0), show=20)
    va = view(approx, SamplingParams(1.0), show=20)
    assert [c.token_id for c in va.candidates] == [c.token_id for c in ve.candidates]
    assert [c.piece for c in va.candidates] == [c.piece for c in ve.candidates]
    assert [math.exp(c.logprob) for c in va.candidates] == pytest.approx([c.prob_t for c in ve.candidates], abs=1e-4)
    assert approx.returned_mass == pytest.approx(sum(c.prob_t for c in ve.candidates), abs=1e-3)
    # reshaped over the 20 returned tokens only: renormalised among them
    assert sum(c.prob_final for c in va.candidates) == pytest.approx(1.0)


def test_explorer_errors_are_readable(registry):
    with pytest.raises(InvalidRequest, match="empty"):
        next_token_distribution(registry, SMOL, "   ", False)
    with pytest.raises(InvalidRequest, match="base model"):
        next_token_distribution(registry, GEMMA, SOURIS, True)


@pytest.mark.parametrize("model_id", [SMOL, GEMMA])
def test_tokenizer_view_count_equals_the_models_prompt_token_count(registry, model_id):
    text = "Le gratin dauphinois est un plat\n  savoyard ? Non, dauphinois !"
    t = tokenize_embedded(registry, model_id, text)
    _, fin = generate(registry, build_request(model_id, text, False, max_tokens=1))
    assert t.count == fin.usage.prompt_tokens
    assert "".join(x.piece for x in t.tokens if not x.special) == text


def test_gguf_vocab_only_tokenizer_matches_the_loaded_model(registry, smollm2_path, tmp_path):
    text = "Bonjour le bot, quelle heure est-il ?"
    a = tokenize_gguf(smollm2_path, text)
    b = tokenize_embedded(registry, SMOL, text)
    assert [x.id for x in a.tokens] == [x.id for x in b.tokens]
    assert a.vocab_size == 49152
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelLoadError, match="not a GGUF"):
        tokenize_gguf(bad, text)
    with pytest.raises(ModelLoadError, match="No file"):
        tokenize_gguf(tmp_path / "missing.gguf", text)


def test_sampling_lab_grid_and_determinism_on_a_real_model(registry):
    base = build_request(GEMMA, SOURIS, False, max_tokens=8)
    seen = []
    run = run_grid(registry, base, [0.0, 1.5], 3, base_seed=1, on_progress=lambda d, t, T, i, r: seen.append((d, t)))
    assert seen[-1] == (6, 6)
    assert not run.errors()
    zero = run.texts(0.0)
    assert len(set(zero)) == 1  # greedy: the seed does not matter
    div = {d.temperature: d for d in run.diversity()}
    assert div[0.0].distinct_outputs == 1
    assert div[1.5].distinct_outputs >= div[0.0].distinct_outputs
    det = determinism_check(registry, base, 1.0, 7)
    assert det.identical and det.first and det.diff == ""


def test_cli_next_token_json(capsys):
    from playground.cli import main

    assert main(["next-token", "--model", GEMMA, "--prompt", SOURIS, "--top-k", "3", "--temperature", "0.7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exact"] and out["vocab_size"] == 262144
    toks = out["tokens"]
    assert len(toks) == 3 and all(isinstance(t["id"], int) for t in toks)
    assert sum(t["prob"] for t in toks) == pytest.approx(1.0, abs=1e-4)  # renormalised over the top 3
    assert toks[0]["logprob"] == pytest.approx(math.log(toks[0]["prob_raw"]), abs=1e-4)


def test_cli_next_token_text_and_bad_input(capsys):
    from playground.cli import main

    assert main(["next-token", "--model", SMOL, "--prompt", SOURIS, "--show", "4"]) == 0
    out = capsys.readouterr().out
    assert "(other)" in out and "exact" in out
    assert main(["next-token", "--model", "nowhere/x", "--prompt", SOURIS]) == 2
    assert main(["next-token", "--model", SMOL, "--prompt", SOURIS, "--temperature", "3"]) == 2


def test_cli_tokenize_json_matches_the_core(registry, capsys):
    from playground.cli import main

    text = "Qu'est-ce que je peux cuisiner ?"
    assert main(["tokenize", "--model", SMOL, "--text", text, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["count"] == tokenize_embedded(registry, SMOL, text).count
    assert [t["piece"] for t in out["tokens"]][0] == tokenize_embedded(registry, SMOL, text).tokens[0].piece


def _links(src, tmp_path, n):
    """n distinct paths to the same GGUF file (hard links: no 100 MB copies)."""
    import os
    import shutil

    out = []
    for i in range(n):
        dst = tmp_path / f"copy{i}.gguf"
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
        out.append(dst)
    return out


def test_gguf_vocabulary_cache_is_bounded(smollm2_path, tmp_path, monkeypatch):
    import playground.tokenize as tk

    monkeypatch.setattr(tk, "_gguf", type(tk._gguf)())  # start empty, leave the shared cache alone
    paths = _links(smollm2_path, tmp_path, tk.GGUF_CACHE_SIZE + 2)
    for p in paths:
        assert tokenize_gguf(p, "Bonjour").count > 0
    cached = tk.gguf_cached()
    assert len(cached) == tk.GGUF_CACHE_SIZE == 4
    assert cached == [str(p.resolve()) for p in paths[-4:]]  # the least recently used went first
    tokenize_gguf(paths[2], "Bonjour")  # a hit moves it to the end
    assert tk.gguf_cached()[-1] == str(paths[2].resolve())


def test_only_offered_gguf_files_are_opened(smollm2_path, tmp_path, monkeypatch):
    import playground.tokenize as tk
    from playground.tokenize import compare_tokenizers

    monkeypatch.setattr(tk, "_gguf", type(tk._gguf)())
    offered = [str(smollm2_path)]
    ok, = compare_tokenizers(None, [f"gguf:{smollm2_path}"], "Bonjour", gguf_allowed=offered)
    assert ok.count > 0
    # an existing and a missing file answer the same: nothing tells which server paths exist
    other = _links(smollm2_path, tmp_path, 1)[0]
    errs = compare_tokenizers(None, [f"gguf:{other}", "gguf:/nonexistent/x.gguf", "gguf:/etc/passwd"], "Bonjour",
                              gguf_allowed=offered)
    assert len({type(e) for e in errs}) == 1 and len({e.message for e in errs}) == 1
    assert "not one the server offers" in errs[0].message
    assert tk.gguf_cached() == [str(smollm2_path.resolve())]  # nothing else was loaded
