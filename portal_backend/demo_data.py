"""`init-demo`: the demo dataset, generated from a fixed seed relative to `sathi.clock.today()`.

Same clock date -> byte-identical data and demo ids on every machine. The first record of
each demo-ids list is a showcase (see docs/portal-backend.md).
"""

from __future__ import annotations

import logging
import random

from sqlalchemy import inspect, select

from portal_backend import db, demo_accounts, demo_karmashree, demo_people, demo_services
from portal_backend.demo_geography import DISTRICTS
from portal_backend.geo_search import all_keys
from portal_backend.models import Base, DemoMeta, District, GeoName, GramPanchayat, PanchayatSamiti
from sathi import clock

SEED = 20240307  # Karmashree notification date
# 2: Bengali office hours, work names, remarks, property names; 3: employees' names and posts
DATASET_VERSION = 3
STRANGERS = [f"9198009{n:05d}" for n in range(1, 6)]
log = logging.getLogger(__name__)


def _gp_office(rng, district, block, gp) -> dict:
    return {
        "address_en": f"{gp['name_en']} Gram Panchayat Office, P.O. {gp['name_en']}, "
        f"Block {block['name_en']}, District {district['name_en']}, West Bengal",
        "address_bn": f"{gp['name_bn']} গ্রাম পঞ্চায়েত অফিস, ডাকঘর {gp['name_bn']}, "
        f"ব্লক {block['name_bn']}, জেলা {district['name_bn']}",
        "phone": f"0{rng.randint(3210, 3499)}-{rng.randint(200000, 299999)}",
        "hours": "Mon-Fri 10 am to 5 pm, Sat 10 am to 2 pm",
        "hours_bn": "সোম থেকে শুক্র সকাল ১০টা থেকে বিকেল ৫টা, শনিবার সকাল ১০টা থেকে দুপুর ২টো",
    }


def geography_rows(rng) -> list:
    rows = []
    for d in DISTRICTS:
        rows.append(
            District(
                code=d["code"],
                lgd_code=d["lgd_code"],
                name_en=d["name_en"],
                name_bn=d["name_bn"],
                aliases=d["aliases"],
            )
        )
        rows += [
            GeoName(kind="district", code=d["code"], name_key=k)
            for k in all_keys(d["name_en"], d["name_bn"], d["aliases"])
        ]
        for b in d["blocks"]:
            rows.append(
                PanchayatSamiti(
                    code=b["code"],
                    lgd_code=b["lgd_code"],
                    district_code=d["code"],
                    name_en=b["name_en"],
                    name_bn=b["name_bn"],
                    aliases=b["aliases"],
                )
            )
            rows += [
                GeoName(kind="block", code=b["code"], name_key=k)
                for k in all_keys(b["name_en"], b["name_bn"], b["aliases"])
            ]
            for g in b["gram_panchayats"]:
                rows.append(
                    GramPanchayat(
                        code=g["code"],
                        lgd_code=g["lgd_code"],
                        block_code=b["code"],
                        name_en=g["name_en"],
                        name_bn=g["name_bn"],
                        aliases=g["aliases"],
                        invented=g["invented"],
                        **_gp_office(rng, d, b, g),
                    )
                )
                rows += [
                    GeoName(kind="gp", code=g["code"], name_key=k)
                    for k in all_keys(g["name_en"], g["name_bn"], g["aliases"])
                ]
    return rows


def _geo_lists() -> dict:
    """Codes and names, the showcase GP / its block / its district first."""
    gps, blocks, districts, gp_block, block_names, villages = [], [], [], {}, {}, {}
    villages_bn = {}
    for d in DISTRICTS:
        districts.append((d["code"], d["name_en"]))
        for b in d["blocks"]:
            blocks.append((b["code"], b["name_en"]))
            block_names[b["code"]] = b["name_en"]
            for g in b["gram_panchayats"]:
                gps.append((g["code"], g["name_en"]))
                gp_block[g["code"]] = b["code"]
                villages[g["code"]] = g["name_en"]
                villages_bn[g["code"]] = g["name_bn"]
    showcase = demo_karmashree.SHOWCASE_GP

    def first(items, code):
        return sorted(items, key=lambda item: item[0] != code)

    return {
        "gps": first(gps, showcase),
        "blocks": first(blocks, showcase[:7]),
        "districts": first(districts, showcase[:4]),
        "gp_block": gp_block,
        "block_names": block_names,
        "villages": villages,
        "villages_bn": villages_bn,
    }


