"""``python -m stridelab``: the same command line as ``stridelab``."""

from stridelab.cli import main

raise SystemExit(main())
