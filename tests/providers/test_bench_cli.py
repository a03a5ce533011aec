"""`playground bench` CLI with the embedded model: output paths checked before the run, Ctrl-C
cancels and still writes the partial results, write errors are one line (never a traceback)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from playground.commands.bench import write_out

ROOT = Path(__file__).resolve().parents[2]
SMOL = "embedded/smollm2-135m-instruct"
BENCH = [sys.executable, "-m", "playground", "bench", "--model", SMOL, "--prompts", "en"]


def test_unwritable_outputs_are_refused_before_the_run(tmp_path):
    (tmp_path / "adir").mkdir()
    cases = [("--json", str(tmp_path / "missing" / "b.json"), "does not exist"),
             ("--csv", str(tmp_path / "adir"), "is a directory"),
             ("--samples-csv", str(tmp_path / "nope" / "s.csv"), "does not exist")]
    for option, path, message in cases:
        proc = subprocess.run([*BENCH, "--limit", "1", "--max-tokens", "4", option, path, "--quiet"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and option in lines[0] and message in lines[0]
        assert proc.stdout == ""  # nothing was benchmarked


def test_write_error_after_the_run_is_one_line(tmp_path, capsys):
    gone = tmp_path / "gone"
    assert write_out(str(gone / "b.json"), "{}") is False
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err and "Traceback" not in err


def test_ctrl_c_cancels_and_writes_the_partial_results(tmp_path):
    out, csv_out = tmp_path / "partial.json", tmp_path / "partial.csv"
    proc = subprocess.Popen([*BENCH, "--repetitions", "50", "--max-tokens", "16", "--json", str(out),
                             "--csv", str(csv_out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    try:
        while not re.search(rb"\r[2-9]\d*/\d+ requests", seen):  # progress: at least 2 requests done
            chunk = os.read(proc.stderr.fileno(), 256)
            if not chunk:
                break
            seen += chunk
        assert proc.poll() is None, seen.decode(errors="replace")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = (seen + stderr).decode(errors="replace")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "cancelled: partial results" in stderr
    rec = json.loads(out.read_text())
    assert rec["kind"] == "benchmark" and rec["cancelled"] is True
    assert 2 <= len(rec["samples"]) < 500
    assert csv_out.read_text().startswith("model,concurrency")
    assert b"model" in stdout  # the summary table is still printed
