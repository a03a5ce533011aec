"""Exports of a run or a benchmark: JSON (everything, replayable), CSV (metrics), Markdown (readable).

A "record" is the plain dict stored in history and written to JSON: `{"kind": "compare",
"requests": [...], "results": [...], ...}`, a benchmark report (`{"kind": "benchmark", ...}`), a
sampling-lab grid (`{"kind": "sampling", ...}`, see playground.sampling_lab.lab_record) or training
sentences (`{"kind": "sentences", ...}`). Every writer goes through `store.scrub` rules: no secrets.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Mapping, Sequence

from playground.bench import BenchReport, stats_csv
from playground.conversation import Turn, record_turns
from playground.cost import format_cost, result_cost
from playground.i18n import format_number, format_percent, translate
from playground.record_json import dumps
from playground.runner import Result
from providers.base import GenerationRequest

FORMAT_VERSION = 1


class ExportError(ValueError):
    """A file that is not a playground export (or not one that can be replayed)."""


def _costs(results: Sequence[Result | None]) -> list[dict]:
    costs = []
    for r in results:
        cost, source = result_cost(r) if r is not None else (None, None)
        costs.append({"usd": cost, "source": source})
    return costs


def compare_record(requests: Sequence[GenerationRequest], results: Sequence[Result | None],
                   model_details: Mapping[str, Mapping] | None = None, status: str = "done",
                   turns: Sequence[Turn] = (), prompt: str | None = None, system: str | None = None) -> dict:
    """The full record of one Compare run (what history stores and JSON export writes).

    A conversation keeps its latest turn where a single run is (`requests`, `results`: the
    requests carry the whole message list, so replaying them replays that turn exactly) and its
    earlier turns, oldest first, in `turns`; `prompt` is what the person typed for the latest
    turn and `system` the conversation's system prompt (playground.conversation.record_turns
    reads them all back)."""
    res = [r for r in results]
    extra: dict = {}
    if prompt is not None:
        extra["prompt"] = prompt
    if system is not None:
        extra["system"] = system
    if turns:
        extra["turns"] = [{**t.to_dict(), "costs": _costs(t.results)} for t in turns]
    return {
        "kind": "compare",
        "format_version": FORMAT_VERSION,
        "created_at": time.time(),
        "status": status,
        "requests": [q.to_dict() for q in requests],
        "results": [r.to_dict() if r is not None else None for r in res],
        "costs": _costs(res),
        "model_details": {k: dict(v) for k, v in (model_details or {}).items()},
        **extra,
    }


def compare_summary(record: Mapping) -> dict:
    """Small per-model metrics (of the latest turn) kept beside a history row (listing never
    loads full data), and the number of turns."""
    out = []
    for r, c in zip(record.get("results") or [], record.get("costs") or [{}] * 99):
        if not r:
            continue
        out.append({"model": r["model"], "queue_s": r.get("queue_s"), "ttft_s": r.get("ttft_s"), "total_s": r.get("total_s"),
                    "tokens_per_s": r.get("tokens_per_s"), "completion_tokens": r.get("completion_tokens"),
                    "error": r.get("error"), "cost": (c or {}).get("usd")})
    return {"columns": out, "turns": len(record.get("turns") or []) + 1}


def to_json(record: Mapping) -> str:
    """The record as readable JSON. A lone surrogate (half a UTF-16 pair, from a JSON escape in
    an uploaded or replayed file) cannot be written as UTF-8: then every non-ASCII character is
    escaped instead, so the file is still written, whole, and reads back the same."""
    data = json.loads(dumps(record))
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, indent=2)
    return text


def load_record(source: str | Path | bytes) -> dict:
    """Parse an exported JSON file (path, text or bytes) and check it is a playground record."""
    try:
        if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("{")):
            text = Path(source).read_text(encoding="utf-8")
        elif isinstance(source, bytes):
            text = source.decode("utf-8")
        else:
            text = source
        record = json.loads(text)
    except FileNotFoundError:
        raise ExportError(f"No such file: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"Cannot read {source}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"Not valid JSON: {exc.msg} (line {exc.lineno}).") from None
    except RecursionError:
        raise ExportError("This JSON is nested too deeply to be a playground export.") from None
    if not isinstance(record, dict) or record.get("kind") not in ("compare", "benchmark", "sampling", "sentences"):
        raise ExportError("This JSON is not a playground export (no “kind”: compare, benchmark, sampling or sentences).")
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a JSON escape of half a UTF-16 pair ("\ud800"): no model can be sent it
        raise ExportError("This export holds a lone surrogate (an escape such as \\ud800 that is half a character); "
                          "fix or remove it.") from None
    except RecursionError:
        raise ExportError("This JSON is nested too deeply to be a playground export.") from None
    return record


def replay_requests(record: Mapping) -> list[GenerationRequest]:
    if record.get("kind") != "compare":
        raise ExportError(f"Only Compare runs can be replayed as a comparison (this one is “{record.get('kind')}”).")
    try:
        reqs = [_checked_request(GenerationRequest.from_dict(q)) for q in record.get("requests") or []]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ExportError(f"The export's requests are incomplete or damaged ({type(exc).__name__}: {exc}).") from None
    if not reqs:
        raise ExportError("The export contains no request to replay.")
    return reqs


def _checked_request(q: GenerationRequest) -> GenerationRequest:
    """A request read from a file, with every field of the type the providers expect."""
    texts = [q.model, *(m.role for m in q.messages), *(m.content for m in q.messages), *q.stop]
    if not all(isinstance(t, str) for t in texts) or not all(isinstance(t, (str, type(None)))
                                                            for t in (q.prompt, q.system, q.json_schema)):
        raise TypeError("a text field holds something else")
    for name in ("seed", "num_ctx"):
        value = getattr(q, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"{name} must be a whole number")
    return q


# ---------------------------------------------------------------- CSV
COMPARE_CSV_COLUMNS = ("column", "model", "prompt_tokens", "completion_tokens", "tokens_estimated", "queue_s", "ttft_s",
                       "total_s", "tokens_per_s", "chars_per_s", "finish_reason", "cost_usd", "cost_source", "error",
                       "turn", "prompt", "text")


SAMPLING_CSV_COLUMNS = ("temperature", "sample", "seed", "model", "failed", "text", "completion_tokens",
                        "tokens_estimated", "ttft_s", "total_s", "tokens_per_s", "finish_reason", "error")


def to_csv(record: Mapping) -> str:
    """Metrics table: one row per column (compare), per model and concurrency (benchmark) or per
    sample (sampling)."""
    if record.get("kind") == "sampling":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=SAMPLING_CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in record.get("results") or []:
            if isinstance(r, Mapping):
                w.writerow({k: r.get(k) for k in SAMPLING_CSV_COLUMNS})
        return buf.getvalue()
    if record.get("kind") == "benchmark":
        return stats_csv(BenchReport.from_dict(record).stats())
    if record.get("kind") == "sentences":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["sentence", "kept"])
        kept = set(record.get("kept") or [])
        for s in record.get("sentences") or []:
            w.writerow([s, s in kept])
        return buf.getvalue()
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COMPARE_CSV_COLUMNS)
    w.writeheader()
    # one row per turn and column: a conversation's earlier turns first, then the latest
    turn_dicts = [*(t for t in record.get("turns") or [] if isinstance(t, Mapping)), record]
    prompts = [t.prompt for t in record_turns(record)]
    for n, (turn, prompt) in enumerate(zip(turn_dicts, prompts), 1):
        costs = turn.get("costs") or []
        for i, r in enumerate(turn.get("results") or []):
            if not r:
                continue
            c = costs[i] if i < len(costs) and costs[i] else {}
            row = {k: r.get(k) for k in COMPARE_CSV_COLUMNS if k in r}
            row.update({"column": i + 1, "cost_usd": c.get("usd"), "cost_source": c.get("source"), "turn": n,
                        "prompt": prompt})
            w.writerow(row)
    return buf.getvalue()


# ---------------------------------------------------------------- Markdown
def _f(v, digits: int = 2, unit: str = "", lang: str = "en") -> str:
    return "—" if v is None else format_number(v, digits, lang) + unit


def _t(key: str, lang: str, **kwargs: object) -> str:
    return translate(f"md.{key}", lang, **kwargs)


def _temp(t, lang: str) -> str:
    """A temperature: 0.7 in English, 0,7 in French (no trailing zeros)."""
    if lang != "fr" or not isinstance(t, (int, float)):
        return str(t)
    return format_number(t, 2, lang).rstrip("0").rstrip(",.") or "0"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(record: Mapping, lang: str = "en") -> str:
    """A comparison readable in a chat or on a slide, in `lang` (headings, table, numbers)."""
    kind = record.get("kind")
    if kind == "benchmark":
        return _bench_markdown(record, lang)
    if kind == "sampling":
        return _sampling_markdown(record, lang)
    if kind == "sentences":
        lines = [_t("sentences", lang, model=record.get("model", "")), ""]
        lines += [f"- {s}" for s in record.get("kept") or record.get("sentences") or []]
        return "\n".join(lines) + "\n"
    reqs = record.get("requests") or []
    results = record.get("results") or []
    costs = record.get("costs") or []
    prompt = ""
    if reqs:
        q = reqs[0]
        prompt = q.get("prompt") or "\n".join(m["content"] for m in q.get("messages") or [] if m["role"] == "user")
    lines = [_t("comparison", lang), ""]
    if record.get("turns"):  # the table below is the latest turn's; each column's turns follow it
        prompt = ""
        n_turns = len(record["turns"]) + 1
        lines = [_t("conversation", lang, n=n_turns), "", _t("conversation_metrics", lang, n=n_turns), ""]
    if prompt:
        lines += ["> " + prompt.replace("\n", "\n> "), ""]
    lines += [_t("compare_header", lang),
              "|---|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(results):
        if not r:
            continue
        c = costs[i] if i < len(costs) and costs[i] else {}
        n_tok = r.get("completion_tokens")
        finish = r.get("finish_reason")
        finish = translate(f"finish.{finish}", lang) if finish in ("stop", "length", "cancelled", "error") else finish
        lines.append(f"| {i + 1} | {_cell(r['model'])} | {_f(r.get('queue_s'), lang=lang)} | {_f(r.get('ttft_s'), 3, lang=lang)} | "
                     f"{_f(r.get('total_s'), lang=lang)} | {_f(r.get('tokens_per_s'), 1, lang=lang)} | {_f(n_tok, 0, lang=lang)} | "
                     f"{format_cost(c.get('usd'), c.get('source'))} | {finish or '—'} |")
    turns = record_turns(record) if record.get("turns") else []
    for i, r in enumerate(results):
        if not r:
            continue
        q = reqs[i] if i < len(reqs) else {}
        params = ", ".join(f"{k}={q[k]}" for k in ("temperature", "top_p", "top_k", "min_p", "max_tokens", "seed")
                           if q.get(k) not in (None, 0, 0.0) or k == "temperature")
        lines += ["", f"## {i + 1}. {r['model']}", "", f"*{params}*", ""]
        if turns:  # a conversation: every turn of this column, the person's message then the answer
            for n, t in enumerate(turns, 1):
                tr_ = t.results[i] if i < len(t.results) else None
                lines += [_t("turn", lang, n=n), "", "> " + t.prompt.replace("\n", "\n> "), ""]
                if tr_ is not None:
                    lines += [tr_.text or ""]
                    if tr_.error:
                        lines += ["", _t("error", lang, error=tr_.error)]
                lines += [""]
            continue
        lines += [r.get("text") or ""]
        if r.get("error"):
            lines += ["", _t("error", lang, error=r["error"])]
    return "\n".join(lines) + "\n"


def _bench_markdown(record: Mapping, lang: str = "en") -> str:
    rep = BenchReport.from_dict(record)
    cfg = rep.config
    lines = ["# Benchmark", "",
             _t("bench_line", lang, prompts=len(cfg.prompts), reps=cfg.repetitions, mode=cfg.mode,
                levels=", ".join(map(str, cfg.levels()))) + (_t("partial", lang) if rep.cancelled else ""),
             "",
             _t("bench_header", lang),
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for g in rep.stats():
        m = g.metrics
        tpot = m["tpot_s"]["p50"]
        lines.append(f"| {_cell(g.model)} | {g.concurrency} | {g.requests} | {g.errors} ({format_percent(g.error_rate, 0, lang)}) | "
                     f"{_f(m['ttft_s']['p50'], 3, lang=lang)} | {_f(m['ttft_s']['p99'], 3, lang=lang)} | "
                     f"{_f(None if tpot is None else tpot * 1000, 1, lang=lang)} | "
                     f"{_f(m['e2e_s']['p50'], lang=lang)} | {_f(m['tokens_per_s']['mean'], 1, lang=lang)} | "
                     f"{_f(g.throughput_tok_s, 1, lang=lang)} | "
                     f"{format_cost(g.cost, 'estimated' if g.cost is not None else None)} |")
    return "\n".join(lines) + "\n"


def _sampling_markdown(record: Mapping, lang: str = "en") -> str:
    q = record.get("request") or {}
    params = ", ".join(f"{k}={q[k]}" for k in ("top_p", "top_k", "min_p", "max_tokens") if q.get(k) not in (None,))
    lines = [_t("sampling", lang, model=record.get("model", "")), ""]
    if record.get("prompt"):
        lines += ["> " + str(record["prompt"]).replace("\n", "\n> "), ""]
    sep = " ; " if lang == "fr" else ", "  # a French decimal comma cannot separate the values
    temps = sep.join(_temp(t, lang) for t in record.get("temperatures") or [])
    if temps:
        lines += [_t("sampling_line", lang, temps=temps, n=record.get("n_samples"), seed=record.get("base_seed"),
                     params=params) + (_t("partial", lang) if record.get("status") == "cancelled" else ""), ""]
    if record.get("diversity"):
        lines += [_t("diversity_header", lang), "|---|---|---|---|"]
        for d in record["diversity"]:
            lines.append(f"| {_temp(d['temperature'], lang)} | {d['distinct_outputs']}/{d['n']} | "
                         f"{_f(d.get('distinct_2'), 3, lang=lang)} | {d.get('failed', 0)} |")
    current = None
    for r in record.get("results") or []:
        if not isinstance(r, Mapping):
            continue
        if r.get("temperature") != current:
            current = r.get("temperature")
            lines += ["", f"## T = {_temp(current, lang)}", ""]
        text = r.get("text") or ""
        if r.get("error"):
            text = _t("error", lang, error=r["error"])
        elif not text.strip():
            text = _t("empty", lang)
        lines.append(_t("seed_line", lang, seed=r.get("seed"), text=_cell(text)))
    det = record.get("determinism")
    if det:
        outcome = (_t("error", lang, error=det["error"]) if det.get("error") else
                   _t("identical", lang) if det.get("identical") else _t("differ", lang))
        lines += ["", _t("determinism", lang), "",
                  _t("det_line", lang, t=_temp(det.get("temperature"), lang), seed=det.get("seed")) + outcome]
        if det.get("diff"):
            lines += ["", "```diff", det["diff"], "```"]
    return "\n".join(lines) + "\n"
