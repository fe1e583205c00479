import sys

if {"load", "serve"} & set(sys.argv[1:4]):
    # start the worker that reads untrusted files now: it imports pandas and the readers while
    # this process does the same, so the first file does not wait for it (etl/sandbox.py)
    from etl import sandbox

    sandbox.warm()

from etl.cli import main

sys.exit(main())
