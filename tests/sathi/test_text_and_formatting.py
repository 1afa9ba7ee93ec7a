from datetime import date

import pytest

from sathi import clock
from sathi.formatting import day, group_indian, money, month, number
from sathi.text import normalize


def test_normalize_folds_encodings_digits_and_invisible_characters():
    decomposed = "\u09af\u09bc"  # য + nukta
    assert normalize(f"কা{decomposed}দা") == "কা\u09dfদা"
    assert normalize("জব\u200cকার্ড\u200d ১২৩।") == "জবকার্ড 123."
    assert normalize("a\x00b\x07c") == "a b c"
    assert normalize("  many   spaces\n\n") == "many spaces"
    assert normalize("") == ""


def test_normalize_is_idempotent():
    text = "আমার জব কার্ড ৩২০১০০৯০০৯ \u200d।"
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    "n,grouped",
    [(0, "0"), (999, "999"), (1000, "1,000"), (123456, "1,23,456"), (12345678, "1,23,45,678")],
)
def test_indian_grouping(n, grouped):
    assert group_indian(n) == grouped


def test_bilingual_numbers_and_money():
    assert money(123456, "bn") == "₹১,২৩,৪৫৬"
    assert money(123456, "en") == "₹1,23,456"
    assert money(10.5, "en") == "₹10.50"
    assert number(43, "bn") == "৪৩"
    assert day(date(2026, 11, 28), "bn") == "২৮ নভেম্বর ২০২৬"
    assert month("2026-10", "en") == "October 2026"


def test_clock_can_be_frozen(monkeypatch):
    monkeypatch.setenv("SATHI_CLOCK", "2025-02-10")
    assert clock.today() == date(2025, 2, 10)
    assert clock.FinancialYear.current().label == "2024-25"
    assert clock.now().utcoffset().total_seconds() == 5.5 * 3600


def test_financial_year():
    fy = clock.FinancialYear.parse("2023-24")
    assert fy.first_day == date(2023, 4, 1) and fy.last_day == date(2024, 3, 31)
    assert fy.months()[0] == "2023-04" and fy.months()[-1] == "2024-03"
    assert clock.FinancialYear.containing(date(2024, 3, 31)).label == "2023-24"
    with pytest.raises(ValueError):
        clock.FinancialYear.parse("2023-25")
    assert clock.previous_month(date(2026, 1, 15)) == "2025-12"
