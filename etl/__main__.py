"""``python -m etl ...`` is ``python -m pantau ...`` (the README, cron lines and habits use it); the one
module of ``etl`` allowed to import the application shell (tests/test_layers.py)."""
import sys

from pantau.__main__ import run

sys.exit(run(prog="python -m etl"))
