import re
from collections import Counter
from datetime import date

from portal_backend import demo_data
from portal_backend.demo_geography import DISTRICTS, iter_gram_panchayats


def _ids(today):
    _, ids = demo_data.build(today)
    ids.pop("clock_date")
    return ids


def test_same_clock_same_ids_and_server_agrees(api):
    assert _ids(date(2026, 11, 28)) == api.ids
    assert _ids(date(2026, 11, 28)) == _ids(date(2026, 11, 28))


def test_ids_shape():
    ids = _ids(date(2026, 11, 28))
    assert 250 <= len(ids["job_cards"]) <= 350
    assert len(ids["employees"]) >= 30 and len(ids["officials"]) >= 15
    mobiles = Counter(c["mobile"] for c in ids["job_cards"])
    assert any(n == 2 for n in mobiles.values())
    every = (
        [c["mobile"] for c in ids["job_cards"]]
        + [e["mobile"] for e in ids["employees"]]
        + [o["mobile"] for o in ids["officials"]]
        + ids["strangers"]
    )
    assert all(m.startswith("9198") and len(m) == 12 for m in every)
    assert not set(ids["strangers"]) & set(every[: -len(ids["strangers"])])
    assert ids["job_cards"][0]["job_card"] == "WB-08-012-002-002/270"
    assert ids["officials"][0]["gram_panchayats"] and ids["officials"][0]["panchayat_samitis"]


def test_geography_is_complete():
    assert len(DISTRICTS) == 22
    codes = [g["code"] for _, _, g in iter_gram_panchayats()]
    assert len(codes) == len(set(codes))
    assert any(g["name_en"] == "Dogachi" for _, _, g in iter_gram_panchayats())
    for d in DISTRICTS:
        assert d["name_bn"] and d["blocks"]
        for b in d["blocks"]:
            assert b["code"].startswith(d["code"]) and b["name_bn"]


def test_other_dates_still_have_current_year_data():
    for today in (date(2027, 4, 20), date(2025, 1, 5)):
        ids = _ids(today)
        assert ids["job_cards"][0]["job_card"] == "WB-08-012-002-002/270"


def test_every_demo_employee_has_a_bengali_name_and_designation(api):
    from portal_backend import demo_names

    bengali_only = re.compile(r"^[\u0980-\u09FF][\u0980-\u09FF \-]*$")
    for e in api.ids["employees"]:
        r = api.get(f"/payroll/employees/{e['employee_id']}", mobile=e["mobile"])
        assert r.status_code == 200, r.text
        employee = r.json()
        assert employee["name"] == e["name"]
        assert employee["name_bn"] == demo_names.name_bn(e["name"]), employee
        for field in ("name_bn", "designation_bn"):  # every word written in Bengali
            assert bengali_only.match(employee[field] or ""), (field, employee)
