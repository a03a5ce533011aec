"""The embedded provider on the real bundled models."""

import math
import threading

import pytest

from playground.compare import ColumnDone, ColumnEvent, compare, run_columns
from playground.config import EmbeddedConfig, build_registry, load_config
from playground.runner import run_request
from providers.base import (
    ChatMessage,
    Finished,
    GenerationRequest,
    ModelLoadError,
    ModelNotFound,
    Notice,
    RequestInfo,
    TextDelta,
)
from providers.embedded import GEMMA, SMOLLM2, EmbeddedProvider

SMOL = f"embedded/{SMOLLM2}"
GEM = f"embedded/{GEMMA}"


def chat(text: str, **kw) -> GenerationRequest:
    return GenerationRequest(model=SMOL, messages=(ChatMessage("user", text),), **kw)


def raw(text: str, **kw) -> GenerationRequest:
    return GenerationRequest(model=GEM, prompt=text, **kw)


def test_both_bundled_models_are_listed(embedded):
    ids = [m.id for m in embedded.list_models()]
    assert SMOL in ids and GEM in ids


def test_capabilities_report_mode_context_and_vocab(embedded):
    smol, gem = embedded.capabilities(SMOLLM2), embedded.capabilities(GEMMA)
    assert smol.mode == "chat" and gem.mode == "completion"
    assert smol.details["vocab_size"] == 49152 and gem.details["vocab_size"] == 262144
    assert smol.context_length == 2048  # per sequence: its own cache stream (README, docs/CLASSROOM.md)


@pytest.mark.parametrize("make", [chat, raw])
def test_same_seed_same_parameters_same_text(embedded, make):
    req = make("Il était une fois", temperature=1.0, top_p=0.95, seed=1234, max_tokens=24)
    a = run_request(embedded, req)
    b = run_request(embedded, req)
    assert a.error is None and a.text == b.text and a.completion_tokens == 24


def test_different_seeds_give_different_samples(embedded):
    texts = {run_request(embedded, raw("Il était une fois", temperature=1.2, seed=s, max_tokens=16)).text for s in range(4)}
    assert len(texts) > 1


def test_temperature_zero_is_greedy(embedded):
    req = raw("La souris de l'ordinateur est un", temperature=0.0, max_tokens=12, top_logprobs=3)
    r = run_request(embedded, req)
    assert r.error is None and len(r.logprobs) == 12
    for t in r.logprobs:  # every emitted token is the most likely one
        assert t.id == t.top[0].id
    # the seed does not matter at T=0
    r2 = run_request(embedded, raw("La souris de l'ordinateur est un", temperature=0.0, max_tokens=12, seed=99))
    assert r2.text == r.text


def test_logprobs_are_well_formed(embedded):
    r = run_request(embedded, chat("Bonjour, qui es-tu ?", temperature=0.8, seed=7, max_tokens=20, top_logprobs=20))
    assert r.error is None and len(r.logprobs) == r.completion_tokens == 20
    for t in r.logprobs:
        assert 0.0 < math.exp(t.logprob) <= 1.0
        lps = [a.logprob for a in t.top]
        assert len(lps) == 20 and lps == sorted(lps, reverse=True)
        assert sum(math.exp(x) for x in lps) <= 1.0 + 1e-6
        # the emitted token is in the list, or less likely than the last alternative
        ids = [a.id for a in t.top]
        if t.id in ids:
            assert math.isclose(t.top[ids.index(t.id)].logprob, t.logprob, abs_tol=1e-6)
        else:
            assert t.logprob <= lps[-1] + 1e-9
    assert "".join(t.token for t in r.logprobs).strip() == r.text.strip()


def test_token_counts_equal_the_tokenizer(embedded):
    r = run_request(embedded, raw("Le gratin dauphinois est un plat", temperature=0.0, max_tokens=10))
    m = embedded.model(GEMMA)
    assert r.prompt_tokens == len(m.tokenize("Le gratin dauphinois est un plat", add_bos=True, special=False))
    assert r.completion_tokens == 10
    rc = run_request(embedded, chat("Salut", temperature=0.0, max_tokens=5))
    sm = embedded.model(SMOLLM2)
    text, ids = sm.prompt_tokens(chat("Salut"))
    assert rc.prompt_tokens == len(ids) and "<|im_start|>user\nSalut<|im_end|>" in text
    assert rc.rendered_prompt == text


