"""PatternEntityExtractor with the generated regexes / lookups (data/nlu/lookups)."""

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sathi.text import normalize
from sathi_nlu.patterns import PatternEntityExtractor
from tools import make_lookups

ROOT = Path(__file__).parents[2]


class _Storage:
    """Minimal ModelStorage stand-in for a train/extract round trip."""

    from contextlib import contextmanager

    def __init__(self, tmp):
        self.tmp = tmp

    @contextmanager
    def write_to(self, resource):
        yield self.tmp

    @contextmanager
    def read_from(self, resource):
        yield self.tmp


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    files = sorted((ROOT / "data" / "nlu").rglob("*.yml"))
    data = TrainingData().merge(*[load_data(str(p)) for p in files])
    storage = _Storage(tmp_path_factory.mktemp("patterns"))
    component = PatternEntityExtractor({}, storage, None)
    component.train(data)
    return PatternEntityExtractor.load({}, storage, None, None)


def _entities(extractor, text):
    message = Message(data={"text": normalize(text)})
    extractor.process([message])
    return [(e["entity"], e["value"]) for e in message.get("entities", [])]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("job card WB-08-012-002-002/270", ("job_card", "WB-08-012-002-002/270")),
        ("wb 08 012 002 002 270 kaj koto", ("job_card", "wb 08 012 002 002 270")),
        ("আমার কার্ড WB-৩২০১০০৯০০৯-৫-১২৩", ("job_card", "WB-3201009009-5-123")),
        ("TN-2026-004512 er khobor", ("trade_noc_no", "TN-2026-004512")),
        ("tnc 2025 1200", ("trade_noc_no", "tnc 2025 1200")),
        ("plan BP-2026-000731", ("building_plan_no", "BP-2026-000731")),
        ("ptb2026000077", ("booking_no", "ptb2026000077")),
        ("id WBP-1002345", ("employee_id", "WBP-1002345")),
        ("mobile +91 98300 12345", ("mobile", "+91 98300 12345")),
        ("২০২৩-২৪ এর টা", ("fin_year", "2023-24")),
        ("FY 24", ("fin_year", "FY 24")),
        ("১০/২০২৪", ("month", "10/2024")),
        ("অক্টোবর মাসের", ("month", "অক্টোবর")),
        ("gato maser slip", ("month", "gato maser")),
        ("৫ দিন কাজ", ("days", "5 দিন")),
        ("ek soptaho", ("days", "ek soptaho")),
        ("kal theke", ("start_date", "kal theke")),
        ("১ তারিখ থেকে", ("start_date", "1 তারিখ থেকে")),
        ("from 1st December", ("start_date", "from 1st December")),
        ("জেলা বাঁকুড়ার কাজ", ("district", "বাঁকুড়া")),
        ("Kalna 1 block", ("ps_name", "Kalna 1")),
        ("ingreji te bolun", ("language", "ingreji")),
    ],
)
def test_shapes(extractor, text, expected):
    assert (expected[0], normalize(expected[1])) in _entities(extractor, text)


@pytest.mark.parametrize(
    "text",
    [
        "আমাকে আর কোনো মেসেজ পাঠাবেন না",
        "may I get my payslip",
        "919800000001",
        "kaj chai",
        "form 26 chai",
    ],
)
def test_no_false_shapes(extractor, text):
    found = _entities(extractor, text)
    assert not [e for e in found if e[0] in ("month", "job_card", "start_date")], found


def test_job_card_beats_mobile_inside_it(extractor):
    assert _entities(extractor, "WB-08-012-002-002/270") == [("job_card", "WB-08-012-002-002/270")]


def test_generated_lookups_are_up_to_date():
    assert make_lookups.main(["--check"]) == 0
