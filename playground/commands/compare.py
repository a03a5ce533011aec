"""`compare`: run one prompt on several models and print texts and metrics."""

from __future__ import annotations

import json
import sys

from playground.cli import MAX_SEED, UsageError, check_range, server_registry
from playground.compare import compare
from playground.request import build_request
from providers.base import InvalidRequest, ProviderError
from providers.structured import canonical_schema, check_output

NAME = "compare"
HELP = "Run one prompt on one or more models, side by side."


def add_arguments(p) -> None:
    p.add_argument("--model", action="append", required=True, help="model id provider/model (repeatable)")
    p.add_argument("--prompt", required=True)
    p.add_argument("--system")
    p.add_argument("--temperature", type=float, default=0.7)
    p.add_argument("--top-p", type=float, default=1.0)
    p.add_argument("--top-k", type=int, default=0)
    p.add_argument("--min-p", type=float, default=0.0)
    p.add_argument("--max-tokens", type=int, default=128)
    p.add_argument("--seed", type=int)
    p.add_argument("--top-logprobs", type=int, default=0)
    p.add_argument("--stop", action="append", default=[])
    p.add_argument("--json", action="store_true", help="print one JSON object per model")
    p.add_argument("--json-output", action="store_true", help="ask each model for one JSON value (JSON mode)")
    p.add_argument("--json-schema", metavar="FILE", help="a JSON Schema file the answer must satisfy (implies --json-output)")


def read_schema(path: str | None) -> str | None:
    """The schema file as compact JSON text; a missing file or an invalid schema is a usage error."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise UsageError(f"--json-schema {path}: cannot read the file ({exc.strerror})") from None
    try:
        return canonical_schema(text) or ""
    except InvalidRequest as exc:
        raise UsageError(f"--json-schema {path}: {exc.message.replace(' Fix it or empty the box.', '')}") from None


def build_requests(args, registry) -> list:
    check_range("temperature", args.temperature, 0.0, 2.0)
    check_range("top-p", args.top_p, 0.0, 1.0, lo_open=True)
    check_range("top-k", args.top_k, 0, None)
    check_range("min-p", args.min_p, 0.0, 1.0)
    check_range("max-tokens", args.max_tokens, 1, None)
    check_range("top-logprobs", args.top_logprobs, 0, 20)
    check_range("seed", args.seed, 0, MAX_SEED)
    if not args.prompt.strip():
        raise UsageError("--prompt is empty")
    schema = read_schema(getattr(args, "json_schema", None))
    if schema == "":
        raise UsageError(f"--json-schema {args.json_schema}: the file is empty")
    wants_json = bool(schema) or getattr(args, "json_output", False)
    requests = []
    for model_id in args.model:
        try:
            caps = registry.capabilities(model_id)
        except ProviderError as exc:
            raise UsageError(exc.message) from None
        common = dict(temperature=args.temperature, top_p=args.top_p, top_k=args.top_k,
                      min_p=args.min_p, max_tokens=args.max_tokens, seed=args.seed,
                      top_logprobs=args.top_logprobs, stop=tuple(args.stop))
        if wants_json:
            if caps.structured == "none":
                raise UsageError(f"{model_id} cannot be asked for JSON output")
            common.update(json_output=True, json_schema=schema)
        if caps.context_length and args.max_tokens > caps.context_length:
            raise UsageError(f"--max-tokens {args.max_tokens} exceeds {model_id}'s context ({caps.context_length})")
        requests.append(build_request(model_id, args.prompt, caps.mode == "chat", args.system, **common))
    return requests


def run(args) -> int:
    registry = server_registry()
    requests = build_requests(args, registry)
    results = compare(registry, requests)
    keys = ("model", "text", "prompt_tokens", "completion_tokens", "ttft_s", "total_s", "tokens_per_s",
            "finish_reason", "logprobs", "error")
    if args.json:
        for r in results:
            d = r.to_dict()
            out = {k: d[k] for k in keys}
            out.update({k: d[k] for k in ("chars_per_s", "tokens_estimated", "server_timings", "extra", "notes")})
            check = _check(r, requests)
            if check is not None:
                out["json_check"] = {"valid_json": check.parsed, "parse_error": check.parse_error,
                                     "schema_errors": list(check.schema_errors), "valid": check.ok}
            print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        for r in results:
            print(f"=== {r.model}")
            if r.text:
                print(r.text)
            if r.error:
                print(f"[error] {r.error}", file=sys.stderr)
            check = _check(r, requests)
            if check is not None:
                if not check.parsed:
                    print(f"[json] not valid JSON: {check.parse_error}")
                elif check.schema_errors:
                    print("[json] valid JSON, schema not satisfied: " + "; ".join(check.schema_errors))
                else:
                    print("[json] valid JSON ✓" + (" (schema satisfied)" if _schema(r, requests) else ""))
            print(f"--- prompt {r.prompt_tokens} tok · completion {r.completion_tokens} tok · "
                  f"TTFT {_f(r.ttft_s)} s · total {_f(r.total_s)} s · {_f(r.tokens_per_s, 1)} tok/s · "
                  f"finish {r.finish_reason}\n")
    return 1 if any(r.error for r in results) else 0


def _schema(result, requests) -> str | None:
    req = next((q for q in requests if q.model == result.model), None)
    return req.json_schema if req is not None else None


def _check(result, requests):
    """The JSON check of a JSON-output answer (None when JSON output was not asked for)."""
    req = next((q for q in requests if q.model == result.model), None)
    if req is None or not req.wants_json or result.error:
        return None
    return check_output(result.text or "", req.json_schema)


def _f(v, digits: int = 3) -> str:
    return "—" if v is None else f"{v:.{digits}f}"
