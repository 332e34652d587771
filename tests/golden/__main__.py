"""``python -m tests.golden --write``: record the golden batch outputs (see the package docstring)."""

import sys

from tests.golden import main

raise SystemExit(main(sys.argv[1:]))
