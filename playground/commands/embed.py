"""`embed`: embed texts with a model (the offline one by default) and print their cosine similarities."""

from __future__ import annotations

import json

from playground.cli import UsageError, server_registry
from playground.embeddings import DEFAULT_MODEL, cosine_matrix, embed
from providers.base import ProviderError

NAME = "embed"
HELP = f"Embed texts and print their cosine similarities (default model: {DEFAULT_MODEL}, offline)."


def add_arguments(p) -> None:
    p.add_argument("--model", default=None,
                   help=f"provider/model, e.g. ollama/nomic-embed-text or openai/text-embedding-3-small "
                        f"(default: {DEFAULT_MODEL}, no server needed)")
    p.add_argument("--text", action="append", default=[], help="a text to embed (repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON: model, dimensions, similarity")


def run(args) -> int:
    if not args.text:
        raise UsageError("give at least one --text")
    if args.model is not None and "/" not in args.model:
        raise UsageError(f"--model must be provider/model (got {args.model!r}), e.g. {DEFAULT_MODEL}")
    # The configuration is only read for a remote model: the offline one needs no server.
    registry = server_registry() if args.model and not args.model.startswith("offline/") else None
    try:
        res = embed(registry, args.model, args.text)
    except ProviderError as exc:
        raise UsageError(exc.message) from None
    sim = cosine_matrix(res.vectors)
    rows = [[round(float(x), 4) for x in row] for row in sim]
    if args.json:
        print(json.dumps({"model": res.model, "dimensions": res.dimensions, "similarity": rows}, ensure_ascii=False))
        return 0
    print(f"# {res.model} · {res.dimensions} dimensions")
    for i, (text, row) in enumerate(zip(args.text, rows), 1):
        print(f"{i:>3}  {'  '.join(f'{x:+.3f}' for x in row)}  {text}")
    return 0
