"""`replay`: re-run an exported comparison (JSON from the app or `bench --json`) and print the new results."""

from __future__ import annotations

import sys
from pathlib import Path

from playground.bench import BenchConfig, run_benchmark
from playground.cli import UsageError, server_registry
from playground.commands.bench import check_writable, write_out
from playground.compare import compare
from playground.export import ExportError, compare_record, compare_summary, load_record, replay_requests, to_json
from playground.store import save_run

NAME = "replay"
HELP = "Re-run an exported comparison (or benchmark) JSON file with the same models and parameters."


def add_arguments(p) -> None:
    p.add_argument("file", help="a JSON export (Compare run or benchmark)")
    p.add_argument("--json", dest="json_out", help="write the new run as a JSON export to this file")
    p.add_argument("--save", action="store_true", help="also store the new run in the history database")


def run(args) -> int:
    try:
        record = load_record(Path(args.file))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    check_writable("--json", args.json_out)  # before the run, not after it
    if record["kind"] == "benchmark":
        try:
            config = BenchConfig.from_dict(record["config"])
            config.validate()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"The benchmark export is incomplete or damaged ({type(exc).__name__}: {exc}).") from None
        report = run_benchmark(server_registry(), config)
        new = report.to_dict()
        for g in report.stats():
            print(f"{g.model} ×{g.concurrency}: {g.requests} requests, {g.errors} errors, "
                  f"TTFT p50 {g.metrics['ttft_s']['p50']}, tok/s mean {g.metrics['tokens_per_s']['mean']}")
        failed = any(not s.ok for s in report.samples)
    else:
        try:
            requests = replay_requests(record)
        except ExportError as exc:
            raise UsageError(str(exc)) from None
        results = compare(server_registry(), requests)
        new = compare_record(requests, results)
        for r in results:
            print(f"=== {r.model}")
            print(r.text)
            if r.error:
                print(f"[error] {r.error}", file=sys.stderr)
            print(f"--- {r.completion_tokens} tok · TTFT {r.ttft_s} s · total {r.total_s} s · finish {r.finish_reason}\n")
        failed = any(r.error for r in results)
    new["replayed_from"] = str(args.file)
    if args.json_out and not write_out(args.json_out, to_json(new)):
        return 1
    if args.save:
        models = [q["model"] for q in new.get("requests") or []] or list(new.get("config", {}).get("models", []))
        save_run(new["kind"], new, title=f"Replay of {Path(args.file).name}", models=models,
                 summary=compare_summary(new) if new["kind"] == "compare" else {})
    return 1 if failed else 0
