"""How many rows one decode call may carry for a model while every row's logits stay
bit-identical to a solo run: measured once when the model's scheduler starts."""

from __future__ import annotations

import numpy as np

from providers.embedded.context import CPU_TURN


def calibrate_rows(engine, candidates: tuple[int, ...] = (16, 8, 4, 2)) -> int:
    """The most rows per decode call that keep every row's logits identical to a solo run.

    Four short prompts are decoded alone (with the dummy row) and then 16 copies together in
    groups of each candidate size; the first size with bit-identical logits wins."""
    m, ctx = engine.model, engine.ctx
    texts = ["Once upon a time", "La souris de l'ordinateur est un", "1, 2, 3,", "The capital of France is"]
    prompts = [m.tokenize(t, add_bos=True, special=False)[:8] for t in texts]
    steps = 3
    n = min(16, engine.settings.max_active)

    def run(seqs: list[tuple[int, list[int]]], rows: int) -> dict[int, list[np.ndarray]]:
        out: dict[int, list[np.ndarray]] = {s: [] for s, _ in seqs}
        last, pos = {}, {}
        for s, toks in seqs:
            ctx.decode([(t, p, s, p == len(toks) - 1) for p, t in enumerate(toks)])
            last[s], pos[s] = int(np.argmax(ctx.logits(len(toks) - 1))), len(toks)
        for _ in range(steps):
            for g in range(0, len(seqs), rows):
                group = seqs[g: g + rows]
                ctx.decode([(last[s], pos[s], s, True) for s, _ in group])
                for i, (s, _) in enumerate(group):
                    row = ctx.logits(i).copy()
                    out[s].append(row)
                    last[s], pos[s] = int(np.argmax(row)), pos[s] + 1
        for s, _ in seqs:
            ctx.drop(s)
        return out

    with CPU_TURN:
        solo = [run([(1, p)], 1)[1] for p in prompts]
        for rows in candidates:
            if rows > n:
                continue
            seqs = [(1 + i, prompts[i % len(prompts)]) for i in range(n)]
            together = run(seqs, rows)
            if all(np.array_equal(a, b) for i, (s, _) in enumerate(seqs) for a, b in zip(solo[i % len(prompts)], together[s])):
                return rows
    return 1

