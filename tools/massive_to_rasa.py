"""MASSIVE (Amazon, CC BY 4.0) jsonl -> Rasa 3.x NLU YAML, for evaluating the pipeline on data
nobody in the project wrote.

    python -m tools.massive_to_rasa                       # bn-BD train -> var/massive/train.yml
    python -m tools.massive_to_rasa --partition test      # needs bn-BD.test.jsonl next to it
    python -m tools.massive_to_rasa SRC.jsonl --out var/massive/x.yml

Input: one JSON object per line with `utt` (the text) and `intent` (MASSIVE's README). Output:
one `- intent:` block per intent, examples as plain text (intent classification only; the
slot annotations are not converted — the benchmark measured is intent accuracy). Characters
that Rasa's YAML reader would take for entity markup (`[]{}()`) are replaced by spaces, and an
exact duplicate text within one intent is written once.

The output goes under var/ only: MASSIVE has another licence and another domain than Sathi's
training data, and a file written into data/nlu/ would be trained into the assistant. The
tool refuses any output path inside data/.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASSIVE_DIR = ROOT.parent / "shared" / "data" / "massive"
DEFAULT_OUT = ROOT / "var" / "massive"
LOCALE = "bn-BD"
FORBIDDEN = ROOT / "data"
_MARKUP = re.compile(r"[\[\]{}()]")
_INTENT_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def massive_dir() -> Path:
    """Where the MASSIVE files are (SATHI_MASSIVE_DIR overrides the shared location)."""
    from sathi.settings import settings

    return Path(settings().massive_dir or MASSIVE_DIR)


def source_file(partition: str, directory: Path | None = None) -> Path:
    return (directory or massive_dir()) / f"{LOCALE}.{partition}.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    """[{"text", "intent"}] of a MASSIVE jsonl file (lines that are not examples are skipped)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        record = json.loads(line)
        text = " ".join(_MARKUP.sub(" ", str(record.get("utt") or "")).split())
        intent = str(record.get("intent") or "").strip()
        if text and intent and _INTENT_NAME.match(intent):
            rows.append({"text": text, "intent": intent})
    return rows


def to_rasa_yaml(rows: list[dict]) -> str:
    by_intent: dict[str, list[str]] = collections.OrderedDict()
    for row in rows:
        examples = by_intent.setdefault(row["intent"], [])
        if row["text"] not in examples:
            examples.append(row["text"])
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in by_intent[intent]]
    return "\n".join(lines) + "\n"


def check_destination(out: Path) -> Path:
    out = Path(out).resolve()
    if out == FORBIDDEN.resolve() or FORBIDDEN.resolve() in out.parents:
        raise ValueError(
            f"refusing to write MASSIVE data into {FORBIDDEN}: other licence and "
            "domain; it would be trained into the assistant (write under var/)"
        )
    return out


def convert(source: Path, out: Path) -> tuple[Path, int, int]:
    """Write `source` as Rasa NLU YAML to `out`; (path, examples, intents)."""
    out = check_destination(out)
    rows = read_jsonl(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_rasa_yaml(rows), encoding="utf-8")
    return out, len(rows), len({r["intent"] for r in rows})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        help="a MASSIVE jsonl file (default: bn-BD of "
        "the chosen partition in SATHI_MASSIVE_DIR or ../shared/data/massive)",
    )
    parser.add_argument("--partition", default="train", choices=("train", "dev", "test"))
    parser.add_argument("--out", help="output .yml (default var/massive/<partition>.yml)")
    args = parser.parse_args(argv)
    source = Path(args.source) if args.source else source_file(args.partition)
    if not source.exists():
        print(f"no such file: {source}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else DEFAULT_OUT / f"{args.partition}.yml"
    try:
        path, n, intents = convert(source, out)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{path}: {n} examples, {intents} intents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
