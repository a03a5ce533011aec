"""A local server speaking the Hugging Face hub's file protocol, for `HF_ENDPOINT` in tests.

What huggingface_hub (file_download.get_hf_file_metadata / http_get, utils/_http.hf_raise_for_status)
reads, answered as the hub answers it:
- HEAD and GET on /{repo_id}/resolve/{revision}/{filename};
- on success: `ETag` (the file's sha256, quoted, as for LFS files), `X-Repo-Commit` (the
  commit the revision points to), `Content-Length`, `Accept-Ranges: bytes`;
- `Range: bytes=N-` answered 206 with `Content-Range` (how a dropped download resumes);
- errors as the hub says them: `X-Error-Code: RepoNotFound` (401), `GatedRepo` (403),
  `EntryNotFound` (404, with `X-Repo-Commit`).
The file is served from disk (a copy of a real GGUF), never loaded whole in memory."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "8c1a4f2d7e9b0c3a5f6e1d2c4b7a9e0f1d3c5b7a"


@dataclass
class HubState:
    files: dict[tuple[str, str], Path] = field(default_factory=dict)
    gated: set[str] = field(default_factory=set)
    token: str | None = None  # when set, requests must carry `Authorization: Bearer <token>`
    drop_first_get_after: int | None = None  # the first GET stops after this many bytes
    pause_per_chunk: float = 0.0  # seconds after each 64 KiB sent: a slow link, to watch progress
    requests: list[dict] = field(default_factory=list)
    _dropped: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: HubState
    etags: dict

    def log_message(self, *args) -> None:  # quiet
        pass

    def _error(self, status: int, code: str, message: str, commit: bool = False) -> None:
        body = f'{{"error": "{message}"}}'.encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        if commit:
            self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self) -> None:
        st = self.state
        with st.lock:
            st.requests.append({"method": self.command, "path": self.path,
                                "headers": {k.lower(): v for k, v in self.headers.items()}})
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) < 5 or parts[2] != "resolve":
            return self._error(404, "RepoNotFound", "Repository not found")
        repo, filename = "/".join(parts[:2]), "/".join(parts[4:])
        if st.token and self.headers.get("Authorization") != f"Bearer {st.token}":
            return self._error(401, "RepoNotFound", "Repository not found")
        if repo in st.gated:
            return self._error(403, "GatedRepo", "Access to model is restricted")
        if not any(r == repo for r, _ in st.files):
            return self._error(401, "RepoNotFound", "Repository not found")
        path = st.files.get((repo, filename))
        if path is None:
            return self._error(404, "EntryNotFound", "Entry not found", commit=True)
        size = path.stat().st_size
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and self.command == "GET":
            start = int(rng[len("bytes="):].split("-", 1)[0] or 0)
        self.send_response(206 if start else 200)
        self.send_header("ETag", f'"{self.etags[path]}"')
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size - start))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.end_headers()
        if self.command == "HEAD":
            return
        limit = None
        with st.lock:
            if st.drop_first_get_after is not None and not st._dropped:
                st._dropped, limit = True, st.drop_first_get_after
        sent = 0
        with open(path, "rb") as fh:
            fh.seek(start)
            while chunk := fh.read(1 << 16):
                if limit is not None and sent + len(chunk) > limit:
                    self.wfile.write(chunk[: limit - sent])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # mid-body: the client sees the connection drop
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
                if st.pause_per_chunk:
                    time.sleep(st.pause_per_chunk)

    def _handle(self) -> None:
        try:
            self._serve()
        except (BrokenPipeError, ConnectionResetError):  # the client went away (a cancelled download)
            self.close_connection = True

    do_HEAD = _handle
    do_GET = _handle


class LocalHub:
    """`with LocalHub({("owner/repo", "file.gguf"): path}) as hub:` then HF_ENDPOINT=hub.url."""

    def __init__(self, files: dict[tuple[str, str], Path], **state) -> None:
        self.state = HubState(files=dict(files), **state)
        etags = {p: _sha256(p) for p in self.state.files.values()}
        handler = type("Handler", (_Handler,), {"state": self.state, "etags": etags})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LocalHub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def requests(self) -> list[dict]:
        return list(self.state.requests)
