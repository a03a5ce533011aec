#!/usr/bin/env bash
# Set up and run the whole test suite: installs the dev dependencies and Debian's chromium
# (for the browser tests) when missing, then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$PY" -m pip install -q -r requirements-dev.txt
if [ ! -x "${PLAYGROUND_CHROMIUM:-/usr/bin/chromium}" ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium
fi
exec "$PY" -m pytest "$@"
