"""`pull`: a model into Ollama (`ollama/qwen2.5:0.5b`) or a GGUF from the Hugging Face hub into
the embedded backend (`hf:owner/repo/file.gguf`), with progress on stderr.

Any failure prints one line naming the model and exits non-zero (2 for bad input, 1 for a
failed pull, 130 when interrupted), never a traceback."""

from __future__ import annotations

import sys
import threading
import time

from playground.cli import UsageError
from playground.config import build_registry
from playground.models import Overall, format_percent, format_size, parse_target, pull
from providers.base import InvalidRequest, ProviderError
from providers.pulls import PullCancelled

NAME = "pull"
HELP = "Pull an Ollama model (ollama/NAME:TAG) or download a GGUF from the hub (hf:OWNER/REPO/FILE.gguf)."


def add_arguments(p) -> None:
    p.add_argument("model", help="ollama/qwen2.5:0.5b, ollama-<host>/…, or hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf")


class _Progress:
    """One line on stderr, rewritten in place on a terminal and every 10 % otherwise."""

    def __init__(self) -> None:
        self.overall, self.tty, self.last_line, self.last_tenth, self.last_t = Overall(), sys.stderr.isatty(), "", -1, 0.0

    def __call__(self, step) -> None:
        self.overall.add(step)
        f = self.overall.fraction
        line = (f"{step.status}: {format_size(self.overall.completed, 'en')} / {format_size(self.overall.total, 'en')} "
                f"({format_percent(f, 'en')})") if f is not None and step.total else step.status
        now = time.monotonic()
        if self.tty:
            if line != self.last_line and (now - self.last_t > 0.1 or step.done):
                print("\r\033[K" + line, end="", file=sys.stderr, flush=True)
                self.last_line, self.last_t = line, now
            return
        tenth = int((f or 0) * 10) if step.total else -2
        if (line != self.last_line and tenth != self.last_tenth) or step.done:
            print(line, file=sys.stderr, flush=True)
            self.last_line, self.last_tenth = line, tenth

    def end(self) -> None:
        if self.tty and self.last_line:
            print(file=sys.stderr)


def run(args) -> int:
    try:
        registry = build_registry()
    except ValueError as exc:
        raise UsageError(f"configuration: {exc}") from None
    try:
        target = parse_target(args.model, registry)
    except InvalidRequest as exc:
        raise UsageError(f"{args.model}: {exc.message}") from None
    progress, cancel = _Progress(), threading.Event()
    try:
        model_id = pull(registry, target, cancel, progress)
    except KeyboardInterrupt:
        cancel.set()
        progress.end()
        print(f"error: pull of {target.label} interrupted: nothing was installed.", file=sys.stderr)
        return 130
    except PullCancelled as exc:
        progress.end()
        print(f"error: {exc.message}", file=sys.stderr)
        return 130
    except ProviderError as exc:
        progress.end()
        print(f"error: {target.label}: {exc.message}", file=sys.stderr)
        return 1
    progress.end()
    print(model_id)
    return 0
