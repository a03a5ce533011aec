"""OpenAI's tiktoken encodings load offline from the bundled BPE files (never from the network)."""

from __future__ import annotations

import pytest

import providers.tiktoken_files as tk
from playground.tokenize import FR_EN_PAIR, tokenize_tiktoken


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    import tiktoken.load
    import tiktoken.registry

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tk, "_encodings", {})
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})

    def no_network(blobpath):
        raise AssertionError(f"tiktoken tried to download {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    return tmp_path


@pytest.mark.parametrize("name,text,ids", [
    ("cl100k_base", "hello world", [15339, 1917]),
    ("o200k_base", "hello world", [24912, 2375]),
])
def test_tiktoken_encodings_load_offline_with_known_ids(fresh_cache, name, text, ids):
    t = tokenize_tiktoken(name, text)
    assert [x.id for x in t.tokens] == ids
    assert "".join(x.piece for x in t.tokens) == text
    assert len(list(fresh_cache.iterdir())) == 2  # both files unpacked into the cache tiktoken reads


def test_vocab_sizes_and_french_costs_more(fresh_cache):
    fr, en = FR_EN_PAIR
    for name, vocab in (("o200k_base", 200019), ("cl100k_base", 100277)):
        a, b = tokenize_tiktoken(name, fr), tokenize_tiktoken(name, en)
        assert a.vocab_size == vocab
        assert a.count > b.count
        assert a.chars_per_token < b.chars_per_token


def test_a_corrupt_cached_file_is_replaced_from_the_bundle_not_downloaded(fresh_cache):
    tk.ensure_tiktoken_files(fresh_cache)
    victim = sorted(fresh_cache.iterdir())[0]
    victim.write_bytes(b"garbage")
    tk.ensure_tiktoken_files(fresh_cache)
    assert tokenize_tiktoken("cl100k_base", "hello world").count == 2
