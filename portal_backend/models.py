"""The tables of the reference portal backend (see docs/portal-backend.md for the model).

Amounts are whole rupees (Integer). Dates are Asia/Kolkata calendar dates; timestamps are
stored as naive IST datetimes (the clock is `sathi.clock`). Months are `YYYY-MM` strings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# SQLAlchemy 1.4 ships no type hints: to mypy the declarative base is Any (as all of sqlalchemy)
Base: Any = declarative_base()


# --- geography ---------------------------------------------------------------------------
class District(Base):
    __tablename__ = "districts"
    code = Column(String(4), primary_key=True)  # NREGA 32DD (invented)
    lgd_code = Column(String(8), nullable=False)
    name_en = Column(String(80), nullable=False)
    name_bn = Column(String(80), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    blocks = relationship(
        "PanchayatSamiti", back_populates="district", order_by="PanchayatSamiti.code"
    )


class PanchayatSamiti(Base):
    """A block; the Panchayat Samiti is its panchayat body."""

    __tablename__ = "panchayat_samitis"
    code = Column(String(7), primary_key=True)  # NREGA 32DDBBB
    lgd_code = Column(String(8), nullable=False)
    district_code = Column(String(4), ForeignKey("districts.code"), nullable=False, index=True)
    name_en = Column(String(80), nullable=False)
    name_bn = Column(String(80), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    district = relationship("District", back_populates="blocks")
    gram_panchayats = relationship(
        "GramPanchayat", back_populates="block", order_by="GramPanchayat.code"
    )


class GramPanchayat(Base):
    __tablename__ = "gram_panchayats"
    code = Column(String(10), primary_key=True)  # NREGA 32DDBBBPPP
    lgd_code = Column(String(8), nullable=False)
    block_code = Column(String(7), ForeignKey("panchayat_samitis.code"), nullable=False, index=True)
    name_en = Column(String(80), nullable=False)
    name_bn = Column(String(80), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    invented = Column(Boolean, nullable=False, default=True)
    address_en = Column(String(200), nullable=False)
    address_bn = Column(String(200), nullable=False)
    phone = Column(String(20), nullable=False)
    hours = Column(String(80), nullable=False)  # English
    hours_bn = Column(String(120), nullable=False, default="")
    block = relationship("PanchayatSamiti", back_populates="gram_panchayats")


class GeoName(Base):
    """Search index: every name and alias of a district / block / GP, normalized."""

    __tablename__ = "geo_names"
    id = Column(Integer, primary_key=True)
    kind = Column(String(10), nullable=False)  # district | block | gp
    code = Column(String(10), nullable=False)
    name_key = Column(String(120), nullable=False, index=True)
    __table_args__ = (Index("ix_geo_names_kind_key", "kind", "name_key"),)


# --- Karmashree ---------------------------------------------------------------------------
class JobCard(Base):
    __tablename__ = "job_cards"
    job_card = Column(String(24), primary_key=True)  # NREGA shape WB-DD-BBB-PPP-VVV/FFF
    karmashree_id = Column(String(24), nullable=False, unique=True)
    gp_code = Column(String(10), ForeignKey("gram_panchayats.code"), nullable=False, index=True)
    head_of_household = Column(String(80), nullable=False)
    head_of_household_bn = Column(String(120), nullable=False, default="")
    mobile = Column(String(12), nullable=False, index=True)
    registered_on = Column(Date, nullable=False)
    members = relationship("Worker", back_populates="job_card_row", order_by="Worker.worker_id")


class Worker(Base):
    __tablename__ = "workers"
    worker_id = Column(String(24), primary_key=True)  # KW-<14 digits>-NN
    job_card = Column(String(24), ForeignKey("job_cards.job_card"), nullable=False, index=True)
    name = Column(String(80), nullable=False)
    name_bn = Column(String(120), nullable=False, default="")
    age = Column(Integer, nullable=False)
    gender = Column(String(1), nullable=False)  # F / M
    job_card_row = relationship("JobCard", back_populates="members")


class WorkDemand(Base):
    __tablename__ = "work_demands"
    receipt_no = Column(String(20), primary_key=True)  # KD-YYYY-NNNNNN
    job_card = Column(String(24), ForeignKey("job_cards.job_card"), nullable=False, index=True)
    worker_id = Column(String(24), ForeignKey("workers.worker_id"), nullable=False)
    days = Column(Integer, nullable=False)
    from_date = Column(Date, nullable=False)
    demanded_on = Column(Date, nullable=False)
    status = Column(String(12), nullable=False)  # open | allocated | closed


class Allocation(Base):
    __tablename__ = "allocations"
    id = Column(Integer, primary_key=True)
    job_card = Column(String(24), ForeignKey("job_cards.job_card"), nullable=False, index=True)
    worker_id = Column(String(24), ForeignKey("workers.worker_id"), nullable=False)
    fy = Column(String(7), nullable=False)
    work_name = Column(String(160), nullable=False)
    work_name_bn = Column(String(200), nullable=False, default="")
    scheme = Column(String(80), nullable=False)
    from_date = Column(Date, nullable=False)
    to_date = Column(Date, nullable=False)
    days = Column(Integer, nullable=False)


class Employment(Base):
    """Days worked; a row without `paid_on` is a pending wage."""

    __tablename__ = "employment"
    id = Column(Integer, primary_key=True)
    job_card = Column(String(24), ForeignKey("job_cards.job_card"), nullable=False, index=True)
    worker_id = Column(String(24), ForeignKey("workers.worker_id"), nullable=False)
    fy = Column(String(7), nullable=False)
    work_name = Column(String(160), nullable=False)
    work_name_bn = Column(String(200), nullable=False, default="")
    days = Column(Integer, nullable=False)
    wage_amount = Column(Integer, nullable=False)
    worked_until = Column(Date, nullable=False)
    paid_on = Column(Date, nullable=True)


# --- payroll ------------------------------------------------------------------------------
class Employee(Base):
    __tablename__ = "employees"
    employee_id = Column(String(12), primary_key=True)  # WBP-NNNNNNN
    name = Column(String(80), nullable=False)
    name_bn = Column(String(80), nullable=True)  # as the office writes it in Bengali
    designation = Column(String(80), nullable=False)
    designation_bn = Column(String(80), nullable=True)
    level = Column(String(2), nullable=False)  # GP | PS | ZP
    office = Column(String(120), nullable=False)
    office_code = Column(String(10), nullable=False)
    mobile = Column(String(12), nullable=False, index=True)
    bank_account = Column(String(24), nullable=False)  # stored masked: XXXXXXXX1234
    ifsc = Column(String(11), nullable=False)
    pran = Column(String(12), nullable=False)
    joined_on = Column(Date, nullable=False)


class SalaryMonth(Base):
    """One salary month of an employee; a month without a row is `not_generated`."""

    __tablename__ = "salary_months"
    id = Column(Integer, primary_key=True)
    employee_id = Column(String(12), ForeignKey("employees.employee_id"), nullable=False)
    month = Column(String(7), nullable=False)
    status = Column(String(12), nullable=False)  # paid | processing
    basic = Column(Integer, nullable=False)
    da = Column(Integer, nullable=False)
    hra = Column(Integer, nullable=False)
    ma = Column(Integer, nullable=False)
    cpf = Column(Integer, nullable=False)
    professional_tax = Column(Integer, nullable=False)
    income_tax = Column(Integer, nullable=False)
    gsli = Column(Integer, nullable=False)
    loan = Column(Integer, nullable=False)
    gross = Column(Integer, nullable=False)
    deductions = Column(Integer, nullable=False)
    net = Column(Integer, nullable=False)
    credited_on = Column(Date, nullable=True)
    bank_ref = Column(String(24), nullable=True)
    __table_args__ = (UniqueConstraint("employee_id", "month"),)


# --- officials ----------------------------------------------------------------------------
class Official(Base):
    __tablename__ = "officials"
    id = Column(Integer, primary_key=True)
    mobile = Column(String(12), nullable=False, unique=True)
    name = Column(String(80), nullable=False)
    designation = Column(String(80), nullable=False)
    registrations = relationship("OfficialRegistration", order_by="OfficialRegistration.id")


class OfficialRegistration(Base):
    __tablename__ = "official_registrations"
    id = Column(Integer, primary_key=True)
    official_id = Column(Integer, ForeignKey("officials.id"), nullable=False, index=True)
    level = Column(String(8), nullable=False)  # gp | ps | district
    code = Column(String(10), nullable=False)


# --- GP services ----------------------------------------------------------------------------
class TradeNoc(Base):
    __tablename__ = "trade_nocs"
    application_no = Column(String(16), primary_key=True)  # TN-YYYY-NNNNNN
    certificate_no = Column(String(18), nullable=True, unique=True)  # TNC-YYYY-NNNNNN
    status = Column(String(20), nullable=False)
    trade_name = Column(String(120), nullable=False)
    trade_type = Column(String(80), nullable=False)
    owner_name = Column(String(80), nullable=False)
    address = Column(String(200), nullable=False)
    gp_code = Column(String(10), ForeignKey("gram_panchayats.code"), nullable=False)
    mobile = Column(String(12), nullable=False, index=True)
    applied_on = Column(Date, nullable=False)
    issued_on = Column(Date, nullable=True)
    valid_until = Column(Date, nullable=True)
    fee = Column(Integer, nullable=False)
    remarks = Column(String(200), nullable=False, default="")
    remarks_bn = Column(String(300), nullable=False, default="")


class BuildingPlan(Base):
    __tablename__ = "building_plans"
    application_no = Column(String(16), primary_key=True)  # BP-YYYY-NNNNNN
    status = Column(String(20), nullable=False)
    applicant_name = Column(String(80), nullable=False)
    address = Column(String(200), nullable=False)
    gp_code = Column(String(10), ForeignKey("gram_panchayats.code"), nullable=False)
    mobile = Column(String(12), nullable=False, index=True)
    mouza = Column(String(80), nullable=False)
    jl_no = Column(String(8), nullable=False)
    khatian_no = Column(String(12), nullable=False)
    plot_no = Column(String(12), nullable=False)
    plot_area_sqm = Column(Integer, nullable=False)
    floors = Column(Integer, nullable=False)
    applied_on = Column(Date, nullable=False)
    approval_no = Column(String(32), nullable=True)
    approved_on = Column(Date, nullable=True)
    valid_until = Column(Date, nullable=True)
    conditions = Column(JSON, nullable=False, default=list)
    remarks = Column(String(200), nullable=False, default="")
    remarks_bn = Column(String(300), nullable=False, default="")


class TourismProperty(Base):
    __tablename__ = "tourism_properties"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False)
    name_bn = Column(String(160), nullable=False, default="")
    kind = Column(String(20), nullable=False)  # guest_house | home_stay
    district_code = Column(String(4), ForeignKey("districts.code"), nullable=False)
    address = Column(String(200), nullable=False)
    phone = Column(String(20), nullable=False)
    tariff_per_room_night = Column(Integer, nullable=False)


class Booking(Base):
    __tablename__ = "tourism_bookings"
    booking_no = Column(String(18), primary_key=True)  # PTB-YYYY-NNNNNN
    status = Column(String(20), nullable=False)  # confirmed | payment_pending | cancelled
    property_id = Column(Integer, ForeignKey("tourism_properties.id"), nullable=False)
    guest_name = Column(String(80), nullable=False)
    mobile = Column(String(12), nullable=False, index=True)
    booked_on = Column(Date, nullable=False)
    check_in = Column(Date, nullable=False)
    check_out = Column(Date, nullable=False)
    rooms = Column(Integer, nullable=False)
    guests = Column(Integer, nullable=False)
    amount = Column(Integer, nullable=False)
    amount_paid = Column(Integer, nullable=False)
    payment_ref = Column(String(24), nullable=True)
    id_type = Column(String(40), nullable=False)
    property = relationship("TourismProperty")


# --- accounts -------------------------------------------------------------------------------
class GpMonthlyAccount(Base):
    """Form 26 as the reference backend models it: the GP's monthly receipts & payments."""

    __tablename__ = "gp_monthly_accounts"
    id = Column(Integer, primary_key=True)
    gp_code = Column(String(10), ForeignKey("gram_panchayats.code"), nullable=False)
    month = Column(String(7), nullable=False)
    status = Column(String(12), nullable=False)  # closed | not_closed
    opening_balance = Column(Integer, nullable=False)
    receipts = Column(Integer, nullable=False)
    payments = Column(Integer, nullable=False)
    closing_balance = Column(Integer, nullable=False)
    closed_on = Column(Date, nullable=True)
    lines = Column(JSON, nullable=False, default=list)  # [{"side","head","amount"}]
    __table_args__ = (UniqueConstraint("gp_code", "month"),)


