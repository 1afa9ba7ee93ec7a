"""Demo Trade NOC and building plan applications, tourism properties and bookings."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal_backend import demo_names as names
from portal_backend.models import Booking, BuildingPlan, TourismProperty, TradeNoc

TRADE_STATUSES = ["approved", "submitted", "under_verification", "rejected"]
PLAN_STATUSES = ["approved", "site_inspection", "submitted", "rejected"]
BOOKING_STATUSES = ["confirmed", "payment_pending", "cancelled"]


def _name(rng) -> str:
    pool = names.MALE_FIRST if rng.random() < 0.6 else names.FEMALE_FIRST
    return f"{rng.choice(pool)} {rng.choice(names.SURNAMES)}"


def build_trade_nocs(rng: random.Random, today: date, gps: list, count: int = 24) -> dict:
    objects, ids = [], []
    for i in range(count):
        status = TRADE_STATUSES[i % 4]
        gp_code, gp_name = gps[0] if i < 4 else rng.choice(gps)
        owner = _name(rng)
        trade_type, pattern = rng.choice(names.TRADE_TYPES)
        applied = today - timedelta(
            days=rng.randint(5, 300) if status != "submitted" else rng.randint(1, 20)
        )
        app_no = f"TN-{applied.year}-{4500 + i * 13:06d}"
        cert_no = issued = valid = None
        remarks, remarks_bn = {
            "submitted": (
                "Application received; awaiting verification.",
                "আবেদন জমা পড়েছে, যাচাইয়ের অপেক্ষায় আছে।",
            ),
            "under_verification": (
                "Field verification by the GP is in progress.",
                "গ্রাম পঞ্চায়েত সরেজমিনে যাচাই করছে।",
            ),
            "rejected": (
                "Rejected: trade premises not within this Gram Panchayat.",
                "ব্যবসার জায়গাটা এই গ্রাম পঞ্চায়েতের এলাকার মধ্যে পড়ে না",
            ),
            "approved": ("Certificate issued.", "সার্টিফিকেট দেওয়া হয়েছে।"),
        }[status]
        if status == "approved":
            issued = min(applied + timedelta(days=rng.randint(7, 21)), today)
            years = 3 if i % 3 == 0 else 1
            valid = issued.replace(year=issued.year + years) - timedelta(days=1)
            cert_no = f"TNC-{issued.year}-{2100 + i * 7:06d}"
        mobile = f"9198003{i + 1:05d}" if i != 5 else "919800300001"  # one owner has two
        objects.append(
            TradeNoc(
                application_no=app_no,
                certificate_no=cert_no,
                status=status,
                trade_name=pattern.format(s=owner.split()[-1]),
                trade_type=trade_type,
                owner_name=owner,
                address=f"{rng.choice(names.VILLAGES)}, {gp_name}, P.O. {gp_name}",
                gp_code=gp_code,
                mobile=mobile,
                applied_on=applied,
                issued_on=issued,
                valid_until=valid,
                fee=rng.choice([100, 200, 500]),
                remarks=remarks,
                remarks_bn=remarks_bn,
            )
        )
        ids.append(
            {
                "application_no": app_no,
                "certificate_no": cert_no,
                "status": status,
                "mobile": mobile,
            }
        )
    return {"rows": objects, "ids": ids}


def build_building_plans(rng: random.Random, today: date, gps: list, count: int = 16) -> dict:
    objects, ids = [], []
    for i in range(count):
        status = PLAN_STATUSES[i % 4]
        gp_code, gp_name = gps[0] if i < 4 else rng.choice(gps)
        applied = today - timedelta(
            days=rng.randint(10, 200) if status != "submitted" else rng.randint(1, 9)
        )
        app_no = f"BP-{applied.year}-{800 + i * 11:06d}"
        approval_no = approved = valid = None
        if status == "approved":
            approved = min(applied + timedelta(days=rng.randint(15, 40)), today)
            approval_no = f"{gp_code}/BP/{approved.year}/{31 + i:04d}"
            valid = approved.replace(year=approved.year + 3) - timedelta(days=1)
        remarks, remarks_bn = {
            "submitted": ("Application on Form 4 received.", "ফর্ম ৪-এ আবেদন জমা পড়েছে।"),
            "site_inspection": (
                "Site inspection by the Nirman Sahayak is scheduled.",
                "নির্মাণ সহায়ক জমি দেখতে যাবেন, দিন ঠিক হয়েছে।",
            ),
            "rejected": (
                "Rejected: the plot is recorded as agricultural (sali) land; conversion required.",
                "জমিটা রেকর্ডে শালি (চাষের) জমি হিসেবে আছে, আগে জমির চরিত্র বদল (কনভার্সন) করাতে হবে",
            ),
            "approved": ("Plan approved.", "প্ল্যান মঞ্জুর হয়েছে।"),
        }[status]
        mobile = f"9198003{101 + i:05d}"
        objects.append(
            BuildingPlan(
                application_no=app_no,
                status=status,
                applicant_name=_name(rng),
                address=f"{rng.choice(names.VILLAGES)}, {gp_name}",
                gp_code=gp_code,
                mobile=mobile,
                mouza=f"{rng.choice(names.VILLAGES)}",
                jl_no=str(rng.randint(1, 180)),
                khatian_no=str(rng.randint(10, 2999)),
                plot_no=str(rng.randint(1, 1800)),
                plot_area_sqm=rng.randint(60, 400),
                floors=rng.choice([1, 1, 2, 2, 3]),
                applied_on=applied,
                approval_no=approval_no,
                approved_on=approved,
                valid_until=valid,
                conditions=list(names.BUILDING_CONDITIONS) if approved else [],
                remarks=remarks,
                remarks_bn=remarks_bn,
            )
        )
        ids.append({"application_no": app_no, "status": status, "mobile": mobile})
    return {"rows": objects, "ids": ids}


def build_tourism(rng: random.Random, today: date, count: int = 18) -> dict:
    objects, ids = [], []
    for pid, (name, kind, district, address, tariff) in enumerate(
        names.TOURISM_PROPERTIES, start=1
    ):
        objects.append(
            TourismProperty(
                id=pid,
                name=name,
                name_bn=names.TOURISM_PROPERTIES_BN[pid - 1],
                kind=kind,
                district_code=district,
                address=address,
                phone=f"0{rng.randint(3200, 3499)}-{rng.randint(200000, 299999)}",
                tariff_per_room_night=tariff,
            )
        )
    for i in range(count):
        status = BOOKING_STATUSES[i % 3]
        pid = 1 + (i % len(names.TOURISM_PROPERTIES))
        tariff = names.TOURISM_PROPERTIES[pid - 1][4]
        booked = today - timedelta(days=rng.randint(1, 40))
        check_in = booked + timedelta(days=rng.randint(3, 70))
        if i % 5 == 4:  # some stays already over
            check_in = today - timedelta(days=rng.randint(3, 20))
            booked = check_in - timedelta(days=rng.randint(5, 30))
        nights = rng.randint(1, 3)
        rooms = rng.randint(1, 3)
        amount = tariff * rooms * nights
        paid = amount if status == "confirmed" else (0 if status == "payment_pending" else amount)
        booking_no = f"PTB-{booked.year}-{1200 + i * 17:06d}"
        mobile = f"9198004{i + 1:05d}"
        objects.append(
            Booking(
                booking_no=booking_no,
                status=status,
                property_id=pid,
                guest_name=_name(rng),
                mobile=mobile,
                booked_on=booked,
                check_in=check_in,
                check_out=check_in + timedelta(days=nights),
                rooms=rooms,
                guests=rooms * rng.randint(1, 3),
                amount=amount,
                amount_paid=paid,
                payment_ref=(f"WBPTPAY{booked.strftime('%Y%m%d')}{i:04d}" if paid else None),
                id_type=rng.choice(names.ID_TYPES),
            )
        )
        ids.append({"booking_no": booking_no, "status": status, "mobile": mobile})
    return {"rows": objects, "ids": ids}
