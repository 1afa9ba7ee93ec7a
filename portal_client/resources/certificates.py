"""Citizens' certificates: Trade NOC, building plan approval, tourism reservation slip.

Each record has a status call (a normal answer whatever the status) and a PDF call that
raises `NotReady` until the document exists. Only the owner's mobile gets either."""

from __future__ import annotations

from portal_client import ids
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import BuildingPlan, PdfDocument, TourismBooking, TradeNoc


class CertificateCalls(PortalTransport):
    # --- Trade NOC (application `TN-…` or certificate `TNC-…` number) --------------------
    def trade_noc(self, number: str, *, mobile: str) -> TradeNoc:
        data = self._get_json(
            "trade_noc", ("trade-nocs", ids.trade_noc_number(number)), mobile=mobile
        )
        return parse_shape("trade_noc", TradeNoc.from_json, data)

    def trade_noc_pdf(self, number: str, *, mobile: str) -> PdfDocument:
        canonical = ids.trade_noc_number(number)
        return self._get_pdf(
            "trade_noc",
            ("trade-nocs", canonical, "pdf"),
            mobile=mobile,
            fallback_name=f"trade-noc-{canonical}.pdf",
        )

    # --- building plan (`BP-…`) --------------------------------------------------------
    def building_plan(self, application_no: str, *, mobile: str) -> BuildingPlan:
        data = self._get_json(
            "building_plan",
            ("building-plans", ids.building_plan_number(application_no)),
            mobile=mobile,
        )
        return parse_shape("building_plan", BuildingPlan.from_json, data)

    def building_plan_pdf(self, application_no: str, *, mobile: str) -> PdfDocument:
        canonical = ids.building_plan_number(application_no)
        return self._get_pdf(
            "building_plan",
            ("building-plans", canonical, "pdf"),
            mobile=mobile,
            fallback_name=f"building-plan-{canonical}.pdf",
        )

    # --- tourism booking (`PTB-…`) -----------------------------------------------------
    def tourism_booking(self, booking_no: str, *, mobile: str) -> TourismBooking:
        data = self._get_json(
            "tourism", ("tourism", "bookings", ids.booking_number(booking_no)), mobile=mobile
        )
        return parse_shape("tourism", TourismBooking.from_json, data)

    def tourism_slip_pdf(self, booking_no: str, *, mobile: str) -> PdfDocument:
        """The Electronic Reservation Slip; NotReady while unpaid or when cancelled."""
        canonical = ids.booking_number(booking_no)
        return self._get_pdf(
            "tourism",
            ("tourism", "bookings", canonical, "pdf"),
            mobile=mobile,
            fallback_name=f"reservation-slip-{canonical}.pdf",
        )
