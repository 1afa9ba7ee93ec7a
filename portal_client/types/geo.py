"""Districts, panchayat samitis (blocks), gram panchayats and GP offices."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from portal_client.types.fields import FromJson, json_field


@dataclass(frozen=True)
class District(FromJson):
    code: str
    name_en: str
    name_bn: Optional[str] = None
    aliases: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PanchayatSamiti(FromJson):
    """A block. `code` is the NREGA block code `32DDBBB`."""

    code: str
    name_en: str
    name_bn: Optional[str] = None
    lgd_code: Optional[str] = None
    district_code: Optional[str] = None
    district_name_en: Optional[str] = None
    district_name_bn: Optional[str] = None


@dataclass(frozen=True)
class GramPanchayat(FromJson):
    """`code` is the NREGA GP code `32DDBBBPPP`."""

    code: str
    name_en: str
    name_bn: Optional[str] = None
    lgd_code: Optional[str] = None
    block_code: Optional[str] = None
    block_name_en: Optional[str] = None
    district_name_en: Optional[str] = None
    block_name_bn: Optional[str] = None
    district_name_bn: Optional[str] = None


@dataclass(frozen=True)
class GpOffice(FromJson):
    gp_code: str
    name_en: str
    name_bn: Optional[str] = None
    address_en: Optional[str] = None
    address_bn: Optional[str] = None
    phone: Optional[str] = None
    hours: Optional[str] = json_field("hours_en", "hours", default=None)           # English, e.g. "Mon-Fri 10:00-17:00"
    hours_bn: Optional[str] = None         # the same in Bengali
