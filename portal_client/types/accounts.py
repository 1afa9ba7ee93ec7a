"""Panchayat accounts for officials: a GP's monthly Form 26, a block's cash analysis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal_client.types.fields import FromJson, Number, json_field

READY_ACCOUNT_STATUSES = ("closed",)


@dataclass(frozen=True)
class Form26Status(FromJson):
    """A GP's monthly receipts and payments; status: closed / not_closed."""

    gp_code: str
    month: str
    status: str
    opening_balance: Number | None
    receipts: Number | None
    payments: Number | None
    closing_balance: Number | None

    @property
    def is_ready(self) -> bool:
        return self.status in READY_ACCOUNT_STATUSES


@dataclass(frozen=True)
class CashFund(FromJson):
    """One fund of a block's cash analysis: `{"fund","scheme","head","balance"}`."""

    fund: str = json_field("fund", "name", parse=str)
    scheme: str | None = None
    head: str | None = None
    balance: Number | None = None


def _funds(values: Any) -> tuple[CashFund, ...]:
    """The funds that are JSON objects (anything else in the list is left out)."""
    return tuple(CashFund.from_json(f) for f in (values or ()) if isinstance(f, dict))


@dataclass(frozen=True)
class CashAnalysisStatus(FromJson):
    """A panchayat samiti's monthly cash analysis (`ps_code` = NREGA block code)."""

    ps_code: str
    month: str
    status: str
    cash_book_balance: Number | None
    funds: tuple[CashFund, ...] = json_field(parse=_funds, default=())

    @property
    def is_ready(self) -> bool:
        return self.status in READY_ACCOUNT_STATUSES