class PsCashBook(Base):
    """Month-end cash analysis of a Panchayat Samiti's cash book."""

    __tablename__ = "ps_cash_books"
    id = Column(Integer, primary_key=True)
    ps_code = Column(String(7), ForeignKey("panchayat_samitis.code"), nullable=False)
    month = Column(String(7), nullable=False)
    status = Column(String(12), nullable=False)  # closed | not_closed
    cash_in_hand = Column(Integer, nullable=False)
    bank_balance = Column(Integer, nullable=False)
    treasury_balance = Column(Integer, nullable=False)
    closed_on = Column(Date, nullable=True)
    funds = Column(JSON, nullable=False, default=list)  # [{"fund","scheme","head","balance"}]
    __table_args__ = (UniqueConstraint("ps_code", "month"),)


# --- OTP, outbox, callbacks, metadata ----------------------------------------------------
class OtpCode(Base):
    __tablename__ = "otp_codes"
    otp_id = Column(String(32), primary_key=True)
    mobile = Column(String(12), nullable=False, index=True)
    purpose = Column(String(40), nullable=False)
    code_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    tries = Column(Integer, nullable=False, default=0)
    state = Column(String(12), nullable=False)  # pending | verified | failed | replaced


class OtpCooldown(Base):
    __tablename__ = "otp_cooldowns"
    mobile = Column(String(12), primary_key=True)
    until = Column(DateTime, nullable=False)


