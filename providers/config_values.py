"""Reading secrets.toml values of the right type, or one clear error saying what is wrong where.

TOML lets a person write `hosts = "http://x"` where a table was meant, or `models = 5` where a
list was: read blindly, that is an AttributeError deep in the configuration and a traceback for
every page. Each reader here checks the type and raises ConfigError naming the section and the key,
the kind of value expected and the kind found, never the value itself (it may be a key).
"""

from __future__ import annotations

from typing import Any, Mapping


class ConfigError(ValueError):
    """secrets.toml (or the environment) cannot be used as it is.

    `str()` is the short English reason, safe to show visitors: no file path, no value. `code`
    and `params` say the same in the person's language (playground/locales/hardening.py:
    "config.<code>"); `params` values that name a kind of value ("table", "text"...) are
    catalogue keys under "config.type.".
    """

    def __init__(self, message: str, *, code: str = "invalid", params: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = dict(params or {"detail": message})


# What each kind of value is called in messages (the catalogue has "config.type.<name>").
def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "table"
    if isinstance(value, (list, tuple)):
        return "list"
    return "date"  # TOML's only other kind of value


def wrong_type(where: str, expected: str, value: Any) -> ConfigError:
    got = kind_of(value)
    origin = "secrets.toml: " if where.startswith("[") else ""  # else an environment variable
    return ConfigError(f"{origin}{where} must be a {expected}, not a {got}.", code="wrong_type",
                       params={"where": where, "expected": expected, "got": got})


def table(parent: Mapping, key: str, where: str | None = None) -> Mapping:
    """parent[key] as a table ({} when absent or empty)."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise wrong_type(where or f"[{key}]", "table", value)
    return value


def text(parent: Mapping, key: str, where: str) -> str | None:
    """parent[key] as a text (None when absent or empty)."""
    value = parent.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise wrong_type(where, "text", value)
    return value


def whole_number(value: Any, where: str) -> int | None:
    """An integer from TOML or the environment (a numeric text is fine); None when unset."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise wrong_type(where, "whole number", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise wrong_type(where, "whole number", value) from None


def number(value: Any, where: str) -> float | None:
    """A number from TOML or the environment (a numeric text is fine); None when unset."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise wrong_type(where, "number", value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise wrong_type(where, "number", value) from None


def names(value: Any, where: str) -> tuple[str, ...]:
    """`"a, b"` or `["a", "b"]` -> ("a", "b")."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(x.strip() for x in value.split(",") if x.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool)
                                                for x in value):
        return tuple(str(x) for x in value)
    raise wrong_type(where, "list of names", value)
