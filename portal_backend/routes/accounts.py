"""GP Form 26 (monthly receipts & payments) and PS cash analysis, for registered officials."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal_backend.common import PdfOfRecord, param, parse_month, record_routes, run_db
from portal_backend.errors import BadRequest, NotFound, NotYours
from portal_backend.models import (
    GpMonthlyAccount,
    GramPanchayat,
    Official,
    OfficialRegistration,
    PanchayatSamiti,
    PsCashBook,
)
from portal_backend.pdfs import cash_analysis, form26


def registrations(session, mobile: str) -> set[tuple[str, str]]:
    official = session.execute(
        select(Official).where(Official.mobile == mobile)
    ).scalar_one_or_none()
    if official is None:
        return set()
    return {
        (r.level, r.code)
        for r in session.execute(
            select(OfficialRegistration).where(OfficialRegistration.official_id == official.id)
        ).scalars()
    }


def form26_record(session, raw_code, mobile, month):
    code = param(raw_code).strip()
    if not re.fullmatch(r"32\d{8}", code):
        raise BadRequest("GP code must be the 10-digit NREGA code 32DDBBBPPP")
    gp = session.get(GramPanchayat, code)
    if gp is None:
        raise NotFound("no such Gram Panchayat")
    regs = registrations(session, mobile)
    if not regs & {("gp", gp.code), ("ps", gp.block_code), ("district", gp.block.district_code)}:
        raise NotYours(
            "the requesting mobile is not registered as an official of this GP, "
            "its Panchayat Samiti or its district"
        )
    row = session.execute(
        select(GpMonthlyAccount)
        .where(GpMonthlyAccount.gp_code == code)
        .where(GpMonthlyAccount.month == month)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("no accounts of this GP for that month")
    closed = row.status == "closed"
    return {
        "gp_code": gp.code,
        "gp_name_en": gp.name_en,
        "gp_name_bn": gp.name_bn,
        "block_name_en": gp.block.name_en,
        "district_name_en": gp.block.district.name_en,
        "month": month,
        "status": row.status,
        "opening_balance": row.opening_balance,
        "receipts": row.receipts if closed else None,
        "payments": row.payments if closed else None,
        "closing_balance": row.closing_balance if closed else None,
        "closed_on": row.closed_on,
        "receipt_heads": [
            {"head": line["head"], "amount": line["amount"]}
            for line in row.lines
            if line["side"] == "receipt"
        ],
        "payment_heads": [
            {"head": line["head"], "amount": line["amount"]}
            for line in row.lines
            if line["side"] == "payment"
        ],
    }


def cash_record(session, raw_code, mobile, month):
    code = param(raw_code).strip()
    if not re.fullmatch(r"32\d{5}", code):
        raise BadRequest("Panchayat Samiti code must be the 7-digit NREGA block code 32DDBBB")
    ps = session.get(PanchayatSamiti, code)
    if ps is None:
        raise NotFound("no such Panchayat Samiti")
    if not registrations(session, mobile) & {("ps", ps.code), ("district", ps.district_code)}:
        raise NotYours(
            "the requesting mobile is not registered as an official of this "
            "Panchayat Samiti or its district"
        )
    row = session.execute(
        select(PsCashBook).where(PsCashBook.ps_code == code).where(PsCashBook.month == month)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("no cash book of this Panchayat Samiti for that month")
    closed = row.status == "closed"
    return {
        "ps_code": ps.code,
        "ps_name_en": ps.name_en,
        "ps_name_bn": ps.name_bn,
        "district_name_en": ps.district.name_en,
        "month": month,
        "status": row.status,
        "cash_book_balance": (row.cash_in_hand + row.bank_balance + row.treasury_balance)
        if closed
        else None,
        "cash_in_hand": row.cash_in_hand if closed else None,
        "bank_balance": row.bank_balance if closed else None,
        "treasury_balance": row.treasury_balance if closed else None,
        "closed_on": row.closed_on,
        "funds": list(row.funds) if closed else [],
    }


def register(app, prefix: str) -> None:
    gp_base = f"{prefix}/accounts/gram-panchayats/<code:str>/form26/<month:str>"
    ps_base = f"{prefix}/accounts/panchayat-samitis/<code:str>/cash-analysis/<month:str>"

    record_routes(
        app,
        gp_base,
        "form26",
        lambda mobile, code, month: run_db(form26_record, code, mobile, parse_month(month)),
        PdfOfRecord(
            form26.render,
            "form26",
            ready=lambda r: r["status"] == "closed",
            not_ready="the books of that month are not closed yet",
            record_ref=lambda r: f"{r['gp_code']}/{r['month']}",
            issued_on=lambda r: r.get("closed_on"),
            filename=lambda r: f"form26-{r['gp_code']}-{r['month']}.pdf",
        ),
    )
    record_routes(
        app,
        ps_base,
        "cash_analysis",
        lambda mobile, code, month: run_db(cash_record, code, mobile, parse_month(month)),
        PdfOfRecord(
            cash_analysis.render,
            "cash_analysis",
            ready=lambda r: r["status"] == "closed",
            not_ready="the cash book of that month is not closed yet",
            record_ref=lambda r: f"{r['ps_code']}/{r['month']}",
            issued_on=lambda r: r.get("closed_on"),
            filename=lambda r: f"cash-analysis-{r['ps_code']}-{r['month']}.pdf",
        ),
    )
