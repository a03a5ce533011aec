#!/usr/bin/env bash
# Set up and start the app on the embedded models (no server, no network needed at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-env.sh
"$PY" -m pip install -q -r requirements.txt
exec "$PY" -m streamlit run app.py "$@"
