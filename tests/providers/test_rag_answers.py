"""Mini-RAG's two answers on a real embedded model (SmolLM2 135M Instruct, greedy): the augmented
prompt carries a fact no model can know, and only the answer given the context states it. Both run
through Compare's column workers, with their metrics."""

from playground.compare import compare
from playground.rag import Chunk, Hit, answer_requests, build_prompt

MODEL = "embedded/smollm2-135m-instruct"
FACT = "The code of the blue door in the Vaubecour workshop is 4817."
QUESTION = "What is the code of the blue door in the Vaubecour workshop?"


def test_the_context_gives_the_answer_and_its_absence_does_not(registry):
    hits = [Hit(1, Chunk("workshop.txt", 1, 0, len(FACT), FACT), 0.9),
            Hit(2, Chunk("garden.txt", 1, 0, 38, "The garden has three old apple trees."), 0.2)]
    prompt = build_prompt(QUESTION, hits, "en")
    reqs = answer_requests(MODEL, True, prompt, QUESTION, max_tokens=40, temperature=0.0, seed=1)
    with_ctx, without = compare(registry, reqs)
    assert not with_ctx.error and not without.error
    assert "4817" in with_ctx.text
    assert "4817" not in without.text
    assert with_ctx.text != without.text
    # the context is in the prompt the model saw: many more prompt tokens, and both measured
    assert with_ctx.prompt_tokens > without.prompt_tokens + 30
    for r in (with_ctx, without):
        assert r.completion_tokens and r.completion_tokens > 0
        assert r.total_s is not None and r.ttft_s is not None and 0 < r.ttft_s <= r.total_s
