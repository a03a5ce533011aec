"""Model anatomy: the GGUF tensor infos against llama.cpp's own figures (real bundled models),
the RAM formula, and Ollama's /api/show replayed with its documented shape."""

from __future__ import annotations

import llama_cpp
import pytest
from remote_shapes import OLLAMA_TAGS, ollama_show

from playground.anatomy import (
    KV_BYTES,
    gguf_anatomy,
    kv_cache_bytes,
    layer_table,
    model_anatomy,
    ollama_anatomy,
    ram_estimate,
    type_histogram,
)
from providers.base import InvalidRequest, ModelLoadError
from providers.embedded.gguf_meta import gguf_tensors
from providers.ollama import OllamaConfig, OllamaProvider
from providers.registry import Registry

SMOL = "embedded/smollm2-135m-instruct"
GEMMA = "embedded/gemma-3-270m"


@pytest.mark.parametrize("model_id", [SMOL, GEMMA])
def test_parameter_count_equals_llama_cpp(registry, model_id):
    a = model_anatomy(registry, model_id)
    provider, name = registry.resolve(model_id)
    m = provider.loaded(name)
    assert a.n_params == llama_cpp.llama_model_n_params(m.model.model)
    assert a.vocab_size == m.n_vocab
    assert a.context_length == m.model.n_ctx_train()
    assert a.n_layer == llama_cpp.llama_model_n_layer(m.model.model)
    assert a.n_embd == llama_cpp.llama_model_n_embd(m.model.model)
    assert a.n_head == llama_cpp.llama_model_n_head(m.model.model)
    assert a.n_head_kv == llama_cpp.llama_model_n_head_kv(m.model.model)
    # llama.cpp's own size of the weights (bytes of every tensor)
    assert a.weight_bytes == llama_cpp.llama_model_size(m.model.model)


@pytest.mark.parametrize("model_id", [SMOL, GEMMA])
def test_tensor_layout_fills_the_file_and_histogram_adds_up(registry, model_id):
    a = model_anatomy(registry, model_id)
    layout = gguf_tensors(registry.capabilities(model_id).details["path"])
    # the last tensor's data ends exactly at the end of the file: offsets and type sizes are right
    end = max(t.offset + t.n_bytes for t in layout.tensors)
    assert layout.data_offset + end == layout.file_size == a.file_size
    hist = type_histogram(a.tensors)
    assert sum(r.tensors for r in hist) == len(a.tensors)
    assert sum(r.params for r in hist) == a.n_params
    assert sum(r.bytes for r in hist) == a.weight_bytes
    layers = layer_table(a.tensors)
    assert [r.layer for r in layers] == [None] + list(range(a.n_layer))
    assert sum(r.tensors for r in layers) == len(a.tensors)
    assert a.chat_template if model_id == SMOL else not a.chat_template


def test_bundled_quantizations_are_read_per_tensor(registry):
    smol = {r.type_name for r in type_histogram(model_anatomy(registry, SMOL).tensors)}
    gemma = {r.type_name for r in type_histogram(model_anatomy(registry, GEMMA).tensors)}
    assert "Q4_1" in smol and "F32" in smol
    assert {"Q4_K", "Q6_K", "F32"} <= gemma  # a Q4_K_M file mixes types


def test_kv_cache_formula():
    # SmolLM2-135M: 30 layers, 3 KV heads of 64 dims; 2048 tokens, one sequence, f16
    assert kv_cache_bytes(30, 3, 64, 64, 2048, "f16", 1) == 30 * 2048 * 3 * 128 * 2 == 47_185_920
    # q8_0: 34 bytes per block of 32 elements
    assert kv_cache_bytes(30, 3, 64, 64, 2048, "q8_0", 1) == 30 * 2048 * 3 * 128 * 34 // 32
    # linear in the context and in the sequences
    assert kv_cache_bytes(30, 3, 64, 64, 1024, "f16", 4) == 2 * kv_cache_bytes(30, 3, 64, 64, 2048, "f16", 1)
    assert KV_BYTES["q8_0"] / KV_BYTES["f16"] == pytest.approx(0.53125)
    with pytest.raises(InvalidRequest):
        kv_cache_bytes(30, 3, 64, 64, 2048, "q3", 1)


