"""The one clock of the project.

Everything that says "today", "last month" or "this financial year" asks `now()`.
`SATHI_CLOCK` (ISO date or datetime, e.g. `2026-11-28` or `2026-11-28T10:30:00`) freezes the
date for tests and demos; the time of day then still advances from that point, so timestamps
stay ordered.  All dates are Asia/Kolkata; the financial year runs April-March.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")
_PROCESS_START = time.monotonic()


def _frozen_start() -> datetime | None:
    from sathi.settings import settings  # late: settings imports nothing of sathi

    raw = settings().clock
    return _parsed_clock(raw) if raw else None


@functools.lru_cache(maxsize=8)
def _parsed_clock(raw: str) -> datetime:
    """SATHI_CLOCK as a moment in IST (parsed once per value: `now()` runs many times a turn)."""
    parsed = datetime.fromisoformat(raw)
    if parsed.tzinfo is None:
        if len(raw) <= 10:  # a bare date: start the day at 10:00 so "today" is unambiguous
            parsed = parsed.replace(hour=10)
        parsed = parsed.replace(tzinfo=IST)
    return parsed.astimezone(IST)


def now() -> datetime:
    """Current time in Asia/Kolkata (frozen start + elapsed time when SATHI_CLOCK is set)."""
    start = _frozen_start()
    if start is None:
        return datetime.now(IST)
    return start + timedelta(seconds=time.monotonic() - _PROCESS_START)


def today() -> date:
    return now().date()


@dataclass(frozen=True, order=True)
class FinancialYear:
    """April-March financial year, named by its first calendar year (2024 -> "2024-25")."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls) -> FinancialYear:
        return cls.containing(today())

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Parse the canonical label `2024-25` (see sathi.dates for loose user input)."""
        first, _, second = label.partition("-")
        start = int(first)
        if not second or (start + 1) % 100 != int(second) % 100:
            raise ValueError(f"not a financial year: {label!r}")
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def months(self) -> list[str]:
        """The twelve salary months `YYYY-MM`, April to March."""
        out = []
        for i in range(12):
            month = 4 + i
            year = self.start_year + (month - 1) // 12
            out.append(f"{year}-{(month - 1) % 12 + 1:02d}")
        return out

    def __str__(self) -> str:
        return self.label


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def previous_month(day: date) -> str:
    first = day.replace(day=1) - timedelta(days=1)
    return month_key(first)
