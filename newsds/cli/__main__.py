"""`python -m newsds.cli ...` is the `newsds` command."""

from newsds.cli.main import main

raise SystemExit(main())
