"""The config.yml pipeline on MASSIVE bn-BD (public benchmark, 60 intents nobody here wrote).

    python -m tools.nlu_eval_massive                 # train on train, score the held partition
    python -m tools.nlu_eval_massive --folds 5       # also 5-fold CV on the train partition
    python -m tools.nlu_eval_massive --config eval/pipelines/x.yml

The pipeline is config.yml itself (`rasa train nlu --config config.yml`): only the training
data differs (tools/massive_to_rasa.py writes it under var/massive/). Scored partition: the
test partition `bn-BD.test.jsonl` when it is present next to the train file (SATHI_MASSIVE_DIR);
otherwise a fixed 20% of the train partition, stratified by intent, seed 42 ("dev"), and the
model is trained on the other 80%. The fallback counts as a miss. Figures: intent accuracy,
fallback rate, top-1 accuracy ignoring the fallback, macro-F1 (fallback = a wrong label),
training seconds, `agent.parse_message` p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.massive_to_rasa import read_jsonl, source_file, to_rasa_yaml  # noqa: E402

OUT = ROOT / "var" / "nlu-eval"
WORK = ROOT / "var" / "massive"
FALLBACK = "nlu_fallback"


def split_dev(rows, fraction: float = 0.2, seed: int = 42):
    """(train, dev): `fraction` of every intent held out, reproducibly."""
    by_intent = collections.defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    rng = random.Random(seed)
    train, dev = [], []
    for intent in sorted(by_intent):
        items = list(by_intent[intent])
        rng.shuffle(items)
        held = max(1, round(len(items) * fraction))
        dev += items[:held]
        train += items[held:]
    return train, dev


def folds_of(rows, folds: int, seed: int = 42):
    by_intent = collections.defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    rng = random.Random(seed)
    fold_of = {}
    for intent in sorted(by_intent):
        order = list(range(len(by_intent[intent])))
        rng.shuffle(order)
        for position, index in enumerate(order):
            fold_of[id(by_intent[intent][index])] = position % folds
    return [
        ([r for r in rows if fold_of[id(r)] != k], [r for r in rows if fold_of[id(r)] == k])
        for k in range(folds)
    ]


def train(config: Path, rows, directory: Path) -> tuple[str, float, float]:
    """(model, wall seconds, CPU seconds of this process: steadier on shared cores)."""
    from rasa.model_training import train_nlu

    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "nlu.yml"
    data.write_text(to_rasa_yaml(rows), encoding="utf-8")
    start, cpu = time.perf_counter(), time.process_time()
    model = train_nlu(str(config), str(data), str(directory / "models"), fixed_model_name="massive")
    return model, time.perf_counter() - start, time.process_time() - cpu


def parse_all(model: str, texts):
    """(parsed results, per-message wall ms, per-message CPU ms), one message at a time as in
    production."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)

    async def run():
        out, times, cpu_times = [], [], []
        for text in texts:
            start, cpu = time.perf_counter(), time.process_time()
            out.append(await agent.parse_message(text))
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        return out, times, cpu_times

    return asyncio.run(run())


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def score(rows, parsed) -> dict:
    from sklearn.metrics import f1_score

    gold = [r["intent"] for r in rows]
    final = [(p.get("intent") or {}).get("name") or FALLBACK for p in parsed]
    top = []
    for p in parsed:
        ranking = [r for r in p.get("intent_ranking") or [] if r["name"] != FALLBACK]
        top.append(ranking[0]["name"] if ranking else FALLBACK)
    labels = sorted(set(gold))
    n = len(rows)
    return {
        "n": n,
        "accuracy": round(sum(g == f for g, f in zip(gold, final)) / n, 4),
        "fallback_rate": round(sum(f == FALLBACK for f in final) / n, 4),
        "top1_ignoring_fallback": round(sum(g == t for g, t in zip(gold, top)) / n, 4),
        "macro_f1": round(
            float(f1_score(gold, final, labels=labels, average="macro", zero_division=0)), 4
        ),
        "top_confusions": [
            {"gold": g, "predicted": p, "count": c}
            for (g, p), c in collections.Counter(
                (g, f) for g, f in zip(gold, final) if g != f
            ).most_common(8)
        ],
    }