def test_ram_estimate_uses_head_dims_from_the_header_or_the_embedding(registry):
    smol = model_anatomy(registry, SMOL)  # no key_length: 576 / 9 heads = 64
    est = ram_estimate(smol, 4096, "f16", 2)
    assert (est.k_dim, est.v_dim) == (64, 64)
    assert est.kv == 30 * 4096 * 2 * 3 * 128 * 2
    assert est.total == est.kv + smol.weight_bytes
    gemma = model_anatomy(registry, GEMMA)  # key_length 256 while 640 / 4 = 160
    est = ram_estimate(gemma, 1000, "q8_0", 1)
    assert (est.k_dim, est.v_dim, est.n_head_kv, est.n_layer) == (256, 256, 1, 18)
    assert est.kv == -(-18 * 1000 * 512 * 34 // 32)
    assert smol.extra["max_active"] == registry.resolve(SMOL)[0].config.max_active


def test_not_a_gguf_is_a_clear_error(tmp_path):
    bad = tmp_path / "x.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x01" * 3)
    with pytest.raises(ModelLoadError, match="corrupt or truncated"):
        gguf_anatomy(bad)


def test_ollama_show_replayed(httpserver):
    show = ollama_show(family="qwen2", ctx=32768)
    show["model_info"].update({"qwen2.block_count": 28, "qwen2.attention.head_count": 12,
                               "qwen2.attention.head_count_kv": 2, "qwen2.vocab_size": 151936})
    httpserver.expect_request("/api/tags", method="GET").respond_with_json(OLLAMA_TAGS)
    httpserver.expect_request("/api/show", method="POST").respond_with_json(show)
    prov = OllamaProvider(OllamaConfig(name="ollama", host=httpserver.url_for("/").rstrip("/")))
    reg = Registry({"ollama": prov})
    a = model_anatomy(reg, "ollama/qwen2.5:1.5b")
    assert (a.source, a.arch, a.n_params, a.size_label, a.quantization) == ("ollama", "qwen2", 1543714304, "1.5B", "Q4_K_M")
    assert (a.context_length, a.n_layer, a.n_head_kv, a.vocab_size) == (32768, 28, 2, 151936)
    assert a.chat_template == show["template"] and "im_end" in a.parameters
    assert a.file_size == 986061892 and a.tensors == ()
    est = ram_estimate(a, 2048, "f16", 1)
    assert (est.k_dim, est.v_dim) == (128, 128)  # 1536 / 12
    assert est.kv == 28 * 2048 * 2 * 256 * 2
    assert est.total == est.kv + 986061892
    sent = [r for r, _ in httpserver.log if r.path == "/api/show"]
    assert sent and sent[-1].get_json()["model"] == "qwen2.5:1.5b"


def test_ollama_show_without_architecture_details():
    a = ollama_anatomy({"details": {"family": "llama"}, "model_info": {}, "template": ""}, "ollama/x")
    est = ram_estimate(a, 2048)
    assert a.arch == "llama" and est.kv is None and est.total is None


def test_a_configured_gguf_file_is_described_too(smollm2_path, tmp_path):
    from providers.embedded.provider import EmbeddedConfig, EmbeddedProvider

    copy = tmp_path / "my-smol-q4.gguf"
    copy.symlink_to(smollm2_path)
    reg = Registry({"embedded": EmbeddedProvider(EmbeddedConfig(gguf_paths=[str(copy)]))})
    assert "embedded/my-smol-q4" in [m.id for m in reg.list_models()[0]]
    mine, bundled = model_anatomy(reg, "embedded/my-smol-q4"), model_anatomy(reg, SMOL)
    assert mine.n_params == bundled.n_params and mine.file_size == smollm2_path.stat().st_size
    assert [r.type_name for r in type_histogram(mine.tensors)] == [r.type_name for r in type_histogram(bundled.tensors)]
