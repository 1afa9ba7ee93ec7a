"""What the portal says about a document's verification code (nothing personal)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal_client.types.fields import FromJson, as_text, from_json


@dataclass(frozen=True)
class DocumentVerification(FromJson):
    """A code the department issued. `status`: valid / withdrawn / superseded; `kind`: the
    service (trade_noc, payslip, ...); `changed_on`: when withdrawn or superseded."""

    code: str
    display: str
    kind: str
    issuing_office_en: str | None
    issuing_office_bn: str | None
    issued_on: date | None
    status: str
    changed_on: date | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], **given: Any) -> DocumentVerification:
        code = str(data["code"])
        return from_json(
            cls,
            data,
            display=as_text(data.get("display")) or code,
            status=str(data.get("status") or "valid"),
        )

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"
