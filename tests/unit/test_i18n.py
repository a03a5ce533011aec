"""The UI catalogue: every key used by the app exists in French and English."""

import re
from pathlib import Path

from playground.i18n import DEFAULT_LANGUAGE, catalogue, translate

ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""\btr\(\s*(?:f?)["']([a-z0-9_.]+)["']""")


def used_keys() -> set[str]:
    keys = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        keys |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_used_key_is_in_the_catalogue():
    missing = sorted(k for k in used_keys() if k not in catalogue())
    assert not missing, f"UI strings missing from playground/locales: {missing}"
    assert len(used_keys()) > 20


def test_every_entry_has_french_and_english():
    incomplete = [k for k, v in catalogue().items() if not v.get("fr") or not v.get("en")]
    assert not incomplete


def test_french_is_the_default_and_formatting_works():
    assert DEFAULT_LANGUAGE == "fr"
    assert translate("compare.column", n=2) == "Colonne 2"
    assert translate("compare.column", "en", n=2) == "Column 2"


def test_every_blocked_host_reason_is_translated():
    from providers.netguard import REASONS

    keys = {"settings.reason_" + r.replace(" ", "_").replace("-", "_") for r in REASONS}
    assert not keys - set(catalogue())


def test_settings_tokenizer_and_next_token_pages_have_no_flag_emoji_or_english_literals():
    # labels reach the page through tr(); flag emoji do not render on some projector machines
    flags = re.compile("[\U0001F1E6-\U0001F1FF]")
    # strings once written in the pages: units, "Kind : `x`" label lines, a French-only placeholder
    english = re.compile(r"""\} (nats|bits)["']|\)\} : |\bplaceholder=["']""")
    for name in ("pages/settings.py", "pages/tokenizer.py", "pages/next_token.py", "ui/backends.py"):
        src = (ROOT / name).read_text(encoding="utf-8")
        assert not flags.search(src), name
        assert not english.search(src), (name, english.search(src))
