"""LLM Playground entry point: page config, sidebar (language), navigation over pages/."""

import streamlit as st

from ui.navigation import navigation
from ui.room_sync import confirm_room
from ui.shell import app_shell

# A Material icon, not the 🧪 emoji: checking an emoji loads Streamlit's whole emoji catalogue,
# a tenth of the first page's CPU time (bench/startup.py).
st.set_page_config(page_title="LLM Playground", page_icon=":material/science:", layout="wide")
app_shell()
navigation().run()
confirm_room()  # reached only when the run was not interrupted