def test_stop_sequence_cuts_the_text(embedded):
    base = run_request(embedded, raw("1, 2, 3, 4,", temperature=0.0, max_tokens=20))
    assert "," in base.text
    r = run_request(embedded, raw("1, 2, 3, 4,", temperature=0.0, max_tokens=20, stop=(",",)))
    assert r.finish_reason == "stop" and "," not in r.text
    assert base.text.startswith(r.text)


def test_chat_model_stops_by_itself(embedded):
    r = run_request(embedded, chat("Say only: yes", temperature=0.0, max_tokens=200))
    assert r.finish_reason == "stop" and r.completion_tokens < 200


def test_cancel_keeps_partial_text(embedded):
    cancel = threading.Event()
    seen = []

    def on_event(ev, meter):
        if isinstance(ev, TextDelta) and ev.text:
            seen.append(ev.text)
            if len(seen) == 5:
                cancel.set()

    r = run_request(embedded, raw("Il était une fois", temperature=0.0, max_tokens=200), cancel=cancel, on_event=on_event)
    assert r.finish_reason == "cancelled" and r.error is None
    assert r.text.startswith("".join(seen)) and 0 < r.completion_tokens < 20


def test_stream_starts_with_the_request_info(embedded):
    events = list(embedded.stream(chat("Bonjour", max_tokens=2, temperature=0.0)))
    assert isinstance(events[0], RequestInfo) and events[0].payload["model"] == SMOL
    assert isinstance(events[-1], Finished)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "req, match",
    [
        (chat("   "), "empty"),
        (chat("x", temperature=2.5), "Temperature"),
        (chat("x", top_p=1.5), "top_p"),
        (chat("x", top_p=0.0), "top_p"),
        (chat("x", max_tokens=5000), "context"),
        (chat("x", top_logprobs=25), "at most 20"),
        (chat("x", seed=-1), "seed"),
    ],
)
def test_bad_parameters_give_clear_errors(embedded, req, match):
    r = run_request(embedded, req)
    assert r.error is not None and match in r.error and r.error_kind == "invalid_request"


def test_prompt_longer_than_context(embedded):
    r = run_request(embedded, raw("bonjour " * 5000, max_tokens=4))
    assert r.error_kind == "invalid_request" and "context holds 2048" in r.error


def test_unknown_embedded_model(registry):
    with pytest.raises(ModelNotFound, match="Unknown embedded model"):
        registry.capabilities("embedded/nope")
    with pytest.raises(ModelNotFound, match="Unknown provider"):
        registry.capabilities("nope/x")


def test_custom_gguf_paths_missing_and_corrupt(tmp_path, smollm2_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"not a gguf at all" * 10)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(smollm2_path.read_bytes()[:200_000])
    prov = EmbeddedProvider(EmbeddedConfig(gguf_paths=[str(tmp_path / "missing.gguf"), str(bad), str(truncated), str(smollm2_path)]))
    with pytest.raises(ModelLoadError, match="not found"):
        prov.capabilities("missing")
    with pytest.raises(ModelLoadError, match="not a GGUF"):
        prov.capabilities("broken")
    with pytest.raises(ModelLoadError, match="corrupt"):
        prov.capabilities("truncated")
    # a user GGUF with a chat template is a chat model
    custom = smollm2_path.stem.lower()
    assert prov.capabilities(custom).mode == "chat"
    r = run_request(prov, GenerationRequest(model=f"embedded/{custom}", messages=(ChatMessage("user", "Hi"),), max_tokens=3, temperature=0.0))
    assert r.error is None and r.completion_tokens == 3


