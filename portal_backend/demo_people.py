"""Demo PRI employees with 24 months of salary, and officials with their registrations."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal_backend import demo_names as names
from portal_backend.models import Employee, Official, OfficialRegistration, SalaryMonth
from sathi.clock import month_key

EMPLOYEE_COUNT = 40
PROCESSING_LAST_MONTH = (3, 7, 12, 21)  # employee indexes whose last month is still processing
GP_POSTS = [
    ("Secretary", 39500),
    ("Executive Assistant", 28900),
    ("Nirman Sahayak", 31200),
    ("Gram Panchayat Karmee", 22700),
    ("Sahayak", 18500),
]
PS_POSTS = [("Upper Division Clerk", 32100), ("Cashier", 30300), ("Sub-Assistant Engineer", 41800)]
ZP_POSTS = [("Accountant", 38100), ("Upper Division Assistant", 33400)]
# The posts as a West Bengal panchayat office writes them in Bengali.
DESIGNATIONS_BN = {
    "Secretary": "সচিব",
    "Executive Assistant": "নির্বাহী সহায়ক",
    "Nirman Sahayak": "নির্মাণ সহায়ক",
    "Gram Panchayat Karmee": "গ্রাম পঞ্চায়েত কর্মী",
    "Sahayak": "সহায়ক",
    "Upper Division Clerk": "উচ্চবর্গীয় করণিক",
    "Cashier": "ক্যাশিয়ার",
    "Sub-Assistant Engineer": "উপ-সহকারী বাস্তুকার",
    "Accountant": "হিসাবরক্ষক",
    "Upper Division Assistant": "উচ্চবর্গীয় সহায়ক",
}


def months_back(today: date, count: int) -> list[str]:
    """The `count` months before the current one, oldest first."""
    out, cursor = [], today.replace(day=1)
    for _ in range(count):
        cursor = (cursor - timedelta(days=1)).replace(day=1)
        out.append(month_key(cursor))
    return list(reversed(out))


def _month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    first_next = date(year + mon // 12, mon % 12 + 1, 1)
    day = first_next - timedelta(days=1)
    while day.weekday() == 6:  # never credited on a Sunday
        day -= timedelta(days=1)
    return day


def professional_tax(gross: int) -> int:
    """West Bengal slabs (monthly gross)."""
    if gross <= 10000:
        return 0
    if gross <= 15000:
        return 110
    if gross <= 25000:
        return 130
    if gross <= 40000:
        return 150
    return 200


def salary_components(basic: int, month: str, income_tax: int, loan: int) -> dict:
    da_rate = 0.14 if month < "2025-04" else 0.18  # reference values, see docs
    da = round(basic * da_rate)
    hra = min(round(basic * 0.12), 12000)
    ma = 500
    gross = basic + da + hra + ma
    cpf = round((basic + da) * 0.10)
    ptax = professional_tax(gross)
    gsli = 60
    deductions = cpf + ptax + income_tax + gsli + loan
    return {
        "basic": basic,
        "da": da,
        "hra": hra,
        "ma": ma,
        "cpf": cpf,
        "professional_tax": ptax,
        "income_tax": income_tax,
        "gsli": gsli,
        "loan": loan,
        "gross": gross,
        "deductions": deductions,
        "net": gross - deductions,
    }


def build_employees(rng: random.Random, today: date, geo: dict) -> dict:
    """geo: {"gps": [(code, name_en)], "blocks": [...], "districts": [...]} (showcase first)."""
    objects, ids = [], []
    months = months_back(today, 24)
    for i in range(EMPLOYEE_COUNT):
        level = "GP" if i % 5 in (0, 1, 2) else ("PS" if i % 5 == 3 else "ZP")
        posts = {"GP": GP_POSTS, "PS": PS_POSTS, "ZP": ZP_POSTS}[level]
        designation, basic0 = posts[(i // 5) % len(posts)] if i else GP_POSTS[0]
        if level == "GP":
            code, place = geo["gps"][0 if i < 3 else rng.randrange(len(geo["gps"]))]
            office = f"{place} Gram Panchayat"
        elif level == "PS":
            code, place = geo["blocks"][0 if i < 9 else rng.randrange(len(geo["blocks"]))]
            office = f"{place} Panchayat Samiti"
        else:
            code, place = geo["districts"][0 if i < 10 else rng.randrange(len(geo["districts"]))]
            office = f"{place} Zilla Parishad"
        gender = "F" if rng.random() < 0.4 else "M"
        first = rng.choice(names.FEMALE_FIRST if gender == "F" else names.MALE_FIRST)
        name = f"{first} {rng.choice(names.SURNAMES)}"
        employee_id = f"WBP-{1002300 + i * 37:07d}"
        mobile = f"9198001{i + 1:05d}"
        joined_index = 0 if i % 9 != 5 else rng.randint(6, 18)  # a few joined recently
        joined = date(int(months[joined_index][:4]), int(months[joined_index][5:7]), 1)
        if joined_index == 0:
            joined = date(2005 + rng.randint(0, 14), rng.randint(1, 12), 1)
        objects.append(
            Employee(
                employee_id=employee_id,
                name=name,
                name_bn=names.name_bn(name),
                designation=designation,
                designation_bn=DESIGNATIONS_BN[designation],
                level=level,
                office=office,
                office_code=code,
                mobile=mobile,
                bank_account="XXXXXXXX" + f"{rng.randint(0, 9999):04d}",
                ifsc=rng.choice(["SBIN0001234", "PUNB0456700", "UCBA0002345", "BKID0004567"]),
                pran=f"1100{rng.randint(10**7, 10**8 - 1)}",
                joined_on=joined,
            )
        )
        basic = basic0 + rng.randint(0, 12) * 300
        income_tax = 0 if basic < 38000 else rng.choice([0, 800, 1500, 2400])
        loan = rng.choice([0, 0, 0, 2500, 4000])
        for m_index, month in enumerate(months[joined_index:]):
            if month.endswith("-07") and m_index:
                basic = int(round(basic * 1.03 / 100.0) * 100)  # annual increment in July
            comp = salary_components(basic, month, income_tax, loan)
            last = month == months[-1]
            processing = last and i in PROCESSING_LAST_MONTH
            credited = None if processing else _month_end(month)
            if credited is not None and credited >= today:
                credited, processing = None, True
            objects.append(
                SalaryMonth(
                    employee_id=employee_id,
                    month=month,
                    status="processing" if processing else "paid",
                    credited_on=credited,
                    bank_ref=None
                    if processing
                    else f"IFMS{month.replace('-', '')}{(i + 1) * 7919 % 1000000:06d}",
                    **comp,
                )
            )
        ids.append({"employee_id": employee_id, "mobile": mobile, "name": name})
    return {"rows": objects, "ids": ids}


OFFICIAL_POSTS = {
    "gp": ["Pradhan", "Secretary", "Executive Assistant", "Upa-Pradhan"],
    "ps": ["Block Development Officer", "Joint BDO", "Sabhapati", "Executive Officer"],
    "district": [
        "District Panchayat & Rural Development Officer",
        "Additional District Magistrate (Zilla Parishad)",
    ],
}


def build_officials(rng: random.Random, geo: dict, gp_block: dict, block_district: dict) -> dict:
    """~20 officials. officials[0] is registered for the showcase GP and its PS."""
    objects, ids = [], []
    plans = (
        [("gp+ps", 0)]
        + [("gp", k) for k in range(1, 9)]
        + [("ps", k) for k in range(6)]
        + [("district", k) for k in range(4)]
        + [("gp", 0)]
    )
    for i, (kind, k) in enumerate(plans):
        gender = "F" if rng.random() < 0.35 else "M"
        name = (
            f"{rng.choice(names.FEMALE_FIRST if gender == 'F' else names.MALE_FIRST)} "
            f"{rng.choice(names.SURNAMES)}"
        )
        mobile = f"9198002{i + 1:05d}"
        regs: dict[str, list[tuple[str, str]]] = {
            "gram_panchayats": [],
            "panchayat_samitis": [],
            "districts": [],
        }
        if kind in ("gp", "gp+ps"):
            gp = geo["gps"][k if k < 3 else rng.randrange(len(geo["gps"]))]
            regs["gram_panchayats"].append(gp)
            if kind == "gp+ps":
                block_code = gp_block[gp[0]]
                regs["panchayat_samitis"].append((block_code, geo["block_names"][block_code]))
            post = OFFICIAL_POSTS["gp"][i % 4] if i else "Secretary"
        elif kind == "ps":
            regs["panchayat_samitis"].append(
                geo["blocks"][k if k < 2 else rng.randrange(len(geo["blocks"]))]
            )
            post = OFFICIAL_POSTS["ps"][i % 4]
        else:
            regs["districts"].append(
                geo["districts"][k if k < 1 else rng.randrange(len(geo["districts"]))]
            )
            post = OFFICIAL_POSTS["district"][i % 2]
        official = Official(id=i + 1, mobile=mobile, name=name, designation=post)
        objects.append(official)
        for level, key in (
            ("gp", "gram_panchayats"),
            ("ps", "panchayat_samitis"),
            ("district", "districts"),
        ):
            for code, _ in regs[key]:
                objects.append(OfficialRegistration(official_id=i + 1, level=level, code=code))
        ids.append(
            {
                "mobile": mobile,
                "name": name,
                "designation": post,
                **{key: [{"code": c, "name_en": n} for c, n in regs[key]] for key in regs},
            }
        )
    return {"rows": objects, "ids": ids}