class OutboxMessage(Base):
    """Messages the reference backend 'sends' (OTP codes); the only place a code is written."""

    __tablename__ = "outbox"
    id = Column(Integer, primary_key=True)
    mobile = Column(String(12), nullable=False, index=True)
    channel = Column(String(12), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)


class CallbackRequest(Base):
    __tablename__ = "callback_requests"
    ticket_no = Column(String(18), primary_key=True)  # CB-YYYY-NNNNNN
    mobile = Column(String(12), nullable=False)
    topic = Column(String(80), nullable=False)
    context = Column(JSON, nullable=False, default=dict)
    created_at = Column(DateTime, nullable=False)


class DemoMeta(Base):
    """Key/value facts about the loaded dataset (clock date, seed, demo ids)."""

    __tablename__ = "demo_meta"
    key = Column(String(40), primary_key=True)
    value = Column(JSON, nullable=False)


# --- verification of issued documents ------------------------------------------------------
class IssuedDocument(Base):
    """Every PDF the portal issues gets a verification code; the same content issued again
    keeps its code, changed content gets a new one and the older code is `superseded`."""

    __tablename__ = "issued_documents"
    code = Column(String(12), primary_key=True)  # 10 Crockford base32 characters
    kind = Column(String(20), nullable=False)  # trade_noc | payslip | ...
    record_ref = Column(String(40), nullable=False)
    content_sha256 = Column(String(64), nullable=False)
    office_en = Column(String(200), nullable=False)
    office_bn = Column(String(200), nullable=False, default="")
    issued_on = Column(Date, nullable=False)
    status = Column(String(12), nullable=False, default="valid")  # valid | withdrawn | superseded
    changed_on = Column(Date, nullable=True)  # when withdrawn or superseded
    created_at = Column(DateTime, nullable=False)
    __table_args__ = (
        UniqueConstraint("kind", "record_ref", "content_sha256"),
        Index("ix_issued_documents_record", "kind", "record_ref"),
    )


# --- change feed ----------------------------------------------------------------------------
class ChangeEvent(Base):
    """One change the bot may tell a citizen about (`GET /changes`), written in the same
    transaction as the change itself (portal_backend/changes.py): a wage credited, an
    application's status changed, a booking confirmed or cancelled, a salary credited.
    Ids only grow: the feed's cursor is the last id a reader has seen."""

    __tablename__ = "change_events"
    id = Column(Integer, primary_key=True, autoincrement=True)
    kind = Column(String(24), nullable=False)  # wage_credited | application_status | ...
    record_kind = Column(
        String(16), nullable=False
    )  # job_card | trade_noc | building_plan | booking | employee
    record_id = Column(String(24), nullable=False)
    mobiles = Column(JSON, nullable=False, default=list)  # the record's owner mobile(s)
    state = Column(JSON, nullable=False, default=dict)  # the new state (status, amount, dates)
    created_at = Column(DateTime, nullable=False)
    __table_args__ = {"sqlite_autoincrement": True}
