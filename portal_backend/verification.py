"""Verification codes of issued documents (`GET /verifications/{code}`).

Every PDF route calls `issue(...)` before rendering: the document's kind, its record, the
issuing office (both languages), the date of issue and a digest of the data printed. The same
data issued again keeps its code (one document, one code, however often it is downloaded);
changed data gets a new code and the older codes of that record become `superseded`. A record
withdrawn at the source (a cancelled booking, a Trade NOC no longer approved) answers
`withdrawn`. The code is random (50 bits), so it cannot be guessed from the record.

Codes are 10 characters of Crockford's base32 (no I, L, O, U), shown as `ABCDE-FGHJK`;
`normalize_code` accepts lower case, spaces, hyphens, and O/I/L typed for 0/1.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import date
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal_backend.models import (
    Booking,
    District,
    GramPanchayat,
    IssuedDocument,
    PanchayatSamiti,
    TradeNoc,
)
from sathi import clock
from sathi.settings import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
DEFAULT_SATHI_NUMBER = "919147000000"  # reference value; SATHI_VERIFY_WHATSAPP_NUMBER


def sathi_whatsapp_number() -> str:
    return re.sub(r"\D", "", settings().verify_whatsapp_number) or DEFAULT_SATHI_NUMBER


def new_code() -> str:
    """Random, with at least one digit and one letter: so neither a word nor a number (a
    phone, a GP code) in a chat message is ever taken for a code."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if any(c.isdigit() for c in code) and any(c.isalpha() for c in code):
            return code


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def normalize_code(raw: str | None) -> str | None:
    """`abcde fghjk` / `ABCDE-FGHJK` -> `ABCDEFGHJK`; None unless 10 code characters."""
    text = re.sub(r"[\s\-–]", "", str(raw or "")).upper().translate(_FOLD)
    return text if len(text) == CODE_LENGTH and all(c in ALPHABET for c in text) else None


def verify_link(code: str) -> str:
    """The QR code's target: a WhatsApp chat with Sathi, the text "verify CODE" typed in."""
    return f"https://wa.me/{sathi_whatsapp_number()}?text={quote('verify ' + display(code))}"


def digest(data: dict) -> str:
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def issue(
    session,
    kind: str,
    record_ref: str,
    office_en: str,
    office_bn: str | None,
    issued_on: date | None,
    data: dict,
) -> dict:
    """The verification of one issued document: `{"code", "display", "link"}`."""
    content = digest(data)
    found = session.execute(
        select(IssuedDocument).where(
            IssuedDocument.kind == kind,
            IssuedDocument.record_ref == record_ref,
            IssuedDocument.content_sha256 == content,
        )
    ).scalar_one_or_none()
    if found is not None and found.status == "valid":
        return {"code": found.code, "display": display(found.code), "link": verify_link(found.code)}
    today = clock.today()
    for older in session.execute(
        select(IssuedDocument).where(
            IssuedDocument.kind == kind,
            IssuedDocument.record_ref == record_ref,
            IssuedDocument.status == "valid",
        )
    ).scalars():
        older.status, older.changed_on = "superseded", today
    if found is not None:  # the record went back to what this document says: valid again
        found.status, found.changed_on = "valid", None
    else:
        found = IssuedDocument(
            code=new_code(),
            kind=kind,
            record_ref=record_ref,
            content_sha256=content,
            office_en=office_en,
            office_bn=office_bn or "",
            issued_on=issued_on or today,
            status="valid",
            created_at=clock.now().replace(tzinfo=None),
        )
        session.add(found)
        try:
            session.flush()
        except IntegrityError:  # the same document issued at the same moment elsewhere
            session.rollback()
            found = session.execute(
                select(IssuedDocument).where(
                    IssuedDocument.kind == kind,
                    IssuedDocument.record_ref == record_ref,
                    IssuedDocument.content_sha256 == content,
                )
            ).scalar_one()
    return {"code": found.code, "display": display(found.code), "link": verify_link(found.code)}


def office_names(session, kind: str, data: dict) -> tuple[str, str]:
    """(English, Bengali) name of the office that issues a document of `kind` from `data`."""
    level, code = "gp", data.get("gp_code")
    if kind in ("payslip", "salary_statement"):
        level = {"GP": "gp", "PS": "ps", "ZP": "zp"}.get(str(data.get("level")), "gp")
        code = data.get("office_code")
    elif kind == "cash_analysis":
        level, code = "ps", data.get("ps_code")
    elif kind == "tourism_slip":
        english = f"Panchayat Tourism, {data.get('property_name') or ''}".rstrip(", ")
        bengali = f"পঞ্চায়েত পর্যটন, {data.get('property_name_bn') or ''}".rstrip(", ")
        return english, bengali
    if level == "gp" and code and (gp := session.get(GramPanchayat, str(code))) is not None:
        return f"{gp.name_en} Gram Panchayat", f"{gp.name_bn} গ্রাম পঞ্চায়েত"
    if level == "ps" and code and (ps := session.get(PanchayatSamiti, str(code))) is not None:
        return f"{ps.name_en} Panchayat Samiti", f"{ps.name_bn} পঞ্চায়েত সমিতি"
    if level == "zp" and code and (district := session.get(District, str(code)[:4])) is not None:
        return f"{district.name_en} Zilla Parishad", f"{district.name_bn} জেলা পরিষদ"
    english = str(data.get("office") or "Panchayats & Rural Development Department")
    return english, ""


def issue_for(session, kind: str, record_ref: str, issued_on: date | None, data: dict) -> dict:
    """`issue` with the issuing office worked out from the document's data."""
    english, bengali = office_names(session, kind, data)
    return issue(session, kind, record_ref, english, bengali, issued_on, data)


def _withdrawn_at_source(session, doc: IssuedDocument) -> bool:
    if doc.kind == "tourism_slip":
        booking = session.get(Booking, doc.record_ref)
        return booking is None or booking.status == "cancelled"
    if doc.kind == "trade_noc":
        noc = session.execute(
            select(TradeNoc).where(TradeNoc.certificate_no == doc.record_ref)
        ).scalar_one_or_none()
        return noc is None or noc.status != "approved"
    return False


def lookup(session, raw_code: str) -> dict | None:
    """What the department can say about a code — nothing personal — or None if unknown."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    doc = session.get(IssuedDocument, code)
    if doc is None:
        return None
    status = doc.status
    if status == "valid" and _withdrawn_at_source(session, doc):
        status = "withdrawn"
    return {
        "code": doc.code,
        "display": display(doc.code),
        "genuine": True,
        "kind": doc.kind,
        "issuing_office_en": doc.office_en,
        "issuing_office_bn": doc.office_bn or None,
        "issued_on": doc.issued_on,
        "status": status,
        "changed_on": doc.changed_on,
    }
