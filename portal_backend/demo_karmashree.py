"""Demo job cards, workers, demands, allocations and employment (Karmashree)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal_backend import demo_names as names
from portal_backend.models import Allocation, Employment, JobCard, WorkDemand, Worker
from sathi.clock import FinancialYear
from sathi.identifiers import JobCardNumber

JOB_CARD_COUNT = 300
SHARED_MOBILE_CARDS = 20  # the last 20 cards belong to mobiles that own another card
SHOWCASE_GP = "3208012002"  # Dogachi, Udaynarayanpur, Howrah
KNOWN_WAGE_RATES = {2023: 237, 2024: 250, 2025: 252}  # Rs./day; later years invented


def wage_rate(fy: FinancialYear) -> int:
    if fy.start_year in KNOWN_WAGE_RATES:
        return KNOWN_WAGE_RATES[fy.start_year]
    return 252 + 8 * max(0, fy.start_year - 2025)


def job_card_mobile(index: int) -> str:
    """Card i (0-based) -> 9198000 0 NNNN; the last cards reuse earlier mobiles."""
    owners = JOB_CARD_COUNT - SHARED_MOBILE_CARDS
    n = index + 1 if index < owners else (index - owners) * 11 + 3
    return f"9198000{n:05d}"


def worker_id(card: JobCardNumber, n: int) -> str:
    return (
        f"KW-{card.district:02d}{card.block:03d}{card.panchayat:03d}"
        f"{card.village:03d}{card.family:03d}-{n:02d}"
    )


def _person(rng: random.Random, gender: str, surname: str) -> str:
    first = rng.choice(names.FEMALE_FIRST if gender == "F" else names.MALE_FIRST)
    return f"{first} {surname}"


def _card_numbers(rng, gp_codes: list[str]) -> list[tuple[str, JobCardNumber]]:
    seen, out = set(), []
    first = JobCardNumber(8, 12, 2, 2, 270)
    out.append((SHOWCASE_GP, first))
    seen.add(first)
    while len(out) < JOB_CARD_COUNT:
        gp = SHOWCASE_GP if len(out) < 40 else rng.choice(gp_codes)
        card = JobCardNumber(
            int(gp[2:4]), int(gp[4:7]), int(gp[7:10]), rng.randint(1, 15), rng.randint(1, 450)
        )
        if card not in seen:
            seen.add(card)
            out.append((gp, card))
    return out


def _days_target(rng, index: int) -> int:
    if index == 0:
        return 34
    roll = rng.random()
    if roll < 0.12:
        return 0
    if roll < 0.25:
        return rng.randint(50, 58)
    return rng.randint(4, 49)


def _work_rows(rng, total_days: int, fy: FinancialYear, today: date, span_end: date):
    """Split total_days into 1-4 spells between the FY start and span_end."""
    start = fy.first_day
    span = (span_end - start).days
    if total_days <= 0 or span < 2:
        return []
    total_days = min(total_days, span)
    pieces = min(rng.randint(1, 4), total_days)
    cuts = sorted(rng.sample(range(1, total_days), pieces - 1)) if pieces > 1 else []
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [total_days])]
    rows, cursor = [], start
    for i, size in enumerate(sizes):
        room = (span_end - cursor).days - sum(sizes[i:]) - (len(sizes) - i)
        gap = rng.randint(0, max(0, min(room, 40)))
        begin = cursor + timedelta(days=gap)
        end = begin + timedelta(days=size - 1)
        rows.append((begin, end, size))
        cursor = end + timedelta(days=1)
    return rows


def build(
    rng: random.Random,
    today: date,
    gp_codes: list[str],
    gp_villages: dict,
    gp_villages_bn: dict | None = None,
) -> dict:
    """Returns {"rows": [...orm objects], "ids": [demo id dicts], "receipt_seq": n}."""
    fy = FinancialYear.containing(today)
    previous_fy = FinancialYear(fy.start_year - 1)
    objects, ids = [], []
    receipt_seq = 0
    for index, (gp, card) in enumerate(_card_numbers(rng, gp_codes)):
        surname = rng.choice(names.SURNAMES)
        head_gender = "M" if rng.random() < 0.7 else "F"
        head = _person(rng, head_gender, surname)
        mobile = job_card_mobile(index)
        objects.append(
            JobCard(
                job_card=card.nrega,
                karmashree_id=card.karmashree,
                gp_code=gp,
                head_of_household=head,
                head_of_household_bn=names.name_bn(head),
                mobile=mobile,
                registered_on=date(2006 + rng.randint(0, 16), rng.randint(1, 12), 1),
            )
        )
        members = [(head, rng.randint(28, 62), head_gender)]
        for _ in range(rng.randint(0, 3)):
            gender = "F" if rng.random() < 0.55 else "M"
            members.append((_person(rng, gender, surname), rng.randint(18, 60), gender))
        worker_ids = []
        for n, (name, age, gender) in enumerate(members, start=1):
            wid = worker_id(card, n)
            worker_ids.append(wid)
            objects.append(
                Worker(
                    worker_id=wid,
                    job_card=card.nrega,
                    name=name,
                    name_bn=names.name_bn(name),
                    age=age,
                    gender=gender,
                )
            )
        village = gp_villages.get(gp, "the village")
        village_bn = (gp_villages_bn or {}).get(gp, "গ্রাম")
        pending_forced = index == 0 or rng.random() < 0.25
        for which_fy, days_total, span_end in (
            (previous_fy, rng.randint(0, 60), previous_fy.last_day),
            (fy, _days_target(rng, index), today - timedelta(days=1)),
        ):
            rows = _work_rows(rng, days_total, which_fy, today, span_end)
            for r, (begin, end, days) in enumerate(rows):
                work, work_bn, scheme = rng.choice(names.KARMASHREE_WORKS)
                hamlet = rng.randrange(len(names.VILLAGES))  # = rng.choice: the same draw
                work = work.format(v=f"{names.VILLAGES[hamlet]}, {village}")
                work_bn = work_bn.format(v=f"{names.VILLAGES_BN[hamlet]}, {village_bn}")
                wid = rng.choice(worker_ids)
                paid_on = end + timedelta(days=rng.randint(7, 15))
                last = r == len(rows) - 1
                if paid_on >= today or (which_fy == fy and last and pending_forced):
                    paid_on = None
                objects.append(
                    Allocation(
                        job_card=card.nrega,
                        worker_id=wid,
                        fy=which_fy.label,
                        work_name=work,
                        work_name_bn=work_bn,
                        scheme=scheme,
                        from_date=begin,
                        to_date=end,
                        days=days,
                    )
                )
                objects.append(
                    Employment(
                        job_card=card.nrega,
                        worker_id=wid,
                        fy=which_fy.label,
                        work_name=work,
                        work_name_bn=work_bn,
                        days=days,
                        wage_amount=days * wage_rate(which_fy),
                        worked_until=end,
                        paid_on=paid_on,
                    )
                )
                receipt_seq += 1
                objects.append(
                    WorkDemand(
                        receipt_no=f"KD-{begin.year}-{receipt_seq:06d}",
                        job_card=card.nrega,
                        worker_id=wid,
                        days=min(days, 14),
                        from_date=begin,
                        demanded_on=begin - timedelta(days=rng.randint(3, 12)),
                        status="allocated",
                    )
                )
        if index == 2 or (index > 3 and rng.random() < 0.15):
            receipt_seq += 1
            start = today + timedelta(days=rng.randint(2, 10))
            objects.append(
                WorkDemand(
                    receipt_no=f"KD-{today.year}-{receipt_seq:06d}",
                    job_card=card.nrega,
                    worker_id=worker_ids[-1],
                    days=rng.randint(5, 14),
                    from_date=start,
                    demanded_on=today - timedelta(days=rng.randint(1, 5)),
                    status="open",
                )
            )
        ids.append(
            {
                "job_card": card.nrega,
                "karmashree_id": card.karmashree,
                "mobile": mobile,
                "head": head,
                "gp_code": gp,
            }
        )
    return {"rows": objects, "ids": ids, "receipt_seq": receipt_seq}
