"""LLM Playground entry point: page config, sidebar (language), navigation over pages/."""

import streamlit as st

from ui.navigation import navigation
from ui.shell import app_shell

st.set_page_config(page_title="LLM Playground", page_icon="🧪", layout="wide")
app_shell()
navigation().run()
