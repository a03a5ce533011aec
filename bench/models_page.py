"""Models page costs: describing a GGUF from its header (no weights loaded) against loading it in
llama.cpp, and a hub download through huggingface_hub against a plain file copy (loopback, the
local hub of the tests serving the bundled SmolLM2 file).

Run: python bench/models_page.py [--reps 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.hf_hub import LocalHub  # noqa: E402

from providers.embedded import gguf_meta, locate_smollm2  # noqa: E402
from providers.embedded.files import cache_directory  # noqa: E402
from providers.hf_download import download_gguf, parse_hub_file  # noqa: E402


def median_s(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def header_vs_load(path: Path, reps: int) -> None:
    from llama_cpp import llama_cpp
    from llama_cpp._internals import LlamaModel

    def header():
        gguf_meta._cached.cache_clear()
        gguf_meta.summary(path)

    def load():
        params = llama_cpp.llama_model_default_params()
        LlamaModel(path_model=str(path), params=params, verbose=False).close()

    h, ld = median_s(header, reps), median_s(load, reps)
    print(f"{path.name}: header {h * 1000:.1f} ms, llama.cpp load {ld * 1000:.1f} ms, load / header = {ld / h:.0f}×")


def download_vs_copy(src: Path, reps: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        size = src.stat().st_size
        copies, downloads = [], []
        with LocalHub({("bench/repo", src.name): src}) as hub:
            for i in range(reps):  # interleaved: a noisy neighbour slows both alike
                t0 = time.perf_counter()
                shutil.copyfile(src, tmp / f"copy-{i}.gguf")
                copies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                download_gguf(parse_hub_file(f"hf:bench/repo/{src.name}"),
                              env={"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(tmp / f"cache-{i}")})
                downloads.append(time.perf_counter() - t0)
                shutil.rmtree(tmp / f"cache-{i}")
                (tmp / f"copy-{i}.gguf").unlink()
        c, d = statistics.median(copies), statistics.median(downloads)
        print(f"{src.name} ({size / 1e6:.1f} MB): copy {size / c / 1e6:.0f} MB/s, hub download {size / d / 1e6:.0f} MB/s "
              f"(HEAD ×2 + GET + sha-named cache), download / copy time = {d / c:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    smol = locate_smollm2()
    header_vs_load(smol, args.reps)
    gemma = cache_directory(None) / "gemma-3-270m-Q4_K_M.gguf"
    if gemma.exists():
        header_vs_load(gemma, args.reps)
    download_vs_copy(smol, args.reps)


if __name__ == "__main__":
    main()
