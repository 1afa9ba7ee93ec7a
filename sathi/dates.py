"""Loose month, financial-year, start-date and day-count parsing for user text.

Pure Python (no Rasa). Every parser takes raw user text in Bengali script, English,
romanized Bengali or a mix (Bengali digits allowed) plus `today`, and returns a canonical
value or None. They never raise.

- parse_month("অক্টোবর", today)          -> "2026-10"  (month alone = latest not in the future)
- parse_financial_year("২০২৩-২৪", today)  -> FinancialYear(2023)
- parse_start_date("kal theke", today)    -> today + 1 day
- parse_days("ek soptaho")                -> 7

The vocabularies they read (month words, phrases, number spellings...) are in
sathi/date_words.py, which tools/make_lookups.py also uses to build the NLU regexes.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, timedelta

from sathi.clock import FinancialYear
from sathi.date_words import (
    AMBIGUOUS_MONTH_WORDS,
    DAY_AFTER_WORDS,
    DAY_WORDS,
    LAST_MONTH_PHRASES,
    LAST_YEAR_PHRASES,
    MONTH_WORDS,
    NEXT_MONTH_PHRASES,
    NEXT_WEEK_PHRASES,
    NUMBER_WORDS,
    THIS_MONTH_PHRASES,
    THIS_YEAR_PHRASES,
    TODAY_WORDS,
    TOMORROW_WORDS,
    WEEK_WORDS,
    WEEKDAY_WORDS,
)
from sathi.text import normalize

_WORD_RE = re.compile(r"[a-z\u0980-\u09ff]+|\d+")
_MAX_TEXT = 300


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return normalize(text[:_MAX_TEXT]).lower()


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _has_phrase(text: str, phrases: Iterable[str]) -> bool:
    for phrase in phrases:
        pattern = r"(?<![a-z\u0980-\u09ff])" + re.escape(phrase)
        if re.search(pattern, text):
            return True
    return False


_BN_SUFFIXES = ("", "ের", "এর", "র", "ে", "এ", "তে", "মাস", "মাসের")
_LATIN_SUFFIXES = ("", "er", "r", "e", "'s")


def _month_of_token(token: str) -> int | None:
    if token in MONTH_WORDS:
        return MONTH_WORDS[token]
    suffixes = _LATIN_SUFFIXES if token.isascii() else _BN_SUFFIXES
    for suffix in suffixes:
        if suffix and token.endswith(suffix) and token[: -len(suffix)] in MONTH_WORDS:
            stem = token[: -len(suffix)]
            if len(stem) >= 3:
                return MONTH_WORDS[stem]
    return None


def _year_value(token: str) -> int | None:
    if not token.isdigit():
        return None
    if len(token) == 4 and 1990 <= int(token) <= 2099:
        return int(token)
    if len(token) == 2:
        return 2000 + int(token)
    return None


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(day: date, delta: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + delta
    return index // 12, index % 12 + 1


# ----------------------------------------------------------------------------- months
def parse_month(text: object, today: date) -> str | None:
    """A salary / report month `YYYY-MM` from loose text, or None."""
    try:
        return _parse_month(_clean(text), today)
    except Exception:  # never raise on user text
        return None


def _parse_month(text: str, today: date) -> str | None:
    if not text:
        return None
    if _has_phrase(text, LAST_MONTH_PHRASES):
        return _month_key(*_shift_month(today, -1))
    if _has_phrase(text, THIS_MONTH_PHRASES):
        return _month_key(today.year, today.month)
    if _has_phrase(text, NEXT_MONTH_PHRASES):
        return _month_key(*_shift_month(today, 1))
    # numeric: 2024-10, 2024/10, 202410, 10/2024, 10-2024
    match = re.search(r"(?<!\d)(20\d\d)[-/. ](\d{1,2})(?![\d/-])", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return _month_key(int(match.group(1)), int(match.group(2)))
    match = re.search(r"(?<![\d/-])(\d{1,2})[-/. ](20\d\d)(?!\d)", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return _month_key(int(match.group(2)), int(match.group(1)))
    match = re.search(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(?!\d)", text)
    if match:
        return _month_key(int(match.group(1)), int(match.group(2)))
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        month = _month_of_token(token)
        if month is None:
            continue
        year = None
        for neighbour in tokens[index + 1 : index + 3]:
            year = _year_value(neighbour.lstrip("'"))
            if year is not None:
                break
            if neighbour not in ("of", "er", "sal", "saler", "সাল", "সালের", "এর"):
                break
        if year is None and index > 0:
            previous = tokens[index - 1]
            if previous.isdigit() and len(previous) == 4:
                year = _year_value(previous)
        if token in AMBIGUOUS_MONTH_WORDS and year is None and len(tokens) > 3:
            continue
        if year is None:
            year = today.year if month <= today.month else today.year - 1
        return _month_key(year, month)
    return None


# ----------------------------------------------------------------------- financial year
def parse_financial_year(text: object, today: date) -> FinancialYear | None:
    """An April-March financial year from loose text, or None."""
    try:
        return _parse_financial_year(_clean(text), today)
    except Exception:
        return None


def _parse_financial_year(text: str, today: date) -> FinancialYear | None:
    if not text:
        return None
    current = FinancialYear.containing(today)
    # 2023-24, 2023-2024, 2023/24, 2023 - 24, 23-24
    match = re.search(r"(?<!\d)((?:19|20)?\d\d)\s*[-/–]\s*((?:19|20)?\d\d)(?![\d/-])", text)
    if match:
        first, second = match.group(1), match.group(2)
        start = int(first) if len(first) == 4 else 2000 + int(first)
        if len(second) == 4:
            follows = int(second) == start + 1  # 2023-2024, 1999-2000
        elif len(first) == 4:
            follows = (start + 1) % 100 == int(second)  # 2023-24, 1999-00
        else:
            follows = int(second) == int(first) + 1  # 23-24 (this century)
        if follows and 1990 <= start <= 2099:
            return FinancialYear(start)
    # FY 24, FY2024, fy-25: the year the financial year ends in (Indian usage)
    match = re.search(r"(?<![a-z])fy\s*[-']?\s*((?:20)?\d\d)(?!\d)", text)
    if match:
        value = match.group(1)
        end = int(value) if len(value) == 4 else 2000 + int(value)
        return FinancialYear(end - 1)
    if _has_phrase(text, LAST_YEAR_PHRASES):
        return FinancialYear(current.start_year - 1)
    if _has_phrase(text, THIS_YEAR_PHRASES):
        return current
    return None


# --------------------------------------------------------------------------- start date
def parse_start_date(text: object, today: date) -> date | None:
    """The day work should start from ("kal theke", "from 1st December", "৫/১২"), or None."""
    try:
        return _parse_start_date(_clean(text), today)
    except Exception:
        return None


def _next_day_of_month(day_of_month: int, today: date) -> date | None:
    if not 1 <= day_of_month <= 31:
        return None
    year, month = today.year, today.month
    if day_of_month <= today.day:
        year, month = _shift_month(today, 1)
    for _ in range(3):
        if day_of_month <= calendar.monthrange(year, month)[1]:
            return date(year, month, day_of_month)
        year, month = _shift_month(date(year, month, 1), 1)
    return None


def _next_date(day_of_month: int, month: int, today: date, year: int | None = None) -> date | None:
    if not (1 <= month <= 12 and 1 <= day_of_month <= 31):
        return None
    if year is not None:
        if day_of_month > calendar.monthrange(year, month)[1]:
            return None
        return date(year, month, day_of_month)
    for candidate_year in (today.year, today.year + 1):
        if day_of_month <= calendar.monthrange(candidate_year, month)[1]:
            candidate = date(candidate_year, month, day_of_month)
            if candidate >= today:
                return candidate
    return None


def _parse_start_date(text: str, today: date) -> date | None:
    if not text:
        return None
    # numeric dates, day first: 05-12-2026, 5/12/26, 5/12 ; ISO 2026-12-05
    match = re.search(r"(?<!\d)(20\d\d)-(\d{1,2})-(\d{1,2})(?!\d)", text)
    if match:
        return _next_date(int(match.group(3)), int(match.group(2)), today, int(match.group(1)))
    match = re.search(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d/-])", text)
    if match:
        year = match.group(3)
        year_value = None if year is None else (int(year) if len(year) == 4 else 2000 + int(year))
        found = _next_date(int(match.group(1)), int(match.group(2)), today, year_value)
        if found:
            return found
    if _has_phrase(text, ("day after tomorrow",)) or any(
        t in DAY_AFTER_WORDS for t in _tokens(text)
    ):
        return today + timedelta(days=2)
    if _has_phrase(text, NEXT_WEEK_PHRASES):
        return today + timedelta(days=7 - today.weekday())
    tokens = _tokens(text)
    # day + month name: "1st December", "december 1", "১ ডিসেম্বর", "ডিসেম্বরের ১ তারিখ"
    for index, token in enumerate(tokens):
        month = _month_of_token(token)
        if month is None or (token in AMBIGUOUS_MONTH_WORDS and len(tokens) > 4):
            continue
        for neighbour in tokens[max(0, index - 2) : index] + tokens[index + 1 : index + 3]:
            day_match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", neighbour)
            if day_match:
                found = _next_date(int(day_match.group(1)), month, today)
                if found:
                    return found
    # "1 tarikh theke", "from the 15th", "১ তারিখ থেকে"
    match = re.search(
        r"(?<!\d)(\d{1,2})\s*(?:st|nd|rd|th|tarikh|tarik|taarikh|tarikhe|তারিখ|তারিখে|তারিখের)"
        r"(?![a-z])",
        text,
    )
    if match:
        return _next_day_of_month(int(match.group(1)), today)
    match = re.search(r"(?:from|starting)\s+(?:the\s+)?(\d{1,2})(?!\d)(?!\s*(?:din|day|দিন))", text)
    if match is None:
        match = re.search(r"(?<!\d)(\d{1,2})\s+(?:theke|থেকে)", text)
    if match:
        return _next_day_of_month(int(match.group(1)), today)
    for token in tokens:
        if token in WEEKDAY_WORDS and not (token == "sat" and "din" in tokens):
            delta = (WEEKDAY_WORDS[token] - today.weekday()) % 7 or 7
            return today + timedelta(days=delta)
    if any(t in TOMORROW_WORDS for t in tokens):
        return today + timedelta(days=1)
    if any(t in TODAY_WORDS for t in tokens) or _has_phrase(
        text, ("right now", "ekhon theke", "এখন থেকে")
    ):
        return today
    return None


# -------------------------------------------------------------------------------- days
def parse_days(text: object) -> int | None:
    """How many days of work are asked for ("৫ দিন", "ek soptaho", "ten days"), or None."""
    try:
        return _parse_days(_clean(text))
    except Exception:
        return None


def _number_of(token: str) -> int | None:
    if token.isdigit() and len(token) <= 3:
        return int(token)
    return NUMBER_WORDS.get(token)


def _parse_days(text: str) -> int | None:
    if not text:
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    # "5din", "10days", "৫দিন"
    expanded: list[str] = []
    for token in tokens:
        split = re.fullmatch(r"(\d{1,3})([a-z\u0980-\u09ff]+)", token)
        if split and split.group(2) in DAY_WORDS + WEEK_WORDS:
            expanded.extend([split.group(1), split.group(2)])
        else:
            expanded.append(token)
    tokens = expanded
    for index, token in enumerate(tokens):
        if token in WEEK_WORDS or token.rstrip("s") in WEEK_WORDS:
            count = _number_of(tokens[index - 1]) if index > 0 else None
            if count is None and index > 1 and tokens[index - 1] in ("a", "ek"):
                count = 1
            return 7 * (count or 1)
    for index, token in enumerate(tokens):
        if token in DAY_WORDS and index > 0:
            count = _number_of(tokens[index - 1])
            if count is not None:
                return count
    # a bare number ("10", "দশ") as the whole answer
    meaningful = [t for t in tokens if t not in ("ta", "ti", "to", "টা", "টি", "please", "plz")]
    if len(meaningful) == 1:
        value = _number_of(meaningful[0])
        if value is not None and meaningful[0] not in ("a", "an"):
            return value
    return None
