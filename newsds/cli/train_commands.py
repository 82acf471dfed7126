"""`newsds train claims`: train the claims model on attribution gold (thin, over `newsds.claims`)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import polars as pl

from newsds.claims import (
    GoldText,
    gold_from_claims,
    read_gold_jsonl,
    shipped_model,
    train,
)
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
        shipped_meta = shipped_model().meta
        shipped = shipped_meta["weights"]
        same_gate = meta["gate"] == shipped_meta["gate"]  # which sentences get tagged: part of the model
        same = meta["weights"] == shipped and same_gate
        for name in sorted(shipped):
            verdict = "identical" if meta["weights"].get(name) == shipped[name] else "DIFFERENT"
            print(
                f"{name}: {verdict} (shipped sha256:{shipped[name][:12]}, retrained "
                f"sha256:{meta['weights'].get(name, '')[:12]})"
            )
        print(
            f"gate: {'identical' if same_gate else 'DIFFERENT'} ({len(shipped_meta['gate'])} words shipped, "
            f"{len(meta['gate'])} retrained)"
        )
        if not same:
            print(
                "the retrained model differs from the shipped one: same gold and code must give the same "
                "bytes; check the gold file and the python-crfsuite version"
            )
            return 1
        return 0
    print(f"use it: newsds build --claims {args.out}")
    return 0
