# Sourced by start.sh and test.sh: sets PY to the Python to use — $PYTHON, else python3;
# when that is a distribution's "externally managed" system Python (pip refuses to install
# into it), a project virtual environment in .venv is created and used instead.
PY="${PYTHON:-python3}"
if "$PY" - <<'PYCODE'
import pathlib, sys, sysconfig
managed = (pathlib.Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED").exists()
sys.exit(0 if managed and sys.prefix == sys.base_prefix else 1)
PYCODE
then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  PY=.venv/bin/python
fi
