"""Embedded models: GGUF files run in-process by llama.cpp, many sessions at once.

files.py     where the GGUF files come from (bundled packages, Gemma's parts, your paths)
gguf_meta.py a GGUF header's metadata, read without loading the weights (capabilities)
model.py     a loaded GGUF: weights, tokenizer, chat template (one per process)
context.py   llama.cpp internals: the multi-sequence decoding context
engine.py    the scheduler: continuous batching, shared prefixes, queue, cancellation
calibrate.py the rows per decode call that keep every row bit-identical to a solo run
sequence.py  one request's sampler, logprobs, stops and budget
stops.py     the pure stop-sequence buffer
provider.py  the provider contract (list, capabilities, stream, exact next-token logits)
"""

from providers.embedded.files import check_gguf_header, locate_gemma, locate_smollm2
from providers.embedded.model import LoadedModel
from providers.embedded.provider import GEMMA, SMOLLM2, EmbeddedConfig, EmbeddedProvider, engines

__all__ = ["GEMMA", "SMOLLM2", "EmbeddedConfig", "EmbeddedProvider", "LoadedModel", "check_gguf_header",
           "engines", "locate_gemma", "locate_smollm2"]
