"""PRI payroll: employee, monthly pay slips, annual salary statements."""

from __future__ import annotations

from sqlalchemy import select

from portal_backend.common import (
    PdfOfRecord,
    param,
    parse_fy,
    parse_month,
    record_routes,
    requester_mobile,
    require_owner,
    respond,
    run_db,
)
from portal_backend.errors import BadRequest, NotFound
from portal_backend.models import Employee, SalaryMonth
from portal_backend.pdfs import payslip, salary_statement
from sathi.clock import FinancialYear
from sathi.identifiers import parse_employee_id

COMPONENTS = [
    "basic",
    "da",
    "hra",
    "ma",
    "cpf",
    "professional_tax",
    "income_tax",
    "gsli",
    "loan",
    "gross",
    "deductions",
    "net",
]


def load_employee(session, raw, mobile) -> Employee:
    employee_id = parse_employee_id(param(raw))
    if employee_id is None:
        raise BadRequest("not an employee id (WBP-NNNNNNN)")
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound("no such employee")
    require_owner(employee.mobile, mobile)
    return employee


def employee_json(e: Employee) -> dict:
    return {
        "employee_id": e.employee_id,
        "name": e.name,
        "name_bn": e.name_bn,
        "designation": e.designation,
        "designation_bn": e.designation_bn,
        "office": e.office,
        "level": e.level,
        "office_code": e.office_code,
    }


def month_json(employee: Employee, month: str, row: SalaryMonth | None) -> dict:
    if row is None:
        return {
            "employee_id": employee.employee_id,
            "month": month,
            "status": "not_generated",
            "gross": None,
            "deductions": None,
            "net": None,
            "credited_on": None,
            "bank_ref": None,
            "components": None,
        }
    return {
        "employee_id": employee.employee_id,
        "month": month,
        "status": row.status,
        "gross": row.gross,
        "deductions": row.deductions,
        "net": row.net,
        "credited_on": row.credited_on,
        "bank_ref": row.bank_ref,
        "components": {k: getattr(row, k) for k in COMPONENTS},
    }


def employee_details(session, raw, mobile):
    return employee_json(load_employee(session, raw, mobile))


def payslip_record(session, raw, mobile, month):
    employee = load_employee(session, raw, mobile)
    row = session.execute(
        select(SalaryMonth)
        .where(SalaryMonth.employee_id == employee.employee_id)
        .where(SalaryMonth.month == month)
    ).scalar_one_or_none()
    return {
        **employee_json(employee),
        "bank_account": employee.bank_account,
        "ifsc": employee.ifsc,
        "pran": employee.pran,
        **month_json(employee, month, row),
    }


def statement_record(session, raw, mobile, fy: FinancialYear):
    employee = load_employee(session, raw, mobile)
    rows = {
        r.month: r
        for r in session.execute(
            select(SalaryMonth)
            .where(SalaryMonth.employee_id == employee.employee_id)
            .where(SalaryMonth.month.in_(fy.months()))
        ).scalars()
    }
    months, totals = [], dict.fromkeys(COMPONENTS, 0)
    for month in fy.months():
        row = rows.get(month)
        entry = {"month": month, "status": row.status if row else "not_generated"}
        if row is not None and row.status == "paid":
            for key in COMPONENTS:
                entry[key] = getattr(row, key)
                totals[key] += getattr(row, key)
        months.append(entry)
    paid = sum(1 for m in months if m["status"] == "paid")
    status = "complete" if paid == 12 else ("partial" if paid else "not_available")
    return {
        **employee_json(employee),
        "fy": fy.label,
        "months_paid": paid,
        "gross": totals["gross"],
        "deductions": totals["deductions"],
        "net": totals["net"],
        "status": status,
        "totals": totals,
        "months": months,
    }


def register(app, prefix: str) -> None:
    base = f"{prefix}/payroll/employees/<employee_id:str>"

    @app.get(base)
    async def employee(request, employee_id):
        mobile = requester_mobile(request)
        return respond(await run_db(employee_details, employee_id, mobile))

    record_routes(
        app,
        f"{base}/payslips/<month:str>",
        "payslip",
        lambda mobile, employee_id, month: run_db(
            payslip_record, employee_id, mobile, parse_month(month)
        ),
        PdfOfRecord(
            payslip.render,
            "payslip",
            ready=lambda r: r["status"] == "paid",
            not_ready="the salary of that month is not paid yet",
            record_ref=lambda r: f"{r['employee_id']}/{r['month']}",
            issued_on=lambda r: r.get("credited_on"),
            filename=lambda r: f"payslip-{r['employee_id']}-{r['month']}.pdf",
            data=lambda r: {**r, **r["components"]},
        ),
        status_keys=(
            "employee_id",
            "month",
            "status",
            "gross",
            "deductions",
            "net",
            "credited_on",
            "bank_ref",
            "components",
        ),
    )
    record_routes(
        app,
        f"{base}/salary-statements/<fy:str>",
        "salary_statement",
        lambda mobile, employee_id, fy: run_db(statement_record, employee_id, mobile, parse_fy(fy)),
        PdfOfRecord(
            salary_statement.render,
            "salary_statement",
            ready=lambda r: r["months_paid"] != 0,
            not_ready="no month of that financial year is paid",
            record_ref=lambda r: f"{r['employee_id']}/{r['fy']}",
            filename=lambda r: f"salary-statement-{r['employee_id']}-{r['fy']}.pdf",
        ),
        status_keys=(
            "employee_id",
            "fy",
            "months_paid",
            "gross",
            "deductions",
            "net",
            "status",
            "totals",
            "months",
        ),
    )
