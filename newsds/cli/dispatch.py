"""Commands named by module and function, imported only when they run: `newsds --help` and the light
commands start without loading polars, pandera or trafilatura."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib import import_module


def command(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """The command `module.name`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        return int(getattr(import_module(module), name)(args))

    return run