def evaluate(config: Path, folds: int = 0, work: Path | None = None) -> dict:
    train_rows = read_jsonl(source_file("train"))
    test_path = source_file("test")
    if test_path.exists():
        held = read_jsonl(test_path)
        partition = "test"
    else:
        train_rows, held = split_dev(train_rows)
        partition = "dev (20% of train, stratified, seed 42; the test partition is not here)"
    result = {"config": str(config), "partition": partition, "n_train": len(train_rows)}
    with tempfile.TemporaryDirectory(prefix="massive-", dir=_work_dir(work)) as tmp:
        model, seconds, cpu = train(config, train_rows, Path(tmp) / "held")
        parsed, times, cpu_times = parse_all(model, [r["text"] for r in held])
        result["held"] = {
            **score(held, parsed),
            "training_seconds": round(seconds, 1),
            "training_cpu_seconds": round(cpu, 1),
            "parse_ms_p50": round(percentile(times, 0.5), 2),
            "parse_ms_p95": round(percentile(times, 0.95), 2),
            "parse_cpu_ms_p95": round(percentile(cpu_times, 0.95), 2),
        }
        print(f"MASSIVE bn-BD {partition.split()[0]}: {_line(result['held'])}", flush=True)
        if folds > 1:
            everything = read_jsonl(source_file("train"))
            all_rows, all_parsed, took = [], [], []
            for k, (fold_train, fold_test) in enumerate(folds_of(everything, folds)):
                model, seconds, _ = train(config, fold_train, Path(tmp) / f"fold{k}")
                took.append(seconds)
                all_rows += fold_test
                all_parsed += parse_all(model, [r["text"] for r in fold_test])[0]
            result["cross_validation"] = {
                **score(all_rows, all_parsed),
                "folds": folds,
                "training_seconds_per_fold": round(sum(took) / len(took), 1),
            }
            print(
                f"MASSIVE bn-BD {folds}-fold CV on train: {_line(result['cross_validation'])}",
                flush=True,
            )
    return result


def _work_dir(work: Path | None) -> str:
    directory = work or WORK
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory)


def _line(block: dict) -> str:
    seconds = block.get("training_seconds", block.get("training_seconds_per_fold"))
    extra = (
        f" (CPU {block['training_cpu_seconds']} s), parse p50/p95 "
        f"{block['parse_ms_p50']}/{block['parse_ms_p95']} ms (CPU p95 "
        f"{block['parse_cpu_ms_p95']} ms)"
        if "parse_ms_p95" in block
        else ""
    )
    return (
        f"n {block['n']}, accuracy {block['accuracy']} (fallback {block['fallback_rate']}, "
        f"top-1 ignoring it {block['top1_ignoring_fallback']}), macro-F1 "
        f"{block['macro_f1']}, training {seconds} s{extra}"
    )


def markdown(result: dict) -> str:
    lines = [
        "## MASSIVE bn-BD (config pipeline, trained on MASSIVE)",
        "",
        f"Config: `{result['config']}`; scored: {result['partition']}; "
        f"trained on {result['n_train']} examples.",
        "",
        "| split | n | accuracy (fallback = miss) | fallback | top-1 | macro-F1 | training s |"
        " parse p50 / p95 ms (CPU p95) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ("held", "cross_validation"):
        block = result.get(name)
        if block:
            seconds = block.get("training_seconds", block.get("training_seconds_per_fold"))
            timing = (
                f"{block['parse_ms_p50']} / {block['parse_ms_p95']} ({block['parse_cpu_ms_p95']})"
                if "parse_ms_p95" in block
                else ""
            )
            if "training_cpu_seconds" in block:
                seconds = f"{seconds} (CPU {block['training_cpu_seconds']})"
            lines.append(
                f"| {name} | {block['n']} | {block['accuracy']} | "
                f"{block['fallback_rate']} | {block['top1_ignoring_fallback']} | "
                f"{block['macro_f1']} | {seconds} | {timing} |"
            )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="config.yml pipeline on MASSIVE bn-BD")
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    parser.add_argument("--folds", type=int, default=0, help="k-fold CV on train (0 = off)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    from tools.nlu_eval import _quiet

    _quiet()
    if not source_file("train").exists():
        print(f"MASSIVE not found: {source_file('train')} (set SATHI_MASSIVE_DIR)", file=sys.stderr)
        return 2
    result = evaluate(Path(args.config), args.folds)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "massive.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out / "massive.md").write_text(markdown(result), encoding="utf-8")
    print(f"report: {out / 'massive.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
