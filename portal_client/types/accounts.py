"""Panchayat accounts for officials: a GP's monthly Form 26, a block's cash analysis."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from portal_client.types.fields import Number, as_number, as_text

READY_ACCOUNT_STATUSES = ("closed",)


@dataclass(frozen=True)
class Form26Status:
    """A GP's monthly receipts and payments; status: closed / not_closed."""

    gp_code: str
    month: str
    status: str
    opening_balance: Optional[Number]
    receipts: Optional[Number]
    payments: Optional[Number]
    closing_balance: Optional[Number]

    @property
    def is_ready(self) -> bool:
        return self.status in READY_ACCOUNT_STATUSES

    @classmethod
    def from_json(cls, d: dict) -> "Form26Status":
        return cls(str(d["gp_code"]), str(d["month"]), str(d["status"]),
                   as_number(d.get("opening_balance")), as_number(d.get("receipts")),
                   as_number(d.get("payments")), as_number(d.get("closing_balance")))


@dataclass(frozen=True)
class CashFund:
    """One fund of a block's cash analysis: `{"fund","scheme","head","balance"}`."""

    fund: str
    scheme: Optional[str] = None
    head: Optional[str] = None
    balance: Optional[Number] = None

    @classmethod
    def from_json(cls, d: dict) -> "CashFund":
        return cls(str(d.get("fund", d.get("name"))), as_text(d.get("scheme")),
                   as_text(d.get("head")), as_number(d.get("balance")))


@dataclass(frozen=True)
class CashAnalysisStatus:
    """A panchayat samiti's monthly cash analysis (`ps_code` = NREGA block code)."""

    ps_code: str
    month: str
    status: str
    cash_book_balance: Optional[Number]
    funds: Tuple[CashFund, ...] = ()

    @property
    def is_ready(self) -> bool:
        return self.status in READY_ACCOUNT_STATUSES

    @classmethod
    def from_json(cls, d: dict) -> "CashAnalysisStatus":
        funds = tuple(CashFund.from_json(f) for f in (d.get("funds") or ()) if isinstance(f, dict))
        return cls(str(d["ps_code"]), str(d["month"]), str(d["status"]),
                   as_number(d.get("cash_book_balance")), funds)
