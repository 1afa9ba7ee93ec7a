"""Public geography: districts, panchayat samitis (blocks), gram panchayats, GP offices."""

from __future__ import annotations

from portal_client import ids
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types import District, GpOffice, GramPanchayat, PanchayatSamiti

AREA = "geo"


def _query(**params: str | None) -> dict:
    return {k: v.strip() for k, v in params.items() if v is not None and v.strip()}


class GeoCalls(PortalTransport):
    def districts(self) -> list[District]:
        data = self._get_json(AREA, ("geo", "districts"))
        return parse_shape(AREA, lambda d: [District.from_json(x) for x in d], data)

    def panchayat_samitis(
        self, q: str | None = None, *, district: str | None = None
    ) -> list[PanchayatSamiti]:
        """Blocks whose English/Bengali name or alias matches `q`, optionally in `district`
        (a district code)."""
        data = self._get_json(
            AREA, ("geo", "panchayat-samitis"), params=_query(q=q, district=district)
        )
        return parse_shape(AREA, lambda d: [PanchayatSamiti.from_json(x) for x in d], data)

    def gram_panchayats(
        self, q: str | None = None, *, block: str | None = None
    ) -> list[GramPanchayat]:
        """GPs matching `q`, optionally within `block` (NREGA block code `32DDBBB`)."""
        block_code = ids.ps_code(block) if block is not None else None
        data = self._get_json(
            AREA, ("geo", "gram-panchayats"), params=_query(q=q, block=block_code)
        )
        return parse_shape(AREA, lambda d: [GramPanchayat.from_json(x) for x in d], data)

    def gp_office(self, gp_code: str) -> GpOffice:
        """Public contact of a GP office (no requester needed)."""
        data = self._get_json(AREA, ("geo", "gram-panchayats", ids.gp_code(gp_code), "office"))
        return parse_shape(AREA, GpOffice.from_json, data)
