"""What the portal says about a document's verification code (nothing personal)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from portal_client.types.fields import as_text, parse_date


@dataclass(frozen=True)
class DocumentVerification:
    """A code the department issued. `status`: valid / withdrawn / superseded; `kind`: the
    service (trade_noc, payslip, ...); `changed_on`: when withdrawn or superseded."""

    code: str
    display: str
    kind: str
    issuing_office_en: Optional[str]
    issuing_office_bn: Optional[str]
    issued_on: Optional[date]
    status: str
    changed_on: Optional[date] = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"

    @classmethod
    def from_json(cls, d: dict) -> "DocumentVerification":
        code = str(d["code"])
        return cls(code, as_text(d.get("display")) or code, str(d["kind"]),
                   as_text(d.get("issuing_office_en")), as_text(d.get("issuing_office_bn")),
                   parse_date(d.get("issued_on")), str(d.get("status") or "valid"),
                   parse_date(d.get("changed_on")))
