"""``python -m pantau ...`` (and ``python -m etl ...``, which calls :func:`run`)."""

import sys


def run(prog: str = "python -m pantau") -> int:
    if "serve" in sys.argv[1:4]:
        # start the worker that reads uploads now: it imports pandas and the readers while the
        # server starts, so the first upload does not wait for it (etl/sandbox.py)
        from etl import sandbox

        sandbox.warm()

    from pantau.cli import main

    return main(prog=prog)


if __name__ == "__main__":
    sys.exit(run())
