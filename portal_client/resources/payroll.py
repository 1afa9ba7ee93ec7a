"""Panchayat employees (`WBP-…`): profile, monthly pay slips, annual salary statements.
Only the employee's own registered mobile gets them."""

from __future__ import annotations

from datetime import date

from portal_client import ids
from portal_client.errors import BadRequest
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import Employee, PayslipStatus, PdfDocument, SalaryStatementStatus
from sathi.clock import FinancialYear

AREA = "payroll"


def _employee_path(employee_id: str, *rest: str) -> tuple:
    return ("payroll", "employees", ids.employee_id(employee_id), *rest)


def _fy(fy: str | FinancialYear) -> str:
    label = ids.financial_year(fy)
    if label is None:
        raise BadRequest("a salary statement needs a financial year", area=AREA)
    return label


class PayrollCalls(PortalTransport):
    def employee(self, employee_id: str, *, mobile: str) -> Employee:
        data = self._get_json(AREA, _employee_path(employee_id), mobile=mobile)
        return parse_shape(AREA, Employee.from_json, data)

    def payslip(self, employee_id: str, month: str | date, *, mobile: str) -> PayslipStatus:
        """Status of one month's pay (`month` `YYYY-MM`, or any date in it)."""
        data = self._get_json(
            AREA, _employee_path(employee_id, "payslips", ids.month(month)), mobile=mobile
        )
        return parse_shape(AREA, PayslipStatus.from_json, data)

    def payslip_pdf(self, employee_id: str, month: str | date, *, mobile: str) -> PdfDocument:
        key = ids.month(month)
        return self._get_pdf(
            AREA,
            _employee_path(employee_id, "payslips", key, "pdf"),
            mobile=mobile,
            fallback_name=f"payslip-{key}.pdf",
        )

    def salary_statement(
        self, employee_id: str, fy: str | FinancialYear, *, mobile: str
    ) -> SalaryStatementStatus:
        data = self._get_json(
            AREA, _employee_path(employee_id, "salary-statements", _fy(fy)), mobile=mobile
        )
        return parse_shape(AREA, SalaryStatementStatus.from_json, data)

    def salary_statement_pdf(
        self, employee_id: str, fy: str | FinancialYear, *, mobile: str
    ) -> PdfDocument:
        """The annual statement (a partial year is allowed and marked so by the portal)."""
        label = _fy(fy)
        return self._get_pdf(
            AREA,
            _employee_path(employee_id, "salary-statements", label, "pdf"),
            mobile=mobile,
            fallback_name=f"salary-statement-{label}.pdf",
        )
