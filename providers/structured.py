"""Structured output: a JSON Schema as the person typed it, checked once, and the model's answer
checked against it.

Every backend gets the same two things from here: `parse_schema` (is the schema itself valid?
say so before anything is sent) and `check_output` (does the answer parse, and does it satisfy
the schema?). The check runs on every answer, whatever the backend promised: a server that
ignored the schema shows up as schema errors in its column, not as a silent pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import jsonschema
from jsonschema.exceptions import SchemaError

from providers.base import InvalidRequest

# What `Capabilities.structured` says a backend can do with "JSON output".
STRUCTURED_SCHEMA = "schema"  # the output is constrained to the schema (grammar, strict json_schema)
STRUCTURED_JSON = "json"  # valid JSON is asked for; the schema is sent but may not be enforced
STRUCTURED_NONE = "none"  # no JSON mode at all: the option is greyed out

# Notices (code "schema_not_enforced") a column shows when the schema was not enforced; the UI
# says them in the person's language (playground/locales/structured.py).
NOT_ENFORCED_SERVER = ("This server was asked for JSON (response_format json_object, the schema beside it as llama.cpp "
                       "servers read it); other servers do not enforce the schema: the check below says whether it holds.")
NOT_ENFORCED_RAW = "Raw completions take no response_format: neither JSON nor the schema were enforced."
NOT_ENFORCED_GRAMMAR = ("llama.cpp's grammar converter does not support this schema: the answer is valid JSON, "
                        "checked against the schema afterwards.")


def parse_schema(text: str | None) -> dict | None:
    """The schema as a dict, or None when the box is empty. Raises InvalidRequest (with an i18n
    code) when it is not JSON, not an object, or not a valid JSON Schema."""
    if text is None or not text.strip():
        return None
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"The JSON Schema is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). Fix it or empty the box.",
            code="schema_not_json", params={"line": exc.lineno, "col": exc.colno, "detail": exc.msg}, param="json_schema",
        ) from None
    if not isinstance(schema, dict):
        raise InvalidRequest("The JSON Schema must be a JSON object ({…}). Fix it or empty the box.",
                             code="schema_not_object", param="json_schema")
    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "(root)"
        raise InvalidRequest(
            f"The JSON Schema is invalid at {where}: {exc.message}. Fix it or empty the box.",
            code="schema_invalid", params={"where": where, "detail": exc.message}, param="json_schema",
        ) from None
    return schema


def canonical_schema(text: str | None) -> str | None:
    """The schema text as one compact JSON line (what requests, history and exports carry)."""
    schema = parse_schema(text)
    return None if schema is None else json.dumps(schema, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class OutputCheck:
    """What the column shows under a JSON answer."""

    parsed: bool
    value: object = None
    pretty: str = ""
    parse_error: str | None = None  # "line 1, column 5: Expecting ',' delimiter"
    schema_errors: tuple[str, ...] = field(default_factory=tuple)  # "/turns/0/role: 'bot' is not one of ..."

    @property
    def ok(self) -> bool:
        return self.parsed and not self.schema_errors


def check_output(text: str, schema_text: str | None = None) -> OutputCheck:
    """Parse the answer as JSON (surrounding blanks and a ```json fence are tolerated: chat
    models add them) and validate it against the schema, listing every error."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0].strip()
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        return OutputCheck(False, parse_error=f"line {exc.lineno}, column {exc.colno}: {exc.msg}")
    pretty = json.dumps(value, ensure_ascii=False, indent=2)
    errors: list[str] = []
    schema = parse_schema(schema_text)
    if schema is not None:
        validator = jsonschema.validators.validator_for(schema)(schema)
        for err in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path))):
            where = "/" + "/".join(str(p) for p in err.path)
            errors.append(f"{where}: {err.message}")
    return OutputCheck(True, value, pretty, None, tuple(errors))


def complete_json(text: str) -> bool:
    """Is `text` a whole JSON object or array already? (A grammar-constrained answer stops there:
    nothing may follow but blanks.)"""
    body = text.strip()
    if not body or body[0] not in "{[" or body[-1] not in "}]":
        return False
    try:
        json.loads(body)
    except json.JSONDecodeError:
        return False
    return True


def check_request(request, caps) -> dict | None:
    """Refuse JSON output where the backend has none; return the parsed schema (or None).
    Called by each provider right after `validate_request`."""
    if not request.wants_json:
        return None
    if caps.structured == STRUCTURED_NONE:
        raise InvalidRequest(f"{request.model} cannot be asked for JSON output: untick “JSON output” for this model.",
                             code="json_unsupported", params={"model": request.model}, param="json_output")
    return parse_schema(request.json_schema)