def test_config_reads_gguf_paths_from_env_and_secrets(smollm2_path):
    cfg = load_config(secrets={"embedded": {"gguf_paths": ["/a.gguf"], "n_ctx": 2048}}, env={"PLAYGROUND_GGUF_PATHS": f"/b.gguf:{smollm2_path}"})
    assert cfg.embedded.gguf_paths == ["/a.gguf", "/b.gguf", str(smollm2_path)] and cfg.embedded.n_ctx == 2048
    reg = build_registry(cfg)
    assert f"embedded/{smollm2_path.stem.lower()}" in [m.id for m in reg.get("embedded").list_models()]


# ---------------------------------------------------------------- columns
def test_compare_runs_two_models_and_a_bad_column_does_not_stop_the_others(registry):
    results = compare(registry, [
        chat("Bonjour", max_tokens=8, temperature=0.0),
        raw("Bonjour", max_tokens=8, temperature=0.0),
        chat("Bonjour", max_tokens=8, temperature=9.0),
        GenerationRequest(model="embedded/unknown", prompt="x"),
    ])
    assert [r.model for r in results] == [SMOL, GEM, SMOL, "embedded/unknown"]
    assert results[0].error is None and results[0].completion_tokens == 8
    assert results[1].error is None and results[1].completion_tokens == 8
    assert "Temperature" in results[2].error
    assert "Unknown embedded model" in results[3].error


def test_two_columns_on_one_model_run_together_not_in_line(registry):
    """Both columns stream at once through the model's scheduler: nobody waits for a turn."""
    reqs = [raw("Il était une fois", max_tokens=40, temperature=0.0), raw("Il était une fois", max_tokens=40, temperature=0.0)]
    notices, results = [], [None, None]
    for item in run_columns(registry, reqs):
        if isinstance(item, ColumnEvent) and isinstance(item.event, Notice):
            notices.append(item.event)
        elif isinstance(item, ColumnDone):
            results[item.index] = item.result
    assert not [n for n in notices if n.code == "queued"]
    assert [n.code for n in notices].count("started") == 2
    assert results[0].text == results[1].text and results[0].error is None
    assert results[0].queue_s is not None and results[1].queue_s is not None


STEP_PROMPT = "Le petit chat de la voisine dort sur"  # used by no other test: nothing cached


def test_step_through_reuses_the_cache_and_matches_generation(embedded):
    """Greedy one-token steps give the same logits (bit for bit) as generation, each step one decode."""
    import numpy as np

    m = embedded.model(GEMMA)
    r = run_request(embedded, raw(STEP_PROMPT, temperature=0.0, max_tokens=6, top_logprobs=1))
    prompt = m.tokenize(STEP_PROMPT, add_bos=True, special=False)
    trail: list[int] = []
    for i, t in enumerate(r.logprobs):
        before = m.engine.load()
        logits = embedded.next_token_logits(GEMMA, prompt, trail)
        after = m.engine.load()
        assert int(np.argmax(logits)) == t.id
        assert float(logits[t.id] - np.logaddexp.reduce(logits.astype(np.float64))) == pytest.approx(t.logprob, abs=1e-5)
        if i > 0:  # the previous step's state is kept: one decode of one token, no prompt evaluated
            assert after["steps"] - before["steps"] == 1
            assert after["prompt_tokens_evaluated"] == before["prompt_tokens_evaluated"]
        trail.append(int(np.argmax(logits)))
    # undo two steps, then step again: the same token comes back
    logits = embedded.next_token_logits(GEMMA, prompt, trail[:-2])
    assert int(np.argmax(logits)) == trail[-2]


def test_negative_seed_is_a_clear_error(embedded):
    r = run_request(embedded, chat("Bonjour", seed=-3))
    assert r.error_kind == "invalid_request" and r.error_code == "seed_range" and "seed" in r.error


def test_gemma_assembly_survives_a_partial_file_from_an_interrupted_start(tmp_path):
    from providers.embedded import locate_gemma

    (tmp_path / "gemma-3-270m-Q4_K_M.gguf").write_bytes(b"GGUF partial")  # no .ok marker: never trusted
    (tmp_path / "gemma-3-270m.1234.part").write_bytes(b"half")
    path = locate_gemma(tmp_path)
    assert path.stat().st_size > 200_000_000 and path.with_suffix(".ok").exists()
    assert not list(tmp_path.glob(f"*.{__import__('os').getpid()}.part"))
