"""`newsds train claims`: its options (the command is in `train_commands`, imported when it runs)."""

from __future__ import annotations

from typing import Any

from newsds.cli.dispatch import command
from newsds.dataset import ROOT_HELP
from newsds.defaults import ALGORITHMS, DEFAULT_TRAINING


def add_parser(sub: Any) -> None:
    """The `train` command group."""
    t = sub.add_parser("train", help="train the claims model on attribution gold")
    group = t.add_subparsers(dest="what", required=True, metavar="WHAT")
    c = group.add_parser(
        "claims",
        help="train the claims model (two linear-chain taggers) on gold attributions",
        description="Train the claims model on gold in the evaluation JSONL shape (text + attributions with "
        "[start, end] range lists per role, as PolNeAR), or on a release folder's adjudicated human claims. "
        "Deterministic: the same gold and parameters write byte-identical weights. Select on --dev; never "
        "train on it.",
    )
    c.add_argument(
        "--gold",
        required=True,
        help="training gold: a JSONL file, a release folder (its human claims), or the Parquet file of "
        "`newsds annotate adjudicate`",
    )
    c.add_argument("--release", default=None, help="with a Parquet gold: the release holding its texts")
    c.add_argument("--root", default=None, help=ROOT_HELP)
    c.add_argument("--dev", default=None, help="JSONL gold to score the trained model on (not trained on)")
    c.add_argument("--out", required=True, help="folder to write the model to (weights and model.json)")
    c.add_argument(
        "--algorithm",
        choices=ALGORITHMS,
        default=DEFAULT_TRAINING["algorithm"],
        help="ap: averaged structured perceptron; lbfgs: CRF likelihood "
        f"(default: {DEFAULT_TRAINING['algorithm']})",
    )
    c.add_argument(
        "--min-freq",
        type=int,
        default=DEFAULT_TRAINING["feature.minfreq"],
        help="drop features seen fewer times than this (keeps the weights small)",
    )
    c.add_argument("--c1", type=float, default=None, help="L1 regularisation (lbfgs only)")
    c.add_argument("--c2", type=float, default=None, help="L2 regularisation (lbfgs only)")
    c.add_argument(
        "--iterations", type=int, default=DEFAULT_TRAINING["max_iterations"], help="training iterations"
    )
    c.add_argument("--json", action="store_true", help="also print the dev scores as JSON")
    c.add_argument(
        "--reproduce",
        action="store_true",
        help="train with the shipped model's parameters and compare the weights' sha256 with the shipped "
        "ones (non-zero exit on any difference): --gold must be the shipped model's training gold",
    )
    c.set_defaults(func=command("newsds.cli.train_commands", "cmd_train_claims"))
