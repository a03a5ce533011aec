"""The GGUF header reader against llama.cpp itself, on the real bundled models: a page is drawn
from the header alone, and it must say what llama.cpp says once the weights are loaded."""

import pytest

from providers.base import (
    ChatMessage,
    Finished,
    GenerationRequest,
    ModelLoadError,
    Notice,
    RequestInfo,
    TextDelta,
)
from providers.embedded import EmbeddedConfig, EmbeddedProvider, engines, locate_gemma
from providers.embedded.files import cache_directory
from providers.embedded.gguf_meta import ArrayInfo, read_gguf_metadata
from providers.embedded.model import load_model, loaded_models


@pytest.fixture(scope="module")
def gemma_path():
    return locate_gemma(cache_directory(None))


@pytest.mark.parametrize("which", ["smollm2", "gemma"])
def test_header_metadata_equals_llama_cpp_metadata(which, smollm2_path, gemma_path):
    path = smollm2_path if which == "smollm2" else gemma_path
    ours = read_gguf_metadata(path)
    m = load_model(path.stem, path, 2048, None)  # the process-wide model: loaded once for the suite
    theirs = m.metadata
    assert set(theirs) <= set(ours)
    for key, value in theirs.items():
        mine = ours[key]
        if isinstance(mine, bool):
            assert str(mine).lower() == value, key
        elif isinstance(mine, float):
            assert float(value) == pytest.approx(mine, rel=1e-5), key
        elif isinstance(mine, (str, int)):
            assert str(mine) == value, key
    assert len(ours["tokenizer.ggml.tokens"]) == m.n_vocab
    arch = ours["general.architecture"]
    assert ours[f"{arch}.context_length"] == m.model.n_ctx_train()


def test_custom_model_capabilities_come_from_the_header_without_loading_it(tmp_path, smollm2_path):
    # A path of its own (a symlink): this process has not loaded it, whatever ran before.
    link = tmp_path / "my-smol.gguf"
    link.symlink_to(smollm2_path)
    prov = EmbeddedProvider(EmbeddedConfig(gguf_paths=[str(link)]))
    caps = prov.capabilities("my-smol")
    assert not prov.is_loaded("my-smol") and str(link) not in loaded_models() and str(link) not in engines()
    assert caps.mode == "chat" and caps.context_length == 2048
    assert caps.details["family"] == "llama" and caps.details["parameter_size"] == "135M"
    assert caps.details["quantization"] == "Q4_1" and caps.details["vocab_size"] == 49152
    assert caps.details["trained_context"] == 8192 and "<|im_start|>" in caps.details["chat_template"]

    m = prov.loaded("my-smol")  # what llama.cpp says once loaded: the same facts
    assert prov.is_loaded("my-smol") and str(link) not in engines()  # weights only: no scheduler yet
    assert (caps.mode, caps.context_length, caps.details["vocab_size"]) == (m.mode, m.n_ctx, m.n_vocab)
    assert caps.details["trained_context"] == m.model.n_ctx_train()


def test_first_generation_loads_the_model_says_so_and_flags_the_cold_load(tmp_path, smollm2_path):
    link = tmp_path / "cold-smol.gguf"
    link.symlink_to(smollm2_path)
    prov = EmbeddedProvider(EmbeddedConfig(gguf_paths=[str(link)], batch_rows=4))
    req = GenerationRequest(model="embedded/cold-smol", messages=(ChatMessage("user", "Hi"),), max_tokens=3,
                            temperature=0.0)
    first = list(prov.stream(req))
    assert isinstance(first[0], RequestInfo)  # the stream still starts with the request (weights only)
    assert isinstance(first[1], Notice) and first[1].code == "loading"  # then the scheduler starts
    assert any(isinstance(e, TextDelta) and e.text for e in first)
    done = first[-1]
    assert isinstance(done, Finished) and done.extra.get("cold_load") is True and done.server_timings["load_ms"] > 0
    assert str(link) in engines()

    second = list(prov.stream(req))
    assert not any(isinstance(e, Notice) and e.code == "loading" for e in second)
    assert isinstance(second[-1], Finished) and "cold_load" not in second[-1].extra
    assert "load_ms" not in second[-1].server_timings


def test_broken_headers_give_clear_errors(tmp_path, smollm2_path):
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    wrong = tmp_path / "wrong.gguf"
    wrong.write_bytes(b"GGML" + b"\0" * 64)
    old = tmp_path / "old.gguf"
    old.write_bytes(b"GGUF" + (1).to_bytes(4, "little") + b"\0" * 64)
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(smollm2_path.read_bytes()[:5_000])  # inside the vocabulary
    with pytest.raises(ModelLoadError, match="empty"):
        read_gguf_metadata(empty)
    with pytest.raises(ModelLoadError, match="not a GGUF model file"):
        read_gguf_metadata(wrong)
    with pytest.raises(ModelLoadError, match="version 1"):
        read_gguf_metadata(old)
    with pytest.raises(ModelLoadError, match="corrupt or truncated"):
        read_gguf_metadata(cut)
    with pytest.raises(ModelLoadError, match="Cannot read"):
        read_gguf_metadata(tmp_path / "missing.gguf")


def test_long_arrays_are_kept_as_their_length(smollm2_path):
    md = read_gguf_metadata(smollm2_path)
    assert md["tokenizer.ggml.tokens"] == ArrayInfo(8, 49152)  # strings
    assert md["tokenizer.ggml.token_type"] == ArrayInfo(5, 49152)  # int32
    assert md["general.languages"] == ["en"]  # short arrays whole
