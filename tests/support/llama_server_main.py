"""`python -m llama_cpp.server` with llama.cpp's weight repacking off, as the embedded provider
loads models: on CPUs that advertise AMX inside a VM that does not allow it, the repacked AMX
kernels crash on the first decode. Same server, same arguments; only that model parameter differs."""

import runpy

import llama_cpp.llama_cpp as llama_lib

_default_params = llama_lib.llama_model_default_params


def _no_repack():
    params = _default_params()
    params.use_extra_bufts = False
    return params


llama_lib.llama_model_default_params = _no_repack
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
