"""Trackers for the prediction-states tests: every story and rule of data/ and tests/stories as
a plain Rasa tracker's events, and the project's domain."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(scope="session")
def training_trackers(domain):
    from rasa.core.training import load_data

    return load_data(str(ROOT / "data"), domain, augmentation_factor=0)


@pytest.fixture(scope="session")
def story_event_lists(domain, training_trackers):
    """(name, events) of every story and rule of data/ and of tests/stories."""
    from rasa.core.training import load_data

    tests = load_data(str(ROOT / "tests" / "stories"), domain, augmentation_factor=0)
    lists = [
        (f"{'rule' if t.is_rule_tracker else 'story'}-{i}", list(t.events))
        for i, t in enumerate(training_trackers + tests)
    ]
    assert len(lists) > 50, "no stories found: is data/ still where it was?"
    return lists
