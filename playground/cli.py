"""Command-line entry: one sub-command per module in playground/commands (each defines
`NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`)."""

from __future__ import annotations

import argparse
import importlib
import math
import sys

# Add a module name here to add a sub-command.
COMMAND_MODULES = ["models", "compare", "next_token", "tokenize", "bench", "replay", "history", "pull", "rm", "embed"]


class UsageError(Exception):
    """Bad input on the command line: one line on stderr, exit code 2."""


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(prog="python -m playground", description="LLM Playground command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    handlers = {}
    for name in COMMAND_MODULES:
        mod = importlib.import_module(f"playground.commands.{name}")
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        handlers[mod.NAME] = mod.run
    return parser, handlers


def main(argv: list[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        return handlers[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def server_registry():
    """The configured backends. When secrets.toml cannot be used, one line on stderr says what is
    wrong where and the embedded models still run."""
    from playground.config import registry_or_embedded

    registry, problem = registry_or_embedded()
    if problem is not None:
        print(f"warning: configuration: {problem.message} Only the embedded models are available.", file=sys.stderr)
    return registry


# The largest seed a backend takes (llama.cpp and the API servers keep it in 64 bits).
MAX_SEED = 2**63 - 1


def check_range(name: str, value, lo, hi, lo_open: bool = False) -> None:
    """A UsageError unless `value` is within [lo, hi] (or (lo, hi]); NaN and infinities never are
    (every comparison with NaN is false: it used to slip through to the run and exit 1)."""
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"--{name} must be a finite number (got {value})")
    if (value <= lo if lo_open else value < lo) or (hi is not None and value > hi):
        span = f"({lo}, {hi}]" if lo_open else f"[{lo}, {hi if hi is not None else '∞'}]"
        raise UsageError(f"--{name} must be in {span} (got {value})")
