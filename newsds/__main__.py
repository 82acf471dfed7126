"""`python -m newsds ...` is the `newsds` command."""

from newsds.cli import main

raise SystemExit(main())
