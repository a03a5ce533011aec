"""A GGUF downloaded from the Hugging Face hub becomes an embedded model, against a local server
speaking the hub's file protocol through HF_ENDPOINT (tests/support/hf_hub.py), serving a copy of
the bundled SmolLM2 file: the real huggingface_hub download, then the real llama.cpp run."""

from __future__ import annotations

import shutil
import threading

import pytest
from conftest import free_port
from support.hf_hub import COMMIT, LocalHub

from playground.config import build_registry, load_config
from playground.models import inventory, parse_target, pull, remove
from playground.runner import run_request
from providers.base import BackendUnavailable, ChatMessage, GenerationRequest, ModelLoadError, ModelNotFound
from providers.hf_download import download_gguf, parse_hub_file
from providers.pulls import DiskFull, PullCancelled

REPO = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF"
FILE = "smollm2-135m-instruct-q4_1.gguf"
SPEC = f"hf:{REPO}/{FILE}"
MODEL_ID = "embedded/smollm2-135m-instruct-q4_1"


@pytest.fixture(scope="module")
def served(smollm2_path, tmp_path_factory):
    """The files the local hub serves: a copy of the real SmolLM2 GGUF, and a file that is not a GGUF."""
    d = tmp_path_factory.mktemp("hub-files")
    gguf = d / FILE
    shutil.copyfile(smollm2_path, gguf)
    fake = d / "fake.gguf"
    fake.write_bytes(b"<html>not a model</html>\n" * 100)
    return {(REPO, FILE): gguf, (REPO, "fake.gguf"): fake}


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """An empty hub cache for this test, seen by the download and by the embedded backend."""
    path = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_HUB_CACHE", str(path))
    return path


@pytest.fixture()
def registry():
    return build_registry(load_config(secrets={}, env={}))


def ask(model: str) -> GenerationRequest:
    return GenerationRequest(model=model, messages=(ChatMessage("user", "What is the capital of France?"),),
                             temperature=0.0, max_tokens=12, seed=1)


def test_downloaded_gguf_resumes_then_runs_like_the_bundled_model(served, cache, monkeypatch, registry):
    drop = 30_000_000  # mid-file: huggingface_hub resumes from the last chunk it wrote
    with LocalHub(served, drop_first_get_after=drop) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        steps = []
        model_id = pull(registry, parse_target(SPEC, registry), report=steps.append)
        # (huggingface_hub also asks HF_ENDPOINT for its /api/agent-harnesses list for its user agent)
        gets = [r for r in hub.requests if r["method"] == "GET" and "/resolve/" in r["path"]]
    assert model_id == MODEL_ID
    # the dropped transfer was resumed with a Range request, from what had been written
    assert len(gets) == 2 and gets[0]["headers"].get("range") is None
    resumed_at = int(gets[1]["headers"]["range"].removeprefix("bytes=").removesuffix("-"))
    assert 0 < resumed_at <= drop
    assert all(g["path"] == f"/{REPO}/resolve/main/{FILE}" for g in gets)
    assert all(r["path"].startswith(f"/{REPO}/resolve/") or r["path"] == "/api/agent-harnesses" for r in hub.requests)
    size = served[(REPO, FILE)].stat().st_size
    snapshot = cache / f"models--{REPO.replace('/', '--')}" / "snapshots" / COMMIT / FILE
    assert snapshot.read_bytes() == served[(REPO, FILE)].read_bytes()  # the two parts joined exactly
    assert steps[-1].done and steps[-1].completed == size
    bytes_seen = [s.completed for s in steps if s.status == "downloading"]
    assert bytes_seen == sorted(bytes_seen) and bytes_seen[-1] == size and len(bytes_seen) > 3
    # an embedded model like the others: listed, described from its header, with its chat template
    assert MODEL_ID in [m.id for m in registry.list_models()[0]]
    row = next(r for r in inventory(registry)[0] if r.id == MODEL_ID)
    assert (row.family, row.parameters, row.quantization, row.size_bytes, row.source, row.deletable) == \
           ("llama", "135M", "Q4_1", size, "hub", True)
    caps = registry.capabilities(MODEL_ID)
    assert caps.mode == "chat" and "<|im_start|>" in caps.details["chat_template"]
    downloaded = run_request(registry.get("embedded"), ask(MODEL_ID))
    bundled = run_request(registry.get("embedded"), ask("embedded/smollm2-135m-instruct"))
    assert downloaded.ok and downloaded.text.strip() and downloaded.text == bundled.text
    # deleting it removes the file and the model
    remove(registry, MODEL_ID)
    assert MODEL_ID not in [m.id for m in registry.list_models()[0]]
    assert not list(cache.rglob("*.gguf")) and not list((cache / f"models--{REPO.replace('/', '--')}" / "blobs").iterdir())


def test_hf_token_goes_to_hf_endpoint(served, cache):
    with LocalHub(served, token="hf_canary_token_123") as hub:
        env = {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)}
        with pytest.raises(ModelNotFound) as err:  # no token: the hub says "not found" (private)
            download_gguf(parse_hub_file(SPEC), env=env)
        assert err.value.code == "hf_repo_not_found"
        path = download_gguf(parse_hub_file(SPEC), env={**env, "HF_TOKEN": "hf_canary_token_123"})
        assert path.is_file()
        assert hub.requests[-1]["headers"]["authorization"] == "Bearer hf_canary_token_123"


@pytest.mark.parametrize("spec,state,error,code", [
    ("hf:nobody/nothing/x.gguf", {}, ModelNotFound, "hf_repo_not_found"),
    (f"hf:{REPO}/missing.gguf", {}, ModelNotFound, "hf_file_not_found"),
    (SPEC, {"gated": {REPO}}, ModelNotFound, "hf_gated"),
    (f"hf:{REPO}/fake.gguf", {}, ModelLoadError, "hf_not_gguf"),
])
def test_hub_failures_say_what_happened(served, cache, spec, state, error, code):
    with LocalHub(served, **state) as hub:
        with pytest.raises(error) as err:
            download_gguf(parse_hub_file(spec), env={"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)})
    assert err.value.code == code and err.value.params["model"] == spec
    assert not list(cache.rglob("*.gguf"))  # nothing half-installed, nothing listed


def test_no_disk_space_is_said_before_downloading(served, cache):
    with LocalHub(served) as hub:
        with pytest.raises(DiskFull) as err:
            download_gguf(parse_hub_file(SPEC), env={"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)},
                          disk_free=lambda path: 1_000_000)
        assert [r["method"] for r in hub.requests if "/resolve/" in r["path"]] == ["HEAD"]
    assert err.value.code == "hf_disk_full"


def test_unreachable_hub(cache):
    with pytest.raises(BackendUnavailable) as err:
        download_gguf(parse_hub_file(SPEC), env={"HF_ENDPOINT": f"http://127.0.0.1:{free_port()}",
                                                 "HF_HUB_CACHE": str(cache)})
    assert err.value.code == "hf_unreachable"


def test_cancel_leaves_nothing_behind(served, cache):
    cancel = threading.Event()

    def report(step):
        if (step.completed or 0) > 2_000_000:
            cancel.set()

    with LocalHub(served) as hub:
        with pytest.raises(PullCancelled) as err:
            download_gguf(parse_hub_file(SPEC), env={"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(cache)},
                          cancel=cancel, report=report)
    assert err.value.code == "pull_cancelled"
    assert not [p for p in cache.rglob("*") if p.is_file() and p.suffix in (".gguf", ".incomplete")]
