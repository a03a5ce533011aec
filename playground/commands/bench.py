"""`bench`: run a benchmark headless (same engine as the Benchmark page) and write JSON/CSV."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from playground.bench import (
    BenchConfig,
    run_benchmark,
    samples_csv,
    stats_csv,
    stats_rows,
)
from playground.cli import MAX_SEED, UsageError, check_range, server_registry
from playground.export import to_json
from playground.prompt_sets import BUILTIN_SETS, PromptSetError, parse_prompt_file
from playground.store import history_status

NAME = "bench"
HELP = "Benchmark models on a prompt set (TTFT, TPOT, ITL, E2E, tok/s, throughput, percentiles)."


def add_arguments(p) -> None:
    p.add_argument("--model", action="append", required=True, help="model id provider/model (repeatable)")
    p.add_argument("--prompts", default="en", help="built-in set 'fr' or 'en', or a .csv/.jsonl/.txt file")
    p.add_argument("--limit", type=int, help="use only the first N prompts")
    p.add_argument("--repetitions", type=int, default=1)
    p.add_argument("--concurrency", type=int, action="append", help="concurrency level (repeatable; parallel mode)")
    p.add_argument("--mode", choices=["sequential", "parallel"], default=None,
                   help="sequential = one request at a time (default); parallel = --concurrency requests in flight")
    p.add_argument("--no-warmup", action="store_true")
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--max-tokens", type=int, default=64)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", dest="json_out", help="write the full report (replayable JSON) to this file")
    p.add_argument("--csv", dest="csv_out", help="write the metrics table (CSV) to this file")
    p.add_argument("--samples-csv", help="write every request's measurements (CSV) to this file")
    p.add_argument("--save", action="store_true", help="also store the benchmark in the history database")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def load_prompts(spec: str, limit: int | None = None):
    if spec in BUILTIN_SETS:
        prompts = list(BUILTIN_SETS[spec])
    else:
        path = Path(spec)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"--prompts: cannot read {spec}: {exc.strerror or exc}") from None
        try:
            prompts = parse_prompt_file(path.name, data)
        except PromptSetError as exc:
            raise UsageError(str(exc)) from None
    if limit is not None:
        check_range("limit", limit, 1, None)
        prompts = prompts[:limit]
    return prompts


def check_writable(option: str, spec: str | None) -> None:
    """Fail before a long benchmark, not after it: the output file must be writable now."""
    if not spec:
        return
    path = Path(spec).expanduser()
    if path.is_dir():
        raise UsageError(f"{option}: {spec} is a directory; give a file name.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{option}: cannot write {spec}: the folder {parent} does not exist.")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{option}: cannot write {spec}: permission denied.")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{option}: cannot write {spec}: the folder {parent} is not writable.")


def write_out(spec: str, text: str) -> bool:
    """Write one output file whole or not at all; a failure (disk full, text that cannot be
    encoded...) is one line on stderr and leaves any previous file as it was (never 0 bytes)."""
    path = Path(spec).expanduser()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        data = text.encode("utf-8")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return True
    except (OSError, UnicodeEncodeError) as exc:
        reason = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
        print(f"error: cannot write {spec}: {reason}", file=sys.stderr)
        tmp.unlink(missing_ok=True)
        return False


def run_interruptible(run, cancel: threading.Event, quiet: bool = False):
    """Run `run()` in a worker thread; Ctrl-C sets `cancel` (the benchmark stops dispatching and
    returns what finished) instead of unwinding with a traceback and losing everything."""
    box: dict = {}
    # An Event, not Thread.join: a join interrupted by Ctrl-C can wrongly report the thread as ended.
    done = threading.Event()

    def work() -> None:
        try:
            box["report"] = run()
        except BaseException as exc:  # re-raised in the main thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="bench", daemon=True).start()
    while not done.is_set():
        try:
            done.wait(0.2)
        except KeyboardInterrupt:
            if not cancel.is_set():
                cancel.set()
                if not quiet:
                    print("\ninterrupted: cancelling, the results so far will be written…", file=sys.stderr)
    if "error" in box:
        raise box["error"]
    return box["report"]


def run(args) -> int:
    check_range("repetitions", args.repetitions, 1, None)
    check_range("temperature", args.temperature, 0.0, 2.0)
    check_range("max-tokens", args.max_tokens, 1, None)
    check_range("seed", args.seed, 0, MAX_SEED)
    levels = tuple(args.concurrency or (1,))
    for c in levels:
        check_range("concurrency", c, 1, 1024)
    mode = args.mode or ("parallel" if any(c > 1 for c in levels) else "sequential")
    prompts = load_prompts(args.prompts, args.limit)
    config = BenchConfig(models=tuple(args.model), prompts=tuple(prompts), repetitions=args.repetitions,
                         concurrency=levels, mode=mode, warmup=not args.no_warmup,
                         params={"temperature": args.temperature, "max_tokens": args.max_tokens, "seed": args.seed})
    try:
        config.validate()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for option, spec in (("--json", args.json_out), ("--csv", args.csv_out), ("--samples-csv", args.samples_csv)):
        check_writable(option, spec)
    registry = server_registry()
    for m in config.models:
        try:
            registry.capabilities(m)
        except Exception as exc:
            raise UsageError(getattr(exc, "message", str(exc))) from None

    def progress(p) -> None:
        if args.quiet:
            return
        eta = "—" if p.eta_s is None else f"{p.eta_s:.0f} s"
        print(f"\r{p.done}/{p.total} requests · {p.errors} errors · ETA {eta}   ", end="", file=sys.stderr, flush=True)

    cancel = threading.Event()
    report = run_interruptible(lambda: run_benchmark(registry, config, on_progress=progress, cancel=cancel), cancel,
                               args.quiet)
    if not args.quiet:
        print(file=sys.stderr)
    record = report.to_dict()
    written = True
    if args.json_out:
        written &= write_out(args.json_out, to_json(record))
    if args.csv_out:
        written &= write_out(args.csv_out, stats_csv(report.stats()))
    if args.samples_csv:
        written &= write_out(args.samples_csv, samples_csv(report))
    if args.save:
        store, err = history_status()
        if store is None:
            print(f"warning: not saved to history: {err}", file=sys.stderr)
        else:
            try:
                store.save("benchmark", record, title=f"Benchmark · {len(prompts)} prompts × {args.repetitions}",
                           models=config.models, prompt=prompts[0].text,
                           summary={"stats": stats_rows(report.model_stats())},
                           status="cancelled" if report.cancelled else "done")
            except Exception as exc:  # sqlite3 errors: the files above are already written
                print(f"warning: not saved to history: {exc}", file=sys.stderr)
    print(f"{'model':40} {'conc':>4} {'req':>4} {'err':>4} {'TTFT p50':>9} {'TPOT p50':>9} {'E2E p50':>8} "
          f"{'tok/s':>7} {'thrpt':>7}")
    for g in report.stats():
        m = g.metrics

        def f(v, scale=1.0, d=3):
            return "—" if v is None else f"{v * scale:.{d}f}"

        print(f"{g.model:40} {g.concurrency:>4} {g.requests:>4} {g.errors:>4} {f(m['ttft_s']['p50']):>9} "
              f"{f(m['tpot_s']['p50']):>9} {f(m['e2e_s']['p50'], d=2):>8} {f(m['tokens_per_s']['mean'], d=1):>7} "
              f"{f(g.throughput_tok_s, d=1):>7}")
    if report.cancelled:
        print("cancelled: partial results", file=sys.stderr)
        return 130
    if not written:
        return 1
    return 1 if any(not s.ok for s in report.samples) else 0
