"""The `newsds` command: a thin layer over the library (`main`: build, validate, verify, list, diff, ...;
`annotate`: the annotation round trip; `train`: the claims model)."""

from newsds.cli.main import main

__all__ = ["main"]
