"""`newsds train claims`: train the claims model on attribution gold (thin, over `newsds.claims`)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import polars as pl

from newsds.claims import (
    ALGORITHMS,
    DEFAULT_TRAINING,
    GoldText,
    gold_from_claims,
    read_gold_jsonl,
    shipped_model,
    train,
)
from newsds.dataset import ROOT_HELP
from newsds.errors import NewsdsError
from newsds.release import load


def read_gold(path: Path, release: str | None = None, root: Path | None = None) -> list[GoldText]:
    """Training gold from any of three places: a JSONL file in the evaluation shape; a release folder,
    whose human (adjudicated) claims are the gold; or the Parquet of `newsds annotate adjudicate`, with the
    texts of the release `release` under `root` (default: the newest)."""
    if path.is_dir():
        rel = load(path.name, path.parent)
        claims = rel.human_claims
    elif path.suffix == ".parquet":
        rel, claims = load(release, root), pl.read_parquet(path)
    else:
        return read_gold_jsonl(path)
    if claims.is_empty():
        raise NewsdsError(
            f"{path} holds no human claims to train on; import annotations first (`newsds annotate import`, "
            "`newsds annotate adjudicate`) or pass a JSONL gold file"
        )
    return gold_from_claims(claims, dict(rel.documents.select("doc_id", "text").iter_rows()))


def cmd_train_claims(args: argparse.Namespace) -> int:
    gold = read_gold(Path(args.gold), args.release, Path(args.root))
    params = {
        "algorithm": args.algorithm,
        "max_iterations": args.iterations,
        "feature.minfreq": args.min_freq,
    }
    params |= {k: v for k, v in (("c1", args.c1), ("c2", args.c2)) if v is not None}
    if args.reproduce:  # the shipped model's own parameters, whatever the flags say
        params = dict(shipped_model().meta["params"])
    started = time.perf_counter()
    meta = train(gold, Path(args.out), params, source=Path(args.gold).name)
    seconds = time.perf_counter() - started
    sizes = {name: (Path(args.out) / name).stat().st_size for name in meta["weights"]}
    print(
        f"model {meta['name']}/{meta['version']} at {args.out}: trained on {meta['training']['documents']} "
        f"documents ({meta['training']['attributions']} attributions) in {seconds:.0f} s; weights "
        + ", ".join(
            f"{n} {sizes[n] / 1e6:.1f} MB sha256:{d[:12]}" for n, d in sorted(meta["weights"].items())
        )
    )
    if args.dev:
        from newsds.evaluate.claims import evaluate, load_gold  # a measuring tool: only when asked

        scores = evaluate(load_gold(Path(args.dev)), extractor=args.out)
        print(f"scores on {args.dev}:\n{scores.table()}")
        if args.json:
            print(json.dumps(scores.as_dict()))
    if args.reproduce:
        shipped = shipped_model().meta["weights"]
        same = meta["weights"] == shipped
        for name in sorted(shipped):
            verdict = "identical" if meta["weights"].get(name) == shipped[name] else "DIFFERENT"
            print(
                f"{name}: {verdict} (shipped sha256:{shipped[name][:12]}, retrained "
                f"sha256:{meta['weights'].get(name, '')[:12]})"
            )
        if not same:
            print(
                "the retrained weights differ from the shipped ones: same gold and code must give the same "
                "bytes; check the gold file and the python-crfsuite version"
            )
            return 1
        return 0
    print(f"use it: newsds build --claims {args.out}")
    return 0


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
    c.set_defaults(func=cmd_train_claims)
