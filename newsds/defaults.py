"""The choices a user makes on the command line or in Python, and their defaults: plain values, so that the
command line can offer them without importing what implements them (it starts at once)."""

from __future__ import annotations

from typing import Any

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # a raw file larger than this is rejected as too_large
DEFAULT_POLICY = "majority"  # how human annotations are adjudicated (docs/annotation.md)
EXTRACTOR_NAMES = ("model", "rules")  # the claims extractors (or a folder holding a trained model)
DEFAULT_EXTRACTOR = "model"
ENGINES = ("local", "ray")  # what runs the build's batches
ALGORITHMS = ("ap", "lbfgs")  # the claims model's training algorithms (crfsuite)
DEFAULT_TRAINING: dict[str, Any] = {"algorithm": "ap", "max_iterations": 10, "feature.minfreq": 3}
