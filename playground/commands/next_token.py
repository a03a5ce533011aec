"""`next-token`: print a model's next-token distribution after temperature / top-k / top-p / min-p."""

from __future__ import annotations

import json
import math

from playground.cli import UsageError, check_range, server_registry
from playground.explorer import next_token_distribution, view
from providers.base import ProviderError
from providers.sampling import SamplingParams

NAME = "next-token"
HELP = "Show the next-token distribution of a model for a prompt (reshaped like the sampler)."


def add_arguments(p) -> None:
    p.add_argument("--model", required=True, help="model id provider/model")
    p.add_argument("--prompt", required=True)
    p.add_argument("--chat", action="store_true", help="apply the chat template (chat models); default: raw completion")
    p.add_argument("--top-k", type=int, default=0, help="sampler top-k filter (0 = off); also how many tokens are printed unless --show")
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--top-p", type=float, default=1.0)
    p.add_argument("--min-p", type=float, default=0.0)
    p.add_argument("--show", type=int, help="how many tokens to print (default: --top-k, or 10 when top-k is off)")
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    check_range("temperature", args.temperature, 0.0, 2.0)
    check_range("top-p", args.top_p, 0.0, 1.0, lo_open=True)
    check_range("min-p", args.min_p, 0.0, 1.0)
    check_range("top-k", args.top_k, 0, None)
    check_range("show", args.show, 1, 1000)
    show = args.show or (min(args.top_k, 1000) if args.top_k else 10)
    if not args.prompt.strip():
        raise UsageError("--prompt is empty")
    registry = server_registry()
    params = SamplingParams(args.temperature, args.top_k, args.top_p, args.min_p)
    try:
        dist = next_token_distribution(registry, args.model, args.prompt, args.chat)
    except ProviderError as exc:
        raise UsageError(exc.message) from None
    v = view(dist, params, show=show)
    rows = [
        {"rank": i + 1, "token": c.piece, "id": c.token_id, "logprob": round(c.logprob, 6),
         "prob_raw": round(math.exp(c.logprob), 6), "prob_t": round(c.prob_t, 6),
         "prob": round(c.prob_final, 6), "kept": c.kept}
        for i, c in enumerate(v.candidates)
    ]
    if args.json:
        print(json.dumps({
            "model": args.model, "prompt": args.prompt, "mode": "chat" if args.chat else "raw",
            "exact": dist.exact, "vocab_size": dist.vocab_size,
            "note": None if dist.exact else "approximate: computed over the returned top logprobs (raw, before temperature)",
            "params": {"temperature": params.temperature, "top_k": params.top_k, "top_p": params.top_p, "min_p": params.min_p},
            "entropy_t": v.entropy_t, "entropy_final": v.entropy_final, "n_kept": v.n_kept,
            "other": v.other_final, "tokens": rows,
        }, ensure_ascii=False, indent=2))
        return 0
    kind = "exact, full vocabulary" if dist.exact else "APPROXIMATE: over the returned top logprobs, raw (before temperature)"
    print(f"# {args.model} · {kind} · T={params.temperature} top_k={params.top_k} top_p={params.top_p} min_p={params.min_p}")
    print(f"# entropy {v.entropy_t:.3f} nats at T, {v.entropy_final:.3f} after filters · {v.n_kept} tokens kept")
    print(f"{'rank':>4}  {'token':<20} {'id':>7} {'logprob':>9} {'p(T=1)':>8} {'prob':>8}")
    for r in rows:
        tid = "" if r["id"] is None else str(r["id"])
        cut = "" if r["kept"] else "  (cut)"
        print(f"{r['rank']:>4}  {json.dumps(r['token'], ensure_ascii=False):<20} {tid:>7} {r['logprob']:>9.4f} "
              f"{100 * r['prob_raw']:>7.2f}% {100 * r['prob']:>7.2f}%{cut}")
    print(f"{'':>4}  {'(other)':<20} {'':>7} {'':>9} {'':>8} {100 * v.other_final:>7.2f}%")
    return 0
