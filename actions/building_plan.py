"""Building plan approval letter (intent `building_plan`): the application number, then the
Gram Panchayat's approval letter PDF — only to the applicant's registered mobile."""

from __future__ import annotations

from typing import Any

from actions.record_documents import RecordDocumentSpec, record_document_actions
from portal_client import BuildingPlan, PortalClient
from sathi.identifiers import parse_building_plan_number
from sathi.wording import pick, reason, status_label


def status_details(plan: BuildingPlan | None, number: str, lang: str) -> dict[str, Any] | None:
    """Not approved yet: where the application stands and which office to ask."""
    if plan is None:
        return None
    gp = pick(lang, plan.gp_name_en, plan.gp_name_bn) or ("আপনার" if lang == "bn" else "your")
    return {
        "number": plan.application_no,
        "gp": gp,
        "remarks": reason(pick(lang, plan.remarks, plan.remarks_bn)),
    }


def choice(plan: BuildingPlan, lang: str) -> str:
    gp = pick(lang, plan.gp_name_en, plan.gp_name_bn)
    return " · ".join(p for p in (gp, status_label(plan.status, lang)) if p)


SPEC = RecordDocumentSpec(
    service="building_plan",
    slot="building_plan_no",
    parse=parse_building_plan_number,
    records_field="building_plans",
    status_call=PortalClient.building_plan,
    pdf_call=PortalClient.building_plan_pdf,
    filename="building-plan-approval-{number}.pdf",
    caption={
        "en": "Approval letter of your building plan, application {number}.",
        "bn": "আপনার বাড়ির প্ল্যান অনুমোদনের চিঠি, আবেদন নম্বর {number}।",
    },
    status_replies={
        "submitted": "utter_building_plan_submitted",
        "site_inspection": "utter_building_plan_site_inspection",
        "rejected": "utter_building_plan_rejected",
    },
    reply_details=status_details,
    describe_choice=choice,
    not_found_response="utter_building_plan_not_found",
    not_yours_response="utter_building_plan_not_yours",
)

ValidateBuildingPlanForm, ActionAskBuildingPlanNo, ActionDeliverBuildingPlan = (
    record_document_actions(SPEC, module=__name__)
)
