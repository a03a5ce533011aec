"""What a model download reports, whoever downloads it (Ollama's /api/pull, a GGUF from the
Hugging Face hub): one progress type, and the errors of downloads and deletions.

Errors carry an i18n `code` (playground/locales/models.py: "error.<code>") so the page says what
happened in the person's language; `message` stays the English text the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass

from providers.base import ProviderError


@dataclass(frozen=True)
class PullProgress:
    """One step of a download.

    `status` is Ollama's own line ("pulling manifest", "pulling <digest>", "verifying sha256
    digest", "writing manifest", "success") or, for the hub, "downloading" / "checking" /
    "success". `completed` / `total` are bytes of the layer (Ollama) or file (hub) being
    fetched; both None on the status-only lines."""

    status: str
    completed: int | None = None
    total: int | None = None
    digest: str | None = None

    @property
    def fraction(self) -> float | None:
        """0..1 when the line carries a byte count, else None."""
        if self.total and self.completed is not None:
            return max(0.0, min(1.0, self.completed / self.total))
        return None

    @property
    def done(self) -> bool:
        return self.status == "success"


class PullCancelled(ProviderError):
    """The person cancelled the download; nothing was installed."""

    kind = "cancelled"


class DiskFull(ProviderError):
    """No space left where the model would be written."""

    kind = "disk_full"
