"""``python -m govdisclose``: the command line (see :mod:`govdisclose.cli`)."""

from govdisclose.cli import main

raise SystemExit(main())
