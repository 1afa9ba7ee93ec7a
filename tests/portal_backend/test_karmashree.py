from datetime import date, timedelta

from tests.portal_backend.conftest import error_code

TODAY = date(2026, 11, 28)


def _card(api):
    return api.ids["job_cards"][0]


def test_both_shapes_and_sloppy_input_reach_the_same_card(api):
    card = _card(api)
    shapes = [
        card["job_card"].replace("/", "%2F"),
        card["karmashree_id"],
        "wb 08 012 002 002 270",
        "wb-08-012-002-002-270",
        "WB08012002002270",
        "WB-০৮-০১২-০০২-০০২%2F২৭০",
    ]
    bodies = [api.get(f"/karmashree/job-cards/{s}", mobile=card["mobile"]) for s in shapes]
    assert all(b.status_code == 200 for b in bodies), [b.text for b in bodies]
    assert {b.json()["job_card"] for b in bodies} == {card["job_card"]}
    assert bodies[0].json()["karmashree_id"] == card["karmashree_id"]
    assert bodies[0].json()["head_of_household"] == card["head"]


def test_stranger_gets_403_without_owner_data(api):
    card = _card(api)
    stranger = api.ids["strangers"][0]
    for suffix in ("", "/status", "/demands"):
        r = api.get(f"/karmashree/job-cards/{card['karmashree_id']}{suffix}", mobile=stranger)
        assert r.status_code == 403 and error_code(r) == "not_yours"
        for secret in (card["head"], card["mobile"], card["head"].split()[-1], card["gp_name_en"]):
            assert secret not in r.text


def test_showcase_status_has_days_and_pending_wages(api):
    card = _card(api)
    s = api.get(
        f"/karmashree/job-cards/{card['karmashree_id']}/status", mobile=card["mobile"]
    ).json()
    assert s["fy"] == "2026-27" and s["entitlement_days"] == 50
    assert 0 < s["days_provided"] < 50
    assert s["days_remaining"] == 50 - s["days_provided"]
    assert s["days_provided"] == sum(e["days"] for e in s["employment"])
    assert s["wages_pending_total"] > 0 and s["wages_paid_total"] > 0
    assert s["wages_pending_total"] == sum(
        e["wage_amount"] for e in s["employment"] if e["paid_on"] is None
    )
    assert s["last_payment_date"] is not None
    previous = api.get(
        f"/karmashree/job-cards/{card['karmashree_id']}/status?fy=2025-26", mobile=card["mobile"]
    )
    assert previous.status_code == 200 and previous.json()["fy"] == "2025-26"
    assert (
        api.get(
            f"/karmashree/job-cards/{card['karmashree_id']}/status?fy=26", mobile=card["mobile"]
        ).status_code
        == 400
    )


def test_demo_cards_cover_zero_to_fifty_plus_days(api):
    seen = []
    for card in api.ids["job_cards"][:60]:
        s = api.get(
            f"/karmashree/job-cards/{card['karmashree_id']}/status", mobile=card["mobile"]
        ).json()
        seen.append(s["days_provided"])
    assert min(seen) == 0 and max(seen) >= 50


def _demand_path(card):
    return f"/karmashree/job-cards/{card['karmashree_id']}/demands"


def test_demand_is_created_idempotent_and_overlap_is_409(api):
    card = api.ids["job_cards"][10]
    members = api.get(
        f"/karmashree/job-cards/{card['karmashree_id']}", mobile=card["mobile"]
    ).json()["members"]
    worker = members[0]["worker_id"]
    body = {"worker_id": worker, "days": 7, "from_date": (TODAY + timedelta(days=30)).isoformat()}
    first = api.post(_demand_path(card), body, mobile=card["mobile"])
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["status"] == "open" and receipt["receipt_no"].startswith("KD-2026-")
    again = api.post(_demand_path(card), body, mobile=card["mobile"])
    assert again.status_code == 200 and again.json()["receipt_no"] == receipt["receipt_no"]
    overlapping = dict(body, from_date=(TODAY + timedelta(days=33)).isoformat(), days=3)
    r = api.post(_demand_path(card), overlapping, mobile=card["mobile"])
    assert r.status_code == 409 and error_code(r) == "overlap"
    assert r.json()["error"]["open_demand"]["receipt_no"] == receipt["receipt_no"]
    listed = api.get(_demand_path(card), mobile=card["mobile"]).json()
    assert receipt["receipt_no"] in [d["receipt_no"] for d in listed]
    status = api.get(
        f"/karmashree/job-cards/{card['karmashree_id']}/status", mobile=card["mobile"]
    ).json()
    assert receipt["receipt_no"] in [d["receipt_no"] for d in status["open_demands"]]


def test_demand_validation(api):
    card = api.ids["job_cards"][11]
    members = api.get(
        f"/karmashree/job-cards/{card['karmashree_id']}", mobile=card["mobile"]
    ).json()["members"]
    worker = members[0]["worker_id"]
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    bad = [
        {"worker_id": worker, "days": 0, "from_date": tomorrow},
        {"worker_id": worker, "days": 15, "from_date": tomorrow},
        {"worker_id": worker, "days": "7", "from_date": tomorrow},
        {"worker_id": worker, "days": 5, "from_date": (TODAY - timedelta(days=1)).isoformat()},
        {"worker_id": worker, "days": 5, "from_date": "28/12/2026"},
        {"worker_id": "KW-00000000000000-01", "days": 5, "from_date": tomorrow},
        {},
    ]
    for body in bad:
        r = api.post(_demand_path(card), body, mobile=card["mobile"])
        assert r.status_code == 400 and error_code(r) == "bad_request", body
    r = api.post(
        _demand_path(card),
        {"worker_id": worker, "days": 5, "from_date": tomorrow},
        mobile=api.ids["strangers"][0],
    )
    assert r.status_code == 403
