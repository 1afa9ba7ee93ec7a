"""Districts, panchayat samitis (blocks), gram panchayats and GP offices."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from portal_client.types.fields import as_strings, as_text


@dataclass(frozen=True)
class District:
    code: str
    name_en: str
    name_bn: Optional[str] = None
    aliases: Tuple[str, ...] = ()

    @classmethod
    def from_json(cls, d: dict) -> "District":
        return cls(str(d["code"]), str(d["name_en"]), as_text(d.get("name_bn")),
                   as_strings(d.get("aliases")))


@dataclass(frozen=True)
class PanchayatSamiti:
    """A block. `code` is the NREGA block code `32DDBBB`."""

    code: str
    name_en: str
    name_bn: Optional[str] = None
    lgd_code: Optional[str] = None
    district_code: Optional[str] = None
    district_name_en: Optional[str] = None
    district_name_bn: Optional[str] = None

    @classmethod
    def from_json(cls, d: dict) -> "PanchayatSamiti":
        return cls(str(d["code"]), str(d["name_en"]), as_text(d.get("name_bn")),
                   as_text(d.get("lgd_code")), as_text(d.get("district_code")),
                   as_text(d.get("district_name_en")), as_text(d.get("district_name_bn")))


@dataclass(frozen=True)
class GramPanchayat:
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

    @classmethod
    def from_json(cls, d: dict) -> "GramPanchayat":
        return cls(str(d["code"]), str(d["name_en"]), as_text(d.get("name_bn")),
                   as_text(d.get("lgd_code")), as_text(d.get("block_code")),
                   as_text(d.get("block_name_en")), as_text(d.get("district_name_en")),
                   as_text(d.get("block_name_bn")), as_text(d.get("district_name_bn")))


@dataclass(frozen=True)
class GpOffice:
    gp_code: str
    name_en: str
    name_bn: Optional[str] = None
    address_en: Optional[str] = None
    address_bn: Optional[str] = None
    phone: Optional[str] = None
    hours: Optional[str] = None            # English, e.g. "Mon-Fri 10:00-17:00"
    hours_bn: Optional[str] = None         # the same in Bengali

    @classmethod
    def from_json(cls, d: dict) -> "GpOffice":
        return cls(str(d["gp_code"]), str(d["name_en"]), as_text(d.get("name_bn")),
                   as_text(d.get("address_en")), as_text(d.get("address_bn")),
                   as_text(d.get("phone")), as_text(d.get("hours_en", d.get("hours"))),
                   as_text(d.get("hours_bn")))
