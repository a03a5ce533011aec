"""A canary key configured on the server never reaches page HTML, logs, errors, CLI output or exports.

The "cloud" is a local replay server (pytest-httpserver) speaking the documented OpenAI and Ollama shapes;
Streamlit and the CLI read their configuration from a secrets file pointing at it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import APP_TIMEOUT_S, ROOT, UI_TIMEOUT_MS, poll_until, start_streamlit, wait_app_idle
from remote_shapes import (
    OLLAMA_TAGS,
    ndjson,
    ollama_chat_chunks,
    ollama_show,
    openai_chunk,
    openai_error,
    openai_usage_chunk,
    sse,
)

CANARY = "sk-canary-e2e-7f3a9c1d5b"
CANARY_AZ = "azcanary-e2e-4242424242"


def secrets_file(tmp_path, base: str) -> str:
    p = tmp_path / "secrets.toml"
    p.write_text(
        f"""
[timeouts]
connect = 2
read = 10

[openai]
api_key = "{CANARY}"
base_url = "{base}/v1"

[azure]
endpoint = "{base}/"
api_key = "{CANARY_AZ}"
api_version = "2024-10-21"
deployments = ["gpt4o-prod"]

[ollama]
host = "{base}"
""",
        encoding="utf-8",
    )
    return str(p)


@pytest.fixture()
def replay(httpserver):
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "gpt-echo-key", "object": "model", "created": 1721172741, "owned_by": "system"}]})
    httpserver.expect_request("/openai/models").respond_with_json({"object": "list", "data": []})

    def chat(req):
        from werkzeug.wrappers import Response

        body = json.loads(req.data)
        if body["model"] == "gpt-echo-key":  # a server that echoes the key back in its error
            return Response(json.dumps(openai_error(f"Incorrect API key provided: {CANARY}.", code="invalid_api_key")),
                            status=401, content_type="application/json")
        return Response(sse([openai_chunk("Un plat savoyard."), openai_chunk(finish="stop"), openai_usage_chunk()]),
                        content_type="text/event-stream")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(chat)
    httpserver.expect_request("/openai/deployments/gpt4o-prod/chat/completions").respond_with_json(
        openai_error(f"Access denied due to invalid subscription key {CANARY_AZ}."), status=401)
    httpserver.expect_request("/api/tags").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/version").respond_with_json({"version": "0.12.11"})
    httpserver.expect_request("/api/show").respond_with_json(ollama_show())
    httpserver.expect_request("/api/chat").respond_with_data(ndjson(ollama_chat_chunks(["Bonjour"])),
                                                             content_type="application/x-ndjson")
    return httpserver.url_for("/").rstrip("/")


def clean_env(tmp_path, base) -> dict:
    # Only the secrets file configures backends here (a developer's own keys must not leak in).
    return {"PLAYGROUND_SECRETS": secrets_file(tmp_path, base), "OPENAI_API_KEY": "", "OLLAMA_HOST": "",
            "AZURE_OPENAI_API_KEY": "", "AZURE_OPENAI_ENDPOINT": "", "OPENROUTER_API_KEY": ""}


def assert_clean(text: str, where: str) -> None:
    assert CANARY not in text, f"server key leaked into {where}"
    assert CANARY_AZ not in text, f"server key leaked into {where}"
    assert CANARY[:12] not in text, f"part of the server key leaked into {where}"


def test_cli_models_lists_reachable_backends_and_reports_the_rest(replay, tmp_path):
    env = dict(__import__("os").environ)
    env.update(clean_env(tmp_path, replay))
    # an extra backend that is down: reported in "errors", not fatal
    with open(env["PLAYGROUND_SECRETS"], "a", encoding="utf-8") as fh:
        fh.write('\n[openai_compatible.down]\nbase_url = "http://127.0.0.1:9/v1"\n')
    out = subprocess.run([sys.executable, "-m", "playground", "models", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=APP_TIMEOUT_S)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    ids = {m["id"] for m in data["models"]}
    assert {"openai/gpt-4o-mini", "ollama/qwen2.5:1.5b", "azure/gpt4o-prod", "embedded/smollm2-135m-instruct"} <= ids
    assert "down" in data["errors"] and "Cannot connect" in data["errors"]["down"]
    assert_clean(out.stdout + out.stderr, "CLI output")

    run = subprocess.run([sys.executable, "-m", "playground", "compare", "--model", "openai/gpt-echo-key", "--model",
                          "azure/gpt4o-prod", "--model", "openai/gpt-4o-mini", "--prompt", "Le gratin", "--json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=APP_TIMEOUT_S)
    rows = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert [r["error"] is not None for r in rows] == [True, True, False]
    assert "HTTP 401" in rows[0]["error"] and rows[2]["text"] == "Un plat savoyard."
    assert_clean(run.stdout + run.stderr, "CLI compare output (export format)")


@pytest.mark.browser
def test_canary_key_never_in_page_html_or_logs(replay, tmp_path, page):
    proc, url, log = start_streamlit(tmp_path, clean_env(tmp_path, replay))
    try:
        page.goto(url)
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        # sidebar: backend status at a glance (green dots once the replayed model lists answered)
        page.locator(".pg-backend-up").filter(has_text="openai").wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_role("link", name="Réglages").click()
        page.get_by_role("heading", name="Réglages des backends").wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_role("button", name="Tout tester").click()
        page.get_by_text("Joignable").first.wait_for(timeout=UI_TIMEOUT_MS)
        body = page.locator("body").inner_text()
        assert "openai" in body and "azure" in body and "ollama" in body and "configurée (masquée)" in body
        assert_clean(page.content(), "settings page HTML")

        page.screenshot(path=str(tmp_path / "settings.png"), full_page=True)
        page.get_by_role("link", name="Comparer").click()
        page.get_by_role("heading", name="Comparer des modèles").wait_for(timeout=UI_TIMEOUT_MS)
        selects = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modèle")
        selects.nth(1).wait_for(timeout=UI_TIMEOUT_MS)
        for i, label in enumerate(["openai/gpt-echo-key", "openai/gpt-4o-mini"]):
            selects.nth(i).click()
            page.get_by_role("option", name=label, exact=True).click()
        page.get_by_role("button", name=re.compile(r"Lancer$")).click()
        page.get_by_text("Un plat savoyard.").first.wait_for(timeout=UI_TIMEOUT_MS)
        page.get_by_text("HTTP 401").first.wait_for(timeout=UI_TIMEOUT_MS)
        wait_app_idle(page)  # the run is over and its last rerun drawn: nothing redraws the expanders now
        # open the "exact request" expanders until the request JSON shows: a rerun landing
        # between two clicks can redraw one closed again, so open whichever is closed, until then
        shown = page.get_by_text("stream_options").first

        def request_json_shown() -> bool:
            if shown.is_visible():
                return True
            closed = page.locator('[data-testid="stExpander"] details:not([open]) summary').filter(
                has_text="Requête exacte envoyée")
            if closed.count():
                closed.first.click()
            return False

        assert poll_until(page, request_json_shown, every_ms=250), "the request JSON never showed"
        page.screenshot(path=str(tmp_path / "backends-canary.png"), full_page=True)
        html = page.content()
        assert "gpt-4o-mini" in html and "stream_options" in html  # the request JSON is shown...
        assert_clean(html, "compare page HTML")  # ...without the key
    finally:
        proc.terminate()
        proc.wait(10)
    assert_clean(log.read_text(encoding="utf-8", errors="replace"), "streamlit log")


def test_cli_models_reports_a_configuration_mistake(tmp_path):
    bad = tmp_path / "secrets.toml"
    bad.write_text('[openai_compatible.lab]\napi_key = "x"\n', encoding="utf-8")
    env = dict(__import__("os").environ)
    env["PLAYGROUND_SECRETS"] = str(bad)
    out = subprocess.run([sys.executable, "-m", "playground", "models", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=APP_TIMEOUT_S)
    assert out.returncode == 2 and "base_url" in out.stderr and "Traceback" not in out.stderr
