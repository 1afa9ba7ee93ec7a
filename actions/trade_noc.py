"""Trade NOC / trade licence certificate (intent `trade_noc`): the application or certificate
number, then the certificate PDF — only to the applicant's registered mobile."""

from __future__ import annotations

from typing import Any

from actions.record_documents import RecordDocumentSpec, record_document_actions
from portal_client import PortalClient, TradeNoc
from sathi import formatting
from sathi.identifiers import parse_trade_noc_number
from sathi.wording import pick, reason, status_label


def status_details(noc: TradeNoc | None, number: str, lang: str) -> dict[str, Any] | None:
    """Not issued yet: where the application stands and which office to ask."""
    if noc is None:
        return None
    gp = pick(lang, noc.gp_name_en, noc.gp_name_bn) or ("আপনার" if lang == "bn" else "your")
    return {
        "number": noc.application_no,
        "gp": gp,
        "applied_on": formatting.day(noc.applied_on, lang) if noc.applied_on else "—",
        "remarks": reason(pick(lang, noc.remarks, noc.remarks_bn)),
    }


def choice(noc: TradeNoc, lang: str) -> str:
    return " · ".join(p for p in (noc.trade_name, status_label(noc.status, lang)) if p)


SPEC = RecordDocumentSpec(
    service="trade_noc",
    slot="trade_noc_no",
    parse=parse_trade_noc_number,
    records_field="trade_nocs",
    status_call=PortalClient.trade_noc,
    pdf_call=PortalClient.trade_noc_pdf,
    filename="trade-noc-{number}.pdf",
    caption={
        "en": "Your Trade NOC (trade licence), {number}. Keep it at your place of business.",
        "bn": "আপনার ট্রেড লাইসেন্স (ট্রেড এনওসি), {number}। ব্যবসার জায়গায় রেখে দেবেন।",
    },
    status_replies={
        "submitted": "utter_trade_noc_submitted",
        "under_verification": "utter_trade_noc_under_verification",
        "rejected": "utter_trade_noc_rejected",
    },
    reply_details=status_details,
    describe_choice=choice,
    not_found_response="utter_trade_noc_not_found",
    not_yours_response="utter_trade_noc_not_yours",
)

ValidateTradeNocForm, ActionAskTradeNocNo, ActionDeliverTradeNoc = record_document_actions(
    SPEC, module=__name__
)
