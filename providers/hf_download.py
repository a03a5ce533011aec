"""A GGUF from the Hugging Face hub into the hub cache, with huggingface_hub's own download
(`hf_hub_download`): its cache layout (so the file is shared with every other tool using it),
its retries that resume a dropped transfer with a Range request, `HF_ENDPOINT` (a mirror, or a
local server in the tests) and `HF_TOKEN` (gated or private repos) honoured, read at call time.

Once downloaded the file is an embedded model like the others (providers.embedded.files finds
it in the cache); its header is checked here first, so a wrong file is refused at once rather
than when someone runs it."""

from __future__ import annotations

import errno
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from providers.base import BackendUnavailable, InvalidRequest, ModelLoadError, ModelNotFound, ProviderError, ServerError
from providers.embedded.files import HubGguf, check_gguf_header, hf_cache_dir, remove_hub_gguf
from providers.pulls import DiskFull, PullCancelled, PullProgress

DEFAULT_ENDPOINT = "https://huggingface.co"
_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class HubFile:
    """`repo_id` (owner/name) and `filename` (a .gguf path inside the repo), at `revision`."""

    repo_id: str
    filename: str
    revision: str | None = None

    @property
    def spec(self) -> str:
        return f"hf:{self.repo_id}/{self.filename}"


def parse_hub_file(text: str) -> HubFile:
    """`hf:owner/repo/file.gguf`, `owner/repo/file.gguf` or `owner/repo/sub/file.gguf@revision`."""
    raw = text.strip()
    body = raw[3:] if raw.startswith("hf:") else raw
    body, _, revision = body.partition("@")
    parts = [p for p in body.split("/") if p]
    if len(parts) < 3 or not parts[-1].lower().endswith(".gguf") or not _REPO.match("/".join(parts[:2])):
        raise InvalidRequest(f"“{raw}” is not a hub GGUF: write owner/repo/file.gguf "
                             "(e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf).",
                             code="hf_bad_spec", params={"spec": raw})
    return HubFile("/".join(parts[:2]), "/".join(parts[2:]), revision or None)


def hub_endpoint(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def _progress_class(report: Callable[[PullProgress], None], cancel: threading.Event | None):
    """The `tqdm_class` handed to huggingface_hub: a progress sink, not a terminal bar (a class
    that is not a tqdm subclass is used as is, with total/initial/desc keywords). Raising from
    update() stops the transfer; huggingface_hub removes its temporary file."""

    class Progress:
        def __init__(self, *args, total=None, initial=0, **kwargs) -> None:  # noqa: ARG002 - tqdm's signature
            self.total, self.n = total, initial or 0
            report(PullProgress("downloading", completed=self.n, total=self.total))

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> bool:
            return False

        def update(self, n: int = 1) -> None:
            if cancel is not None and cancel.is_set():
                raise PullCancelled("cancelled")
            self.n += n
            report(PullProgress("downloading", completed=self.n, total=self.total))

        def close(self) -> None:
            pass

    return Progress


def _network_errors() -> tuple[type[BaseException], ...]:
    """Transport errors of whichever HTTP client this huggingface_hub uses (httpx, or httpx2 from 2.x)."""
    import httpx

    found: list[type[BaseException]] = [httpx.TransportError, ConnectionError]
    try:
        import httpx2

        found.append(httpx2.TransportError)
    except ImportError:
        pass
    return tuple(found)


def download_gguf(target: HubFile, *, cancel: threading.Event | None = None,
                  report: Callable[[PullProgress], None] = lambda p: None,
                  env: Mapping[str, str] | None = None,
                  disk_free: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free) -> Path:
    """Download `target` into the hub cache and return its path, after checking its GGUF header.

    Raises a ProviderError with an i18n code naming what happened: no such repo or file, gated,
    the hub unreachable, no disk space, not a GGUF file, cancelled."""
    # Imported here, not at the top: huggingface_hub's download module takes ~0.8 s to import, and
    # every CLI command and page importing this module would pay it; only a download needs it.
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url
    from huggingface_hub.errors import (
        EntryNotFoundError,
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    env = os.environ if env is None else env
    endpoint, cache = hub_endpoint(env), hf_cache_dir(env)
    token = env.get("HF_TOKEN") or None  # None: huggingface_hub's own lookup (HF_TOKEN, `hf auth login`)
    where = endpoint.split("://", 1)[-1]
    params = {"model": target.spec, "host": where}
    try:
        report(PullProgress("checking"))
        meta = get_hf_file_metadata(hf_hub_url(target.repo_id, target.filename, revision=target.revision,
                                               endpoint=endpoint), token=token, endpoint=endpoint)
        cache.mkdir(parents=True, exist_ok=True)
        if meta.size and disk_free(cache) < meta.size:
            raise DiskFull(f"Not enough disk space in {cache} for {target.spec} ({meta.size} bytes needed).",
                           code="hf_disk_full", params={**params, "size": meta.size, "path": str(cache)})
        path = Path(hf_hub_download(target.repo_id, target.filename, revision=target.revision, cache_dir=cache,
                                    endpoint=endpoint, token=token, tqdm_class=_progress_class(report, cancel)))
    except ProviderError as exc:
        if isinstance(exc, PullCancelled):
            raise PullCancelled(f"Download of {target.spec} cancelled.", code="pull_cancelled", params=params) from None
        raise
    except GatedRepoError:
        raise ModelNotFound(f"{target.repo_id} is gated: accept its licence on the hub, then set HF_TOKEN.",
                            code="hf_gated", params=params, status=403) from None
    except RepositoryNotFoundError:
        raise ModelNotFound(f"No repository {target.repo_id} on {where} (or it is private: set HF_TOKEN).",
                            code="hf_repo_not_found", params=params, status=404) from None
    except (RevisionNotFoundError, EntryNotFoundError) as exc:
        if isinstance(exc, LocalEntryNotFoundError):
            raise BackendUnavailable(f"Cannot reach {where} to download {target.spec}.", code="hf_unreachable",
                                     params=params) from None
        raise ModelNotFound(f"No file {target.filename} in {target.repo_id} on {where}.", code="hf_file_not_found",
                            params=params, status=404) from None
    except _network_errors() as exc:
        raise BackendUnavailable(f"Cannot reach {where} to download {target.spec} ({type(exc).__name__}).",
                                 code="hf_unreachable", params=params) from None
    except HfHubHTTPError as exc:
        raise ServerError(f"{where} refused {target.spec}: {str(exc).splitlines()[0]}", code="pull_failed",
                          params={**params, "detail": str(exc).splitlines()[0]}) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFull(f"The disk filled up while downloading {target.spec} into {cache}.", code="hf_disk_full",
                           params={**params, "size": 0, "path": str(cache)}) from None
        raise ServerError(f"Download of {target.spec} failed: {exc}", code="pull_failed",
                          params={**params, "detail": str(exc)}) from None
    try:
        check_gguf_header(path)
    except ModelLoadError:
        remove_hub_gguf(HubGguf(target.repo_id, target.filename, path), cache)
        raise ModelLoadError(f"{target.spec} is not a GGUF model file (wrong header): it was removed.",
                             code="hf_not_gguf", params=params) from None
    report(PullProgress("success", completed=path.stat().st_size, total=path.stat().st_size))
    return path
