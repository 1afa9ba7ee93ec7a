"""NLU evaluation: held-out set per register, k-fold cross-validation, pipeline comparison.

    python -m tools.nlu_eval                       # tuned pipeline (config.yml): held-out + 5-fold CV
    python -m tools.nlu_eval --compare default     # also Rasa's default pipeline (DIET) on held-out
    python -m tools.nlu_eval --folds 0             # held-out only
    python -m tools.nlu_eval --pipeline eval/pipelines/x.yml   # evaluate another pipeline
                                                   # (held-out + CV) instead of config.yml
    python -m tools.nlu_eval --massive-folds 5     # also 5-fold CV on MASSIVE train (slow)
    python -m tools.nlu_eval --no-massive          # our data only

MASSIVE bn-BD (tools/nlu_eval_massive.py): the same config file, trained on MASSIVE train
(converted by tools/massive_to_rasa.py under var/massive/), scored on the held partition.

Training data: data/nlu/**.yml (register = file stem: bn, en, romanized, mixed).
Held-out data, never trained on, one model scores both sets:
  eval/heldout/<register>.yml       written by the author of the training data;
  eval/heldout_wild/<register>.yml  WhatsApp-style (short, typos, phonetic spellings, caps,
                                    code-mixing, relatives, mixed asks), written without
                                    looking at the training data.
  eval/heldout_noisy/<register>.yml round 4: noisy WhatsApp traffic (East Bengal forms,
                                    complaints with context, ids inside sentences, other
                                    schemes' money), never trained on.
  eval/heldout_fresh/<register>.yml, eval/heldout_fresh2/<register>.yml  round 14: two
                                    blind WhatsApp-style sets, each written in one pass by a
                                    writer who had seen neither data/nlu nor the other sets.
  eval/heldout_fresh3/<register>.yml round 15: a third such set (other imagined writers:
                                    North Bengal and Manbhum dialects, SMS spellings).
  eval/heldout_fresh4/<register>.yml round 16: a fourth (Murshidabad / Malda, Asansol,
                                    second-language writers, voice typing); blind.
Examples that equal a training example after normalization are dropped (the overlap is
reported per set).
Report: var/nlu-eval/report.json and var/nlu-eval/report.md.

Metrics: intent accuracy and macro-F1 (over the intents present in that split), the top
confusion pairs, entity precision/recall/F1 per entity (a predicted entity counts as correct
when type matches and its span overlaps the gold span), training time, and the accuracy and
coverage of the top intent at several fallback thresholds; they are computed, and report.md
written, by tools/nlu_eval_report.py.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import copy
import json
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.nlu_eval_report import markdown, score, top_intent  # noqa: E402

OUT = ROOT / "var" / "nlu-eval"
IDENTIFIERS = (
    "job_card",
    "trade_noc_no",
    "building_plan_no",
    "booking_no",
    "employee_id",
    "mobile",
)

DEFAULT_PIPELINE = [  # what `rasa init` writes for recipe default.v1 (DIET, 100 epochs)
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]


def _quiet() -> None:
    logging.disable(logging.WARNING)
    import warnings

    warnings.filterwarnings("ignore")
    try:
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    except Exception:  # pragma: no cover
        pass


def probe_messages():
    path = ROOT / "eval" / "fallback_probe.txt"
    if not path.exists():
        return []
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def load_examples(paths):
    """(text, intent, entities, register, source) for every intent example."""
    from rasa.shared.nlu.training_data.loading import load_data

    rows = []
    for path in paths:
        data = load_data(str(path))
        for message in data.intent_examples:
            rows.append(
                {
                    "text": message.get("text"),
                    "intent": message.get("intent"),
                    "entities": message.get("entities") or [],
                    "register": Path(path).stem,
                    "source": str(path.relative_to(ROOT)),
                }
            )
    return rows


def training_files():
    return sorted((ROOT / "data" / "nlu").rglob("*.yml"))


HELDOUT_SETS = (
    "heldout",
    "heldout_wild",
    "heldout_noisy",
    "heldout_fresh",
    "heldout_fresh2",
    "heldout_fresh3",
    "heldout_fresh4",
)


def heldout_files(name: str = "heldout"):
    return sorted((ROOT / "eval" / name).glob("*.yml"))


def _key(text: str) -> str:
    from sathi.text import normalize

    return normalize(text).lower()


def pipeline_of(name: str):
    import yaml

    if name == "tuned":
        return yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    if name == "default":
        return DEFAULT_PIPELINE
    path = Path(name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))["pipeline"]


def write_config(pipeline, directory: Path) -> Path:
    import yaml

    path = directory / "config.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "recipe": "default.v1",
                "language": "bn",
                "assistant_id": "nlu-eval",
                "pipeline": pipeline,
                "policies": [],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return path


def write_training_data(rows, directory: Path) -> Path:
    """Training examples `rows` plus every regex / lookup / synonym of data/nlu."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    full = TrainingData().merge(*[load_data(str(p)) for p in training_files()])
    messages = []
    for row in rows:
        data = {"text": row["text"], "intent": row["intent"]}
        if row["entities"]:
            data["entities"] = copy.deepcopy(row["entities"])
        messages.append(Message(data=data))
    subset = TrainingData(
        training_examples=messages,
        entity_synonyms=full.entity_synonyms,
        regex_features=full.regex_features,
        lookup_tables=full.lookup_tables,
    )
    path = directory / "nlu.yml"
    RasaYAMLWriter().dump(str(path), subset)
    return path