def build(today) -> tuple[list, dict]:
    """All rows and the demo ids for the given date."""
    rng = random.Random(SEED)
    geo = _geo_lists()
    gp_names = dict(geo["gps"])
    rows = geography_rows(rng)
    karma = demo_karmashree.build(
        random.Random(SEED + 1),
        today,
        [c for c, _ in geo["gps"]],
        geo["villages"],
        geo["villages_bn"],
    )
    employees = demo_people.build_employees(random.Random(SEED + 2), today, geo)
    officials = demo_people.build_officials(random.Random(SEED + 3), geo, geo["gp_block"], {})
    trade = demo_services.build_trade_nocs(random.Random(SEED + 4), today, geo["gps"])
    plans = demo_services.build_building_plans(random.Random(SEED + 5), today, geo["gps"])
    tourism = demo_services.build_tourism(random.Random(SEED + 6), today)
    rows += (
        karma["rows"]
        + employees["rows"]
        + officials["rows"]
        + trade["rows"]
        + plans["rows"]
        + tourism["rows"]
    )
    rows += demo_accounts.build_gp_accounts(random.Random(SEED + 7), today, sorted(gp_names))
    rows += demo_accounts.build_ps_cash_books(
        random.Random(SEED + 8), today, sorted(code for code, _ in geo["blocks"])
    )
    job_cards = [
        {
            "job_card": c["job_card"],
            "karmashree_id": c["karmashree_id"],
            "mobile": c["mobile"],
            "head": c["head"],
            "gp_name_en": gp_names[c["gp_code"]],
        }
        for c in karma["ids"]
    ]
    ids = {
        "clock_date": today.isoformat(),
        "job_cards": job_cards,
        "employees": employees["ids"],
        "officials": officials["ids"],
        "trade_nocs": trade["ids"],
        "building_plans": plans["ids"],
        "bookings": tourism["ids"],
        "strangers": list(STRANGERS),
    }
    return rows, ids


def is_loaded(engine) -> bool:
    db.create_schema(engine)
    with db.session_scope(engine) as session:
        if session.get(DemoMeta, "demo_ids") is None:
            return False
        dataset = session.get(DemoMeta, "dataset")  # an older dataset's shape is rebuilt
        return dataset is not None and (dataset.value or {}).get("version") == DATASET_VERSION


def init_demo(force: bool = False, engine=None) -> bool:
    """Create the schema and load the dataset; skip when present unless force. True if loaded."""
    engine = engine or db.engine_for()
    if not force and is_loaded(engine):
        log.info("demo data already present; use --force to regenerate")
        return False
    db.drop_schema(engine)
    db.create_schema(engine)
    today = clock.today()
    rows, ids = build(today)
    by_table: dict = {}
    for row in rows:
        by_table.setdefault(row.__table__.name, []).append(row)
    with db.session_scope(engine) as session:
        for table in Base.metadata.sorted_tables:  # parents before children
            if table.name in by_table:
                session.add_all(by_table[table.name])
                session.flush()
        session.add(DemoMeta(key="demo_ids", value=ids))
        session.add(
            DemoMeta(
                key="dataset",
                value={"seed": SEED, "version": DATASET_VERSION, "clock_date": today.isoformat()},
            )
        )
    log.info("demo data loaded for %s: %d rows", today, len(rows))
    return True


def demo_ids(engine=None) -> dict | None:
    engine = engine or db.engine_for()
    if not inspect(engine).has_table(DemoMeta.__tablename__):
        return None
    with db.session_scope(engine) as session:
        meta = session.execute(
            select(DemoMeta).where(DemoMeta.key == "demo_ids")
        ).scalar_one_or_none()
        if meta is None:
            return None
        value = dict(meta.value)
        value.pop("clock_date", None)
        return value
