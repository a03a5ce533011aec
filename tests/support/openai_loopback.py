"""A real `python -m llama_cpp.server` on loopback, and a minimal OpenAI-compatible streaming provider
(plain httpx + the product's one SSE reader) so the benchmark engine can be driven against it through the registry.

The product's own OpenAI-compatible provider lives in providers/ (issue 3); this one exists so
engine tests and bench/ scripts do not depend on it, and speaks the same documented wire format.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import httpx

from providers.base import (
    BackendUnavailable,
    Capabilities,
    Finished,
    GenerationRequest,
    ModelInfo,
    RequestInfo,
    ServerError,
    TextDelta,
    Usage,
    split_model_id,
)
from providers.sse import sse_json

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def llama_server(model_path: Path, alias: str = "smollm2", log_dir: Path | None = None) -> Iterator[str]:
    """Start the server on a free loopback port; yields its base URL (…/v1); always stops it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import free_port, wait_http

    port = free_port()
    log_path = (log_dir or Path("/tmp")) / f"llama-server-{port}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "support" / "llama_server_main.py"), "--model", str(model_path), "--model_alias", alias,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--interrupt_requests", "False",
         "--n_threads", "2"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ},
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", 120, proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


class LoopbackOpenAIProvider:
    """Streams /v1/chat/completions with usage; one pooled httpx client shared by all threads."""

    def __init__(self, base_url: str, name: str = "local", model: str = "smollm2") -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.model_name = model
        self.client = httpx.Client(timeout=httpx.Timeout(120.0, connect=5.0),
                                   limits=httpx.Limits(max_connections=128, max_keepalive_connections=128))

    def list_models(self) -> list[ModelInfo]:
        return [ModelInfo(f"{self.name}/{self.model_name}", self.name, self.model_name)]

    def capabilities(self, model: str) -> Capabilities:
        return Capabilities(mode="chat", details={"server": "llama_cpp.server"})

    def count_tokens(self, model: str, text: str) -> int | None:
        return None

    def payload(self, request: GenerationRequest) -> dict:
        _, model = split_model_id(request.model)
        body = {"model": model, "stream": True, "stream_options": {"include_usage": True},
                "messages": [{"role": m.role, "content": m.content} for m in request.chat_messages()],
                "temperature": request.temperature, "top_p": request.top_p, "max_tokens": request.max_tokens}
        if request.seed is not None:
            body["seed"] = request.seed
        return body

    def stream(self, request: GenerationRequest, cancel: threading.Event | None = None):
        body = self.payload(request)
        yield RequestInfo(payload=body, endpoint=f"{self.base_url}/chat/completions")
        usage, finish = Usage(), None
        try:
            with self.client.stream("POST", f"{self.base_url}/chat/completions", json=body) as resp:
                if resp.status_code >= 400:
                    raise ServerError(f"HTTP {resp.status_code}: {resp.read().decode(errors='replace')[:200]}")
                for chunk in sse_json(resp.iter_lines()):
                    if cancel is not None and cancel.is_set():
                        finish = "cancelled"
                        break
                    if chunk.get("usage"):
                        u = chunk["usage"]
                        usage = Usage(u.get("prompt_tokens"), u.get("completion_tokens"))
                    for ch in chunk.get("choices") or []:
                        text = (ch.get("delta") or {}).get("content")
                        if text:
                            yield TextDelta(text)
                        if ch.get("finish_reason"):
                            finish = ch["finish_reason"]
        except httpx.ConnectError as exc:
            raise BackendUnavailable(f"Cannot reach {self.base_url}: {exc}") from None
        yield Finished(usage, finish)
