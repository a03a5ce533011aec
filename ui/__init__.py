"""The only Streamlit helpers: language, cached registry, shared widgets and charts."""
