"""LLM Playground core: pure Python (no Streamlit) — runner, sampling maths, config, CLI."""

__version__ = "0.1.0"
