"""`models`: list every reachable backend's models, with what each is and where it runs."""

from __future__ import annotations

import json
import sys

from playground.config import registry_or_embedded
from playground.models import format_label, format_number, format_size, inventory

NAME = "models"
HELP = "List the models of every reachable backend (family, parameters, quantization, size, context, where)."


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def run(args) -> int:
    registry, problem = registry_or_embedded()
    if problem is not None:  # a mistake in secrets.toml: say which, list what still works, exit 2
        print(f"error: configuration: {problem.message} Only the embedded models are listed.", file=sys.stderr)
    models, _ = registry.list_models()
    rows, errors = inventory(registry)
    if args.json:
        by_id = {r.id: r for r in rows}
        print(json.dumps({
            "models": [{"id": m.id, "provider": m.provider, "name": m.name, "label": m.label,
                        "details": dict(m.details), **_row_fields(by_id.get(m.id))} for m in models],
            "errors": errors,
        }, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"{'MODEL':48s} {'FAMILY':10s} {'PARAMS':8s} {'QUANT':8s} {'SIZE':>9s} {'CONTEXT':>8s}  WHERE")
        for r in rows:
            print(f"{r.id:48s} {r.family or '—':10s} {format_label(r.parameters, 'en'):8s} {r.quantization or '—':8s} "
                  f"{format_size(r.size_bytes, 'en'):>9s} {format_number(r.context_length, 'en'):>8s}  {r.where}")
        for prov, err in errors.items():
            print(f"# {prov}: {err}")
    return 2 if problem is not None else 0


def _row_fields(r) -> dict:
    if r is None:
        return {}
    return {"kind": r.kind, "family": r.family, "parameters": r.parameters, "quantization": r.quantization,
            "size_bytes": r.size_bytes, "context_length": r.context_length, "where": r.where, "source": r.source,
            "deletable": r.deletable}
