"""Districts, panchayat samitis (blocks), gram panchayats and GP offices."""

from __future__ import annotations

from dataclasses import dataclass

from portal_client.types.fields import FromJson, json_field


@dataclass(frozen=True)
class District(FromJson):
    code: str
    name_en: str
    name_bn: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PanchayatSamiti(FromJson):
    """A block. `code` is the NREGA block code `32DDBBB`."""

    code: str
    name_en: str
    name_bn: str | None = None
    lgd_code: str | None = None
    district_code: str | None = None
    district_name_en: str | None = None
    district_name_bn: str | None = None


@dataclass(frozen=True)
class GramPanchayat(FromJson):
    """`code` is the NREGA GP code `32DDBBBPPP`."""

    code: str
    name_en: str
    name_bn: str | None = None
    lgd_code: str | None = None
    block_code: str | None = None
    block_name_en: str | None = None
    district_name_en: str | None = None
    block_name_bn: str | None = None
    district_name_bn: str | None = None


@dataclass(frozen=True)
class GpOffice(FromJson):
    gp_code: str
    name_en: str
    name_bn: str | None = None
    address_en: str | None = None
    address_bn: str | None = None
    phone: str | None = None
    hours: str | None = json_field(
        "hours_en", "hours", default=None
    )  # English, e.g. "Mon-Fri 10:00-17:00"
    hours_bn: str | None = None  # the same in Bengali
