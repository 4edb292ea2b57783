"""``python -m govdisclose``: the command line (see :mod:`govdisclose.cli`)."""

from .cli import main

raise SystemExit(main())