def train(pipeline, rows, directory: Path) -> tuple[str, float]:
    from rasa.model_training import train_nlu

    config = write_config(pipeline, directory)
    data = write_training_data(rows, directory)
    start = time.perf_counter()
    model = train_nlu(
        str(config), str(data), str(directory / "models"), fixed_model_name="nlu-eval"
    )
    return model, time.perf_counter() - start


def predict(model_path: str, rows):
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)

    async def run():
        out = []
        for row in rows:
            out.append(await agent.parse_message(row["text"]))
        return out

    return asyncio.run(run())


def heldout(train_rows, test_sets, pipeline, work: Path):
    """Train once on all training data; score every held-out set ({name: rows})."""
    work.mkdir(parents=True, exist_ok=True)
    model, seconds = train(pipeline, train_rows, work)
    probes = probe_messages()
    names = [n for n in test_sets if test_sets[n]]
    everything = [row for n in names for row in test_sets[n]]
    parsed = predict(model, everything + [{"text": t} for t in probes])
    confidences = [top_intent(p)[1] for p in parsed[len(everything) :]]
    reports, position = {}, 0
    for name in names:
        rows = test_sets[name]
        report = score(rows, parsed[position : position + len(rows)])
        position += len(rows)
        report["training_seconds"] = round(seconds, 1)
        for t, block in report["fallback_thresholds"].items():
            block["noise_caught"] = (
                round(sum(c < float(t) for c in confidences) / len(confidences), 4)
                if confidences
                else None
            )
        reports[name] = report
    return reports


def cross_validate(rows, pipeline, folds: int, work: Path, seed: int = 42):
    by_intent = collections.defaultdict(list)
    for row in rows:
        by_intent[row["intent"]].append(row)
    assignment = {}
    rng = random.Random(seed)
    for items in by_intent.values():
        order = list(range(len(items)))
        rng.shuffle(order)
        for position, index in enumerate(order):
            assignment[id(items[index])] = position % folds
    all_rows, all_parsed, seconds = [], [], []
    for fold in range(folds):
        test = [r for r in rows if assignment[id(r)] == fold]
        train_rows = [r for r in rows if assignment[id(r)] != fold]
        directory = work / f"fold{fold}"
        directory.mkdir(parents=True, exist_ok=True)
        model, took = train(pipeline, train_rows, directory)
        seconds.append(took)
        all_rows += test
        all_parsed += predict(model, test)
    report = score(all_rows, all_parsed)
    report["training_seconds_per_fold"] = round(sum(seconds) / len(seconds), 1)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Sathi NLU evaluation")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--compare",
        nargs="*",
        default=[],
        help="more pipelines: 'default' (Rasa DIET) or a config file path",
    )
    parser.add_argument(
        "--pipeline",
        default="tuned",
        help="the main pipeline (held-out + CV): 'tuned' (config.yml) or a config file path",
    )
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument(
        "--no-massive", action="store_true", help="skip the MASSIVE bn-BD benchmark"
    )
    parser.add_argument(
        "--massive-folds",
        type=int,
        default=0,
        help="k-fold CV of the pipeline on MASSIVE train (0 = off; ~5x the training time)",
    )
    args = parser.parse_args(argv)
    _quiet()
    train_rows = load_examples(training_files())
    train_keys = {_key(r["text"]) for r in train_rows}
    result = {"n_train": len(train_rows), "pipelines": {}}
    test_sets = {}
    for set_name in HELDOUT_SETS:
        rows = load_examples(heldout_files(set_name))
        test_sets[set_name] = [r for r in rows if _key(r["text"]) not in train_keys]
        result["n_" + set_name] = len(test_sets[set_name])
        result[set_name + "_overlap"] = len(rows) - len(test_sets[set_name])
        result[set_name + "_overlap_texts"] = [
            r["text"] for r in rows if _key(r["text"]) in train_keys
        ]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nlu-eval-") as tmp:
        for name in [args.pipeline, *args.compare]:
            work = Path(tmp) / Path(name).stem
            work.mkdir(parents=True)
            pipeline = pipeline_of(name)
            block = {
                "pipeline": pipeline,
                **heldout(train_rows, test_sets, pipeline, work / "heldout"),
            }
            if name == args.pipeline and args.folds > 1:
                block["cross_validation"] = cross_validate(
                    train_rows, pipeline, args.folds, work / "cv"
                )
            result["pipelines"][Path(name).stem] = block
            for split in (*HELDOUT_SETS, "cross_validation"):
                if block.get(split):
                    rep = block[split]
                    print(
                        f"{name} {split}: {rep['overall']} per register "
                        f"{ {k: v['macro_f1'] for k, v in rep['per_register'].items() if v} }"
                        f" train {rep.get('training_seconds', rep.get('training_seconds_per_fold'))} s",
                        flush=True,
                    )
    text = markdown(result, HELDOUT_SETS)
    if not args.no_massive:
        from tools import nlu_eval_massive

        if nlu_eval_massive.source_file("train").exists():
            config = ROOT / "config.yml" if args.pipeline == "tuned" else Path(args.pipeline)
            result["massive"] = nlu_eval_massive.evaluate(config, args.massive_folds)
            text += "\n" + nlu_eval_massive.markdown(result["massive"])
        else:
            print(f"MASSIVE not found ({nlu_eval_massive.source_file('train')}): skipped")
    (out / "report.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out / "report.md").write_text(text, encoding="utf-8")
    print(f"report: {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
