"""The pipeline of config.yml trains on any Rasa NLU data — no intent or entity names are wired
into its components: a small foreign dataset (other intents, no entities, no lookups, no
regexes) trains and predicts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FOREIGN_NLU = """version: "3.1"
nlu:
- intent: ask_weather
  examples: |
    - আজ আবহাওয়া কেমন
    - বৃষ্টি হবে কি
    - what is the weather today
    - will it rain
    - aaj brishti hobe
    - weather kemon
- intent: ask_train
  examples: |
    - পরের ট্রেন কখন
    - হাওড়া যাওয়ার ট্রেন
    - next train to howrah
    - train kokhon ache
    - when is the local train
    - ট্রেনের সময়
"""


def test_config_pipeline_trains_on_foreign_data(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "nlu.yml").write_text(FOREIGN_NLU, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    rasa = str(Path(sys.executable).parent / "rasa")
    trained = subprocess.run(
        [
            rasa,
            "train",
            "nlu",
            "--config",
            str(ROOT / "config.yml"),
            "--nlu",
            str(data),
            "--out",
            str(tmp_path / "models"),
            "--fixed-model-name",
            "foreign",
            "--quiet",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    probe = (
        "import asyncio, json\n"
        "from rasa.core.agent import Agent\n"
        f"agent = Agent.load({str(tmp_path / 'models' / 'foreign.tar.gz')!r})\n"
        "print(json.dumps(asyncio.run(agent.parse_message('আজ কি বৃষ্টি হবে'))['intent']))\n"
    )
    parsed = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert parsed.returncode == 0, parsed.stderr[-2000:]
    assert '"ask_weather"' in parsed.stdout.strip().splitlines()[-1]
