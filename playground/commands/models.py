"""`models`: list every reachable backend's models."""

from __future__ import annotations

import json
import sys

from playground.config import registry_or_embedded

NAME = "models"
HELP = "List the models of every reachable backend."


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    registry, problem = registry_or_embedded()
    if problem is not None:  # a mistake in secrets.toml: say which, list what still works, exit 2
        print(f"error: configuration: {problem.message} Only the embedded models are listed.", file=sys.stderr)
    models, errors = registry.list_models()
    if args.json:
        print(json.dumps({
            "models": [{"id": m.id, "provider": m.provider, "name": m.name, "label": m.label,
                        "details": {k: v for k, v in m.details.items()}} for m in models],
            "errors": errors,
        }, ensure_ascii=False, indent=2, default=str))
    else:
        for m in models:
            print(f"{m.id:50s} {m.label}")
        for prov, err in errors.items():
            print(f"# {prov}: {err}")
    return 2 if problem is not None else 0
