"""Shared fixtures: the real embedded models, a streamlit server, and a headless Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The suite never talks to a developer's real backends or reads their secrets: backend
# variables are moved aside (the live tests get them back through LIVE_ENV) and the
# secrets file is an empty one, for this process and every server or CLI it starts.
BACKEND_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_VERSION", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
                "OPENAI_CUSTOM_HEADERS", "OLLAMA_HOST", "OLLAMA_API_KEY",
                "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENTS", "OPENROUTER_API_KEY",
                "PLAYGROUND_GGUF_PATHS", "HF_ENDPOINT", "HF_TOKEN")
LIVE_ENV = {k: os.environ.pop(k) for k in BACKEND_VARS if k in os.environ}
_EMPTY_SECRETS = Path(tempfile.mkdtemp(prefix="pg-secrets-")) / "secrets.toml"
_EMPTY_SECRETS.write_text("# the test suite's own (empty) configuration\n")
os.environ["PLAYGROUND_SECRETS"] = str(_EMPTY_SECRETS)
# GGUFs downloaded from the hub become embedded models: the suite starts from an empty hub cache.
os.environ["HF_HUB_CACHE"] = tempfile.mkdtemp(prefix="pg-hf-cache-")

# How long a test waits for the state it needs. Generous on purpose: CI and the team run the
# suite on a busy 2-core machine, where a rerun that takes 1 s alone can take a minute. A test
# never waits a fixed time; it waits for a state, up to these bounds (a hung app still fails).
UI_TIMEOUT_MS = 120_000  # one page state in the browser (a heading, a result, a rerun)
UI_LONG_TIMEOUT_MS = 360_000  # a state behind much model work (a benchmark, a full room)
APP_TIMEOUT_S = 300  # one AppTest script run (it may load and calibrate the embedded models)
SERVER_START_S = 180  # `streamlit run` answering its health check

CHROMIUM = os.environ.get("PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise TimeoutError(url)


@pytest.fixture(scope="session")
def registry():
    from playground.config import build_registry, load_config

    return build_registry(load_config(secrets={}, env={}))


@pytest.fixture(scope="session")
def embedded(registry):
    return registry.get("embedded")


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    from providers.embedded import locate_smollm2

    return locate_smollm2()


@pytest.fixture(scope="session")
def llama_server(smollm2_path, tmp_path_factory):
    """A real `python -m llama_cpp.server` with the bundled SmolLM2 on loopback (…/v1, model alias
    "smollm2"), started once and shared by every test that needs a real OpenAI-compatible server."""
    from support.openai_loopback import llama_server as start_llama_server

    with start_llama_server(smollm2_path, "smollm2", tmp_path_factory.mktemp("llama_server")) as url:
        yield url


def start_streamlit(tmp_path: Path, env_extra: dict | None = None, script: str = "app.py"):
    port = free_port()
    env = dict(os.environ)
    env["PLAYGROUND_ROOM_DB"] = str(tmp_path / f"room-{port}.sqlite3")  # each server its own room
    env.update(env_extra or {})
    log = open(tmp_path / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    wait_http(f"http://127.0.0.1:{port}/_stcore/health", SERVER_START_S, proc)
    return proc, f"http://127.0.0.1:{port}", tmp_path / f"streamlit-{port}.log"


@contextlib.contextmanager
def streamlit_server(tmp_path: Path, env_extra: dict | None = None, script: str = "app.py"):
    """A Streamlit server for the duration of the block; yields its base URL, always stops it."""
    proc, url, _ = start_streamlit(tmp_path, env_extra, script)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """`streamlit run app.py` on loopback; yields the base URL."""
    with streamlit_server(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    pw_sync = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the test command from README (it installs Debian's chromium)")
    with pw_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def new_page(browser, **context_args):
    """A page in a fresh browser context whose every action and wait (click, fill, expect, ...)
    allows UI_TIMEOUT_MS; returns (context, page)."""
    from playwright.sync_api import expect

    ctx = browser.new_context(**({"viewport": {"width": 1500, "height": 1100}} | context_args))
    ctx.set_default_timeout(UI_TIMEOUT_MS)
    ctx.set_default_navigation_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    return ctx, ctx.new_page()


@pytest.fixture()
def page(browser):
    ctx, pg = new_page(browser)
    yield pg
    ctx.close()


def wait_app_idle(page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Wait until the page's script run is over (Streamlit's own run state), so what a test
    clicks next is not redrawn under it."""
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return !!a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=timeout_ms)


def poll_until(page, condition, timeout_ms: int = UI_TIMEOUT_MS, every_ms: int = 100) -> bool:
    """Check `condition()` until it holds or `timeout_ms` passed (for states that only a loop
    of actions reaches, or that pass by, like a place in line); True when it held."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(every_ms)
    return bool(condition())


@pytest.fixture(autouse=True, scope="session")
def _isolated_history(tmp_path_factory):
    """Runs made by tests (Compare, Benchmark, ...) never land in the user's real history database."""
    if "PLAYGROUND_HISTORY_DB" not in os.environ:
        os.environ["PLAYGROUND_HISTORY_DB"] = str(tmp_path_factory.mktemp("history") / "history.sqlite3")
    yield
