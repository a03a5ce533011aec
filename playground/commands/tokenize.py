"""`tokenize`: print the tokens (ids and pieces) of a text for a model or a tokenizer."""

from __future__ import annotations

import json

from playground.cli import UsageError, server_registry
from playground.tokenize import tokenize_with
from providers.base import ProviderError

NAME = "tokenize"
HELP = "Tokenize a text: embedded/<model>, tiktoken/o200k_base, tiktoken/cl100k_base or gguf:<path>."


def add_arguments(p) -> None:
    p.add_argument("--model", required=True, action="append",
                   help="embedded model id, tiktoken/<encoding> or gguf:<path> (repeatable)")
    p.add_argument("--text", required=True)
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    if not args.text:
        raise UsageError("--text is empty")
    registry = server_registry()
    out = []
    for name in args.model:
        try:
            out.append(tokenize_with(registry, name, args.text))
        except ProviderError as exc:
            raise UsageError(exc.message) from None
    if args.json:
        payload = [t.to_dict() for t in out]
        print(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
        return 0
    for t in out:
        cpt = "—" if t.chars_per_token is None else f"{t.chars_per_token:.2f}"
        print(f"# {t.label}: {t.count} tokens · {t.n_chars} chars · {cpt} chars/token · vocab {t.vocab_size}")
        for tok in t.tokens:
            print(f"{tok.id:>8}  {json.dumps(tok.piece, ensure_ascii=False)}{'  (special)' if tok.special else ''}")
    return 0
