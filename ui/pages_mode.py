"""The one private Streamlit API the app uses: switching off Streamlit's legacy `pages/` folder mode.

Why it is needed (checked against Streamlit 1.67's source): a `pages/` folder beside app.py sets
`PagesManager.uses_pages_directory` when the server starts, and until some session calls
`st.navigation` (which clears that flag) the script runner runs the file a URL names on its own
(`_mpa_v1`), outside app.py. `st.navigation` and `st.Page(callable)` are public, but neither can
act before that first run: there is no config option for it, and the folder name is part of the
product's brief. So a page opened by its own URL on a fresh server clears the flag exactly as
`st.navigation` does (tests/app/test_pages_mode.py fails if a new Streamlit changes that).
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def in_folder_mode() -> bool:
    """Is Streamlit running page files on their own (its legacy `pages/` folder mode)?"""
    return bool(PagesManager.uses_pages_directory)


def leave_folder_mode() -> bool:
    """Switch the folder mode off for the whole process, as `st.navigation` does; True if it was on."""
    if not PagesManager.uses_pages_directory:
        return False
    PagesManager.uses_pages_directory = False
    return True
