"""Karmashree / MGNREGS: the household's job card, the year's work, work demands.

Job cards may be given in either shape (NREGA `WB-08-012-002-002/270` or Karmashree
`WB-3208012002-2-270`), typed loosely; URLs always carry the canonical NREGA shape, with its
`/` encoded as `%2F`."""

from __future__ import annotations

from datetime import date

from portal_client import ids
from portal_client.errors import BadRequest
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import JobCard, KarmashreeStatus, WorkDemand
from sathi.clock import FinancialYear

AREA = "karmashree"
MAX_DEMAND_DAYS = 14


def _card_path(job_card: object, *rest: str) -> tuple:
    return ("karmashree", "job-cards", ids.job_card(job_card).nrega, *rest)


class KarmashreeCalls(PortalTransport):
    def job_card(self, job_card: str, *, mobile: str) -> JobCard:
        data = self._get_json(AREA, _card_path(job_card), mobile=mobile)
        return parse_shape(AREA, JobCard.from_json, data)

    def karmashree_status(
        self, job_card: str, *, mobile: str, fy: str | FinancialYear | None = None
    ) -> KarmashreeStatus:
        """Days provided / remaining, allocations, wages and open demands in `fy`
        (default: the portal's current financial year)."""
        label = ids.financial_year(fy)
        data = self._get_json(
            AREA,
            _card_path(job_card, "status"),
            mobile=mobile,
            params={"fy": label} if label else None,
        )
        return parse_shape(AREA, KarmashreeStatus.from_json, data)

    def work_demands(self, job_card: str, *, mobile: str) -> list[WorkDemand]:
        data = self._get_json(AREA, _card_path(job_card, "demands"), mobile=mobile)
        return parse_shape(AREA, lambda d: [WorkDemand.from_json(x) for x in d], data)

    def create_work_demand(
        self, job_card: str, *, mobile: str, worker_id: str, days: int, from_date: date | str
    ) -> WorkDemand:
        """Demand `days` (1-14) of work for a member from `from_date` (not in the past).

        The portal makes this idempotent (the same demand again returns the same receipt),
        so it is retried like a GET. `WorkDemand.created` tells a new receipt (True) from the
        earlier one (False). An overlapping open demand raises `DemandOverlap`."""
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DEMAND_DAYS:
            raise BadRequest(f"days must be a whole number from 1 to {MAX_DEMAND_DAYS}", area=AREA)
        if isinstance(from_date, date):
            start = from_date.isoformat()
        else:
            try:
                start = date.fromisoformat(str(from_date).strip()).isoformat()
            except ValueError:
                raise BadRequest("from_date must be a date (YYYY-MM-DD)", area=AREA) from None
        if not str(worker_id or "").strip():
            raise BadRequest("worker_id is empty", area=AREA)
        body = {"worker_id": str(worker_id).strip(), "days": days, "from_date": start}
        status, data = self._post_json(
            AREA, _card_path(job_card, "demands"), body, mobile=mobile, idempotent=True
        )
        return parse_shape(AREA, lambda d: WorkDemand.from_json(d, created=status == 201), data)
