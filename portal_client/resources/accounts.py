"""Panchayat accounts, for officials of the GP / its block / its district only:
a GP's monthly Form 26 and a panchayat samiti's monthly cash analysis."""

from __future__ import annotations

from datetime import date

from portal_client import ids
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import CashAnalysisStatus, Form26Status, PdfDocument

AREA = "accounts"


class AccountsCalls(PortalTransport):
    def form26(self, gp_code: str, month: str | date, *, mobile: str) -> Form26Status:
        path = ("accounts", "gram-panchayats", ids.gp_code(gp_code), "form26", ids.month(month))
        return parse_shape(AREA, Form26Status.from_json, self._get_json(AREA, path, mobile=mobile))

    def form26_pdf(self, gp_code: str, month: str | date, *, mobile: str) -> PdfDocument:
        code, key = ids.gp_code(gp_code), ids.month(month)
        return self._get_pdf(
            AREA,
            ("accounts", "gram-panchayats", code, "form26", key, "pdf"),
            mobile=mobile,
            fallback_name=f"form26-{code}-{key}.pdf",
        )

    def cash_analysis(self, ps_code: str, month: str | date, *, mobile: str) -> CashAnalysisStatus:
        path = (
            "accounts",
            "panchayat-samitis",
            ids.ps_code(ps_code),
            "cash-analysis",
            ids.month(month),
        )
        return parse_shape(
            AREA, CashAnalysisStatus.from_json, self._get_json(AREA, path, mobile=mobile)
        )

    def cash_analysis_pdf(self, ps_code: str, month: str | date, *, mobile: str) -> PdfDocument:
        code, key = ids.ps_code(ps_code), ids.month(month)
        path = ("accounts", "panchayat-samitis", code, "cash-analysis", key, "pdf")
        return self._get_pdf(
            AREA, path, mobile=mobile, fallback_name=f"cash-analysis-{code}-{key}.pdf"
        )
