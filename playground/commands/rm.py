"""`rm`: delete an Ollama model (/api/delete) or a GGUF downloaded from the hub."""

from __future__ import annotations

import sys

from playground.cli import UsageError
from playground.config import build_registry
from playground.models import remove
from providers.base import InvalidRequest, ModelNotFound, ProviderError

NAME = "rm"
HELP = "Delete an Ollama model (ollama/NAME:TAG) or a GGUF downloaded from the hub (embedded/NAME)."


def add_arguments(p) -> None:
    p.add_argument("model", help="a model id as `models` lists it, e.g. ollama/qwen2.5:0.5b")


def run(args) -> int:
    try:
        registry = build_registry()
    except ValueError as exc:
        raise UsageError(f"configuration: {exc}") from None
    try:
        remove(registry, args.model)
    except (InvalidRequest, ModelNotFound) as exc:
        raise UsageError(f"{args.model}: {exc.message}") from None
    except ProviderError as exc:
        print(f"error: {args.model}: {exc.message}", file=sys.stderr)
        return 1
    print(f"deleted {args.model}", file=sys.stderr)
    return 0
