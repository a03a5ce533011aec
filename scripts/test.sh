#!/usr/bin/env bash
# Set up and run the whole test suite: installs the dev dependencies and Debian's chromium
# (for the browser tests) when missing, checks that the layers point down (import-linter,
# contracts in .importlinter), then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$PY" -m pip install -q -r requirements-dev.txt
if [ ! -x "${PLAYGROUND_CHROMIUM:-/usr/bin/chromium}" ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium
fi
# lint-imports sits beside the interpreter that installed it (the project's .venv or the system's)
"$("$PY" -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "lint-imports"))')" --no-cache
exec "$PY" -m pytest "$@"
