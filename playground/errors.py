"""The core's refusals that the UI translates: a message (English, for logs and the CLI), an
i18n `code` and its parameters."""

from __future__ import annotations


class CodedError(ValueError):
    """Refused input or action, with an i18n code and its parameters for the UI."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params
