"""Remote columns run in parallel: k = 2, 3, 4 columns against a local OpenAI-compatible server that
adds a fixed delay per request should finish in about the time of the slowest single column.

    python bench/parallel_columns.py [--delay 1.0] [--chunks 20] [--reps 3]

The server (written here, threaded, standard library only) streams `--chunks` SSE chunks spread
over `--delay` seconds for every request, like a remote GPU server would. Each model name gets a
slightly different delay so "the slowest single column" is a real maximum. For each k, the single
columns are timed alone first, then all k together through `playground.compare.compare`; the
ratio printed is (k columns together) / (slowest of the k alone), median over `--reps`.
Target: ≤ 1.1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playground.compare import compare  # noqa: E402
from providers.base import ChatMessage, GenerationRequest  # noqa: E402
from providers.openai_compat import OpenAICompatConfig, OpenAICompatProvider  # noqa: E402
from providers.registry import Registry  # noqa: E402

MODELS = {"slow-a": 1.00, "slow-b": 0.95, "slow-c": 0.90, "slow-d": 1.05}  # delay factor per model


def make_server(delay: float, chunks: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _json(self, obj: dict, status: int = 200) -> None:
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._json({"object": "list", "data": [{"id": m, "object": "model", "owned_by": "bench"} for m in MODELS]})
            else:
                self._json({"error": {"message": "not found"}}, 404)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            model = body.get("model", "slow-a")
            per_chunk = delay * MODELS.get(model, 1.0) / chunks
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def send(obj) -> None:
                line = f"data: {obj if isinstance(obj, str) else json.dumps(obj)}\n\n".encode()
                self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                self.wfile.flush()

            base = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0, "model": model}
            for i in range(chunks):
                time.sleep(per_chunk)
                send({**base, "choices": [{"index": 0, "delta": {"content": f" mot{i}"}, "finish_reason": None}]})
            send({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            send({**base, "choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": chunks, "total_tokens": chunks + 5}})
            send("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # clients closing kept-alive sockets is normal
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(registry: Registry, models: list[str]) -> float:
    reqs = [GenerationRequest(model=f"bench/{m}", messages=(ChatMessage("user", "Bonjour"),), max_tokens=64) for m in models]
    t0 = time.perf_counter()
    results = compare(registry, reqs)
    wall = time.perf_counter() - t0
    bad = [r.error for r in results if r.error]
    if bad:
        raise SystemExit(f"a column failed: {bad}")
    return wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delay", type=float, default=1.0, help="seconds per request (spread over the chunks)")
    ap.add_argument("--chunks", type=int, default=20)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()

    server = make_server(args.delay, args.chunks)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    registry = Registry({"bench": OpenAICompatProvider(OpenAICompatConfig(name="bench", kind="compatible", base_url=url))})
    names = list(MODELS)
    timed(registry, names[:1])  # warm-up: connection pool, model list
    print(f"server: {url}  delay {args.delay} s/request  chunks {args.chunks}  reps {args.reps}")
    print(f"{'k':>2}  {'slowest single (s)':>18}  {'k together (s)':>14}  {'ratio':>6}")
    worst = 0.0
    for k in (2, 3, 4):
        ratios, singles_max, togethers = [], [], []
        for _ in range(args.reps):  # interleaved: singles then together, each repetition
            singles = [timed(registry, [m]) for m in names[:k]]
            together = timed(registry, names[:k])
            singles_max.append(max(singles))
            togethers.append(together)
            ratios.append(together / max(singles))
        r = statistics.median(ratios)
        worst = max(worst, r)
        print(f"{k:>2}  {statistics.median(singles_max):>18.3f}  {statistics.median(togethers):>14.3f}  {r:>6.3f}")
    server.shutdown()
    print(f"worst ratio {worst:.3f} (target ≤ 1.1): {'OK' if worst <= 1.1 else 'TOO SLOW'}")
    return 0 if worst <= 1.1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
