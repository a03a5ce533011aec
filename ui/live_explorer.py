"""The live next-token chart: a Streamlit component (components v1) that reshapes in the browser.

Why a component: every slider move used to rerun the page on the server, 1.6–4.5 s from move to
redrawn chart in a real browser for ~11 ms of maths. The component gets the distribution once
(playground/explorer_live.py) and redraws bars, pie, cut tokens and metrics itself
(ui/live_explorer_frontend/: index.html, reshape.js, explorer.js; plain JavaScript speaking
Streamlit's postMessage protocol, no npm build). The settings come back only when a move ends,
so the page reruns once per move instead of once per step of the slider.

Where plotly.js comes from: the installed `plotly` Python package ships it
(plotly/package_data/plotly.min.js, 4.8 MB) and it must match nothing else, so it is not copied
into git. At first use the component's directory is assembled in the cache directory
(`PLAYGROUND_CACHE_DIR`, default the user cache dir, as the embedded models' files): our three
files plus plotly.min.js, hard-linked when the file system allows, copied otherwise. The
directory name carries a hash of our files and the plotly version, so an upgrade or an edit
gets a fresh directory; it is built in a temporary directory and renamed into place, so two
server processes starting together never serve a half-written one. Everything is local: it
works offline, and Streamlit serves it from the app's own origin.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import plotly
import streamlit.components.v1 as components
from platformdirs import user_cache_dir

from playground.explorer_live import LivePayload, Settings, live_labels

FRONTEND = Path(__file__).resolve().parent / "live_explorer_frontend"
FILES = ("index.html", "reshape.js", "explorer.js")


def plotly_js() -> Path:
    """plotly.min.js of the installed plotly package."""
    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall the plotly package (pip install --force-reinstall plotly)")
    return path


def component_dir(cache: Path | None = None) -> Path:
    """The component's directory in the cache, assembled on first use (see the module docstring)."""
    base = cache or Path(os.environ.get("PLAYGROUND_CACHE_DIR") or user_cache_dir("llm-playground"))
    digest = hashlib.sha256(plotly.__version__.encode())
    for name in FILES:
        digest.update((FRONTEND / name).read_bytes())
    target = base / f"live-explorer-{digest.hexdigest()[:16]}"
    if (target / "plotly.min.js").is_file():
        return target
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".live-explorer-", dir=base))
    try:
        for name in FILES:
            shutil.copyfile(FRONTEND / name, tmp / name)
        try:
            os.link(plotly_js(), tmp / "plotly.min.js")
        except OSError:
            shutil.copyfile(plotly_js(), tmp / "plotly.min.js")
        try:
            tmp.rename(target)
        except OSError:  # another process got there first: theirs is complete
            if not (target / "plotly.min.js").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


@lru_cache(maxsize=1)
def _component():
    return components.declare_component("live_explorer", path=str(component_dir()))


def live_explorer(payload: LivePayload, settings: Settings, lang: str, *, key: str, picks_seen: int = 0,
                  large: bool = False, locked: bool = False, on_change=None) -> object:
    """Draw the live chart for a distribution (`live_payload(dist)`, computed once per distribution:
    keep it beside it); returns the component's value ({"settings", "pick"}) or None."""
    return _component()(logits=payload.logits, meta=payload.meta, settings=settings.as_dict(),
                        labels=live_labels(lang), picks_seen=int(picks_seen), large=bool(large),
                        locked=bool(locked), key=key,
                        default=None, on_change=on_change)
