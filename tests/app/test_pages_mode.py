"""The one private Streamlit API (ui/pages_mode.py) still means what it meant: a new Streamlit
that changes it fails here rather than on a projector."""

from __future__ import annotations

import inspect

import pytest
from streamlit.commands import navigation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from ui.pages_mode import in_folder_mode, leave_folder_mode


@pytest.fixture()
def flag():
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def test_st_navigation_clears_the_same_flag_and_the_runner_reads_it():
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner.ScriptRunner)


def test_leaving_folder_mode_once(flag):
    PagesManager.uses_pages_directory = True
    assert in_folder_mode()
    assert leave_folder_mode() is True
    assert not in_folder_mode() and PagesManager.uses_pages_directory is False
    assert leave_folder_mode() is False  # already off: nothing to do, no rerun wanted
