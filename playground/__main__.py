"""`python -m playground ...`: the command-line interface over the same core."""

import sys

from playground.cli import main

sys.exit(main())
