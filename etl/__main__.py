import sys

if "serve" in sys.argv[1:4]:
    # start the worker that reads uploads now: it imports pandas and the readers while the
    # server starts, so the first upload does not wait for it (etl/sandbox.py)
    from etl import sandbox

    sandbox.warm()

from etl.cli import main

sys.exit(main())
