"""The models core without a server: numbers as a French or English reader writes them, hub
file names, the GGUF header reader, and which files of a hub cache are models."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from playground.models import CURATED, format_label, format_number, format_percent, format_size
from providers.base import InvalidRequest, ModelLoadError
from providers.embedded.files import hf_cache_dir, hub_ggufs, remove_hub_gguf
from providers.embedded.gguf_meta import read_metadata, summary
from providers.hf_download import parse_hub_file


def test_numbers_in_french_and_english():
    assert format_number(32768, "fr") == "32\u202f768" and format_number(32768, "en") == "32,768"
    assert format_size(1_120_000_000, "fr") == "1,1\u00a0Go" and format_size(1_120_000_000, "en") == "1.1\u00a0GB"
    assert format_size(491_000_000, "fr") == "491\u00a0Mo" and format_size(512, "en") == "512\u00a0B"
    assert format_percent(0.425, "fr") == "42\u202f%" and format_percent(1.0, "en") == "100%"
    assert format_label("494.03M", "fr") == "494,03M" and format_label(None, "en") == "—"
    assert format_size(None, "fr") == "—" and format_percent(None, "en") == "—"


def test_hub_file_forms():
    f = parse_hub_file("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf")
    assert (f.repo_id, f.filename, f.revision) == ("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", None)
    g = parse_hub_file("owner/repo/sub/dir/model.GGUF@v1.0")
    assert (g.repo_id, g.filename, g.revision) == ("owner/repo", "sub/dir/model.GGUF", "v1.0")
    for bad in ("hf:owner/model.gguf", "owner/repo/readme.md", "", "hf:/x/y.gguf"):
        with pytest.raises(InvalidRequest) as err:
            parse_hub_file(bad)
        assert err.value.code == "hf_bad_spec"
    assert all(c.filename.lower().endswith(".gguf") and c.repo_id.count("/") == 1 for c in CURATED)
    assert [c.heavy for c in CURATED].count(True) == 1  # the 7B model carries the RAM warning


def _gguf(path, kvs: list[tuple[str, int, bytes]]) -> None:
    """A minimal GGUF v3 header with the given (key, type, packed value) entries."""
    def s(text: str) -> bytes:
        b = text.encode()
        return struct.pack("<Q", len(b)) + b

    body = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs))
    for key, vtype, value in kvs:
        body += s(key) + struct.pack("<I", vtype) + value
    path.write_bytes(body)


def test_header_reader_skips_arrays_and_reads_what_the_page_shows(tmp_path, smollm2_path):
    p = tmp_path / "tiny.gguf"
    tokens = struct.pack("<IQ", 8, 3) + b"".join(struct.pack("<Q", len(t)) + t for t in (b"a", b"bc", b"def"))
    _gguf(p, [("general.architecture", 8, struct.pack("<Q", 5) + b"qwen2"),
              ("general.file_type", 4, struct.pack("<I", 15)),
              ("tokenizer.ggml.tokens", 9, tokens),
              ("qwen2.context_length", 4, struct.pack("<I", 32768)),
              ("tokenizer.chat_template", 8, struct.pack("<Q", 2) + b"{{")])
    info = summary(p)
    assert (info["family"], info["quantization"], info["context_length"], info["chat_template"]) == \
           ("qwen2", "Q4_K_M", 32768, True)
    assert len(read_metadata(p)["tokenizer.ggml.tokens"]) == 3
    real = summary(smollm2_path)
    assert (real["family"], real["parameter_size"], real["quantization"], real["context_length"]) == \
           ("llama", "135M", "Q4_1", 8192)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(smollm2_path.read_bytes()[:4000])
    with pytest.raises(ModelLoadError, match="truncated"):
        read_metadata(cut)
    html = tmp_path / "page.gguf"
    html.write_text("<html></html>")
    with pytest.raises(ModelLoadError, match="not a GGUF"):
        read_metadata(html)


def test_hub_cache_location_follows_huggingface_hub():
    assert str(hf_cache_dir({"HF_HUB_CACHE": "/a/hub"})) == "/a/hub"
    assert str(hf_cache_dir({"HF_HOME": "/b"})) == "/b/hub"
    assert str(hf_cache_dir({"XDG_CACHE_HOME": "/c"})) == "/c/huggingface/hub"
    assert hf_cache_dir({}) == Path(os.path.expanduser("~")) / ".cache" / "huggingface" / "hub"


def test_only_whole_ggufs_in_the_hub_cache_are_models(tmp_path):
    repo = tmp_path / "models--owner--repo"
    (repo / "blobs").mkdir(parents=True)
    snap = repo / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    (repo / "blobs" / "aaa").write_bytes(b"GGUF...")
    (repo / "blobs" / "bbb.incomplete").write_bytes(b"GGU")  # a download under way: no snapshot link yet
    (repo / "blobs" / "ccc").write_bytes(b"{}")
    (snap / "model.gguf").symlink_to(repo / "blobs" / "aaa")
    (snap / "config.json").symlink_to(repo / "blobs" / "ccc")
    (snap / "gone.gguf").symlink_to(repo / "blobs" / "deleted")  # a dangling link
    found = hub_ggufs(tmp_path)
    assert [(e.repo_id, e.filename) for e in found] == [("owner/repo", "model.gguf")]
    remove_hub_gguf(found[0], tmp_path)
    assert hub_ggufs(tmp_path) == [] and not (repo / "blobs" / "aaa").exists()
    assert (repo / "blobs" / "ccc").exists()  # the repo's other files are left alone
