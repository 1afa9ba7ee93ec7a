"""Districts, Panchayat Samitis (blocks), Gram Panchayats and GP offices (public data)."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal_backend.common import param, respond, run_db
from portal_backend.errors import BadRequest, NotFound
from portal_backend.geo_search import name_key
from portal_backend.models import District, GeoName, GramPanchayat, PanchayatSamiti

MAX_RESULTS = 50


def matching_codes(session, kind: str, q: str) -> list[str] | None:
    """Codes whose name/alias key equals the query key; failing that, starts with or
    contains it. None when q is empty (no filter)."""
    if q is None or not q.strip():
        return None
    key = name_key(q)
    if len(key) < 2:
        raise BadRequest("q must have at least 2 letters")
    rows = session.execute(
        select(GeoName.code, GeoName.name_key)
        .where(GeoName.kind == kind)
        .where(GeoName.name_key.contains(key, autoescape=True))
    ).all()
    exact = [c for c, k in rows if k == key]
    prefix = [c for c, k in rows if k.startswith(key)]
    chosen = exact or prefix or [c for c, _ in rows]
    return list(dict.fromkeys(chosen))


def district_json(d: District) -> dict:
    return {
        "code": d.code,
        "lgd_code": d.lgd_code,
        "name_en": d.name_en,
        "name_bn": d.name_bn,
        "aliases": list(d.aliases),
    }


def block_json(b: PanchayatSamiti) -> dict:
    return {
        "code": b.code,
        "lgd_code": b.lgd_code,
        "name_en": b.name_en,
        "name_bn": b.name_bn,
        "aliases": list(b.aliases),
        "district_code": b.district_code,
        "district_name_en": b.district.name_en,
        "district_name_bn": b.district.name_bn,
    }


def gp_json(g: GramPanchayat) -> dict:
    return {
        "code": g.code,
        "lgd_code": g.lgd_code,
        "name_en": g.name_en,
        "name_bn": g.name_bn,
        "aliases": list(g.aliases),
        "block_code": g.block_code,
        "block_name_en": g.block.name_en,
        "block_name_bn": g.block.name_bn,
        "district_code": g.block.district_code,
        "district_name_en": g.block.district.name_en,
        "district_name_bn": g.block.district.name_bn,
        "invented": g.invented,
    }


def _district_filter(session, raw: str | None) -> list[str] | None:
    """`district=` accepts a code (32DD) or a name."""
    if not raw:
        return None
    raw = raw.strip()
    if re.fullmatch(r"32\d\d", raw):
        return [raw]
    return matching_codes(session, "district", raw) or ["-"]


def list_districts(session, q):
    codes = matching_codes(session, "district", q)
    stmt = select(District).order_by(District.code)
    if codes is not None:
        stmt = stmt.where(District.code.in_(codes))
    return [district_json(d) for d in session.execute(stmt).scalars()]


def list_blocks(session, q, district):
    codes = matching_codes(session, "block", q)
    stmt = select(PanchayatSamiti).order_by(PanchayatSamiti.code)
    if codes is not None:
        stmt = stmt.where(PanchayatSamiti.code.in_(codes))
    districts = _district_filter(session, district)
    if districts is not None:
        stmt = stmt.where(PanchayatSamiti.district_code.in_(districts))
    return [block_json(b) for b in session.execute(stmt.limit(MAX_RESULTS)).scalars()]


def list_gps(session, q, block, district):
    codes = matching_codes(session, "gp", q)
    stmt = select(GramPanchayat).order_by(GramPanchayat.code)
    if codes is not None:
        stmt = stmt.where(GramPanchayat.code.in_(codes))
    if block:
        block = block.strip()
        blocks = (
            [block]
            if re.fullmatch(r"32\d{5}", block)
            else (matching_codes(session, "block", block) or ["-"])
        )
        stmt = stmt.where(GramPanchayat.block_code.in_(blocks))
    districts = _district_filter(session, district)
    if districts is not None:
        stmt = stmt.join(PanchayatSamiti).where(PanchayatSamiti.district_code.in_(districts))
    return [gp_json(g) for g in session.execute(stmt.limit(MAX_RESULTS)).scalars()]


def gp_office(session, code):
    if not re.fullmatch(r"32\d{8}", code):
        raise BadRequest("GP code must be the 10-digit NREGA code 32DDBBBPPP")
    gp = session.get(GramPanchayat, code)
    if gp is None:
        raise NotFound("no such Gram Panchayat")
    return {
        "gp_code": gp.code,
        "name_en": gp.name_en,
        "name_bn": gp.name_bn,
        "block_name_en": gp.block.name_en,
        "district_name_en": gp.block.district.name_en,
        "address_en": gp.address_en,
        "address_bn": gp.address_bn,
        "phone": gp.phone,
        "hours": gp.hours,
        "hours_en": gp.hours,
        "hours_bn": gp.hours_bn or None,
    }


def register(app, prefix: str) -> None:
    @app.get(f"{prefix}/geo/districts")
    async def districts(request):
        return respond(await run_db(list_districts, request.args.get("q")))

    @app.get(f"{prefix}/geo/panchayat-samitis")
    async def blocks(request):
        return respond(
            await run_db(list_blocks, request.args.get("q"), request.args.get("district"))
        )

    @app.get(f"{prefix}/geo/gram-panchayats")
    async def gps(request):
        return respond(
            await run_db(
                list_gps,
                request.args.get("q"),
                request.args.get("block"),
                request.args.get("district"),
            )
        )

    @app.get(f"{prefix}/geo/gram-panchayats/<code:str>/office")
    async def office(request, code):
        return respond(await run_db(gp_office, param(code).strip()))
