"""The portal client's return types (frozen dataclasses); import them from here.

(Not called `models`: the repository ignores every `models/` folder, Rasa's trained models.)"""

from portal_client.types.accounts import CashAnalysisStatus, CashFund, Form26Status
from portal_client.types.certificates import BuildingPlan, TourismBooking, TradeNoc
from portal_client.types.changes import ChangeEvent, ChangeFeed
from portal_client.types.geo import District, GpOffice, GramPanchayat, PanchayatSamiti
from portal_client.types.identity import (
    CallbackTicket,
    MyRecords,
    OfficialOf,
    OtpChallenge,
    OtpResult,
    PortalHealth,
)
from portal_client.types.karmashree import (
    Allocation,
    Employment,
    JobCard,
    JobCardMember,
    KarmashreeStatus,
    WorkDemand,
)
from portal_client.types.payroll import Employee, PayslipStatus, SalaryStatementStatus
from portal_client.types.pdf import PdfDocument
from portal_client.types.verification import DocumentVerification

__all__ = [
    "Allocation",
    "BuildingPlan",
    "CallbackTicket",
    "ChangeEvent",
    "ChangeFeed",
    "CashAnalysisStatus",
    "CashFund",
    "District",
    "DocumentVerification",
    "Employee",
    "Employment",
    "Form26Status",
    "GpOffice",
    "GramPanchayat",
    "JobCard",
    "JobCardMember",
    "KarmashreeStatus",
    "MyRecords",
    "OfficialOf",
    "OtpChallenge",
    "OtpResult",
    "PanchayatSamiti",
    "PayslipStatus",
    "PdfDocument",
    "PortalHealth",
    "SalaryStatementStatus",
    "TourismBooking",
    "TradeNoc",
    "WorkDemand",
]
