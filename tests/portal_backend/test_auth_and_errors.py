import requests

from tests.portal_backend.conftest import error_code
from tests.support.portal_server import running_portal


def test_health_needs_no_key(api):
    r = api.get("/health", key=False)
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["clock"].startswith("2026-11-28")


def test_missing_or_wrong_key_is_401(api, portal):
    r = api.get("/geo/districts", key=False)
    assert r.status_code == 401 and error_code(r) == "unauthorized"
    r = requests.get(portal.base_url + "/geo/districts", headers={"X-Service-Key": "wrong"})
    assert r.status_code == 401 and error_code(r) == "unauthorized"


def test_personal_call_without_requester_is_400(api):
    card = api.ids["job_cards"][0]["job_card"]
    r = api.get(f"/karmashree/job-cards/{card.replace('/', '%2F')}")
    assert r.status_code == 400 and error_code(r) == "bad_request"
    r = api.get(f"/karmashree/job-cards/{card.replace('/', '%2F')}", mobile="12345")
    assert r.status_code == 400


def test_unknown_endpoint_is_json_404(api):
    r = api.get("/no/such/thing", mobile="919800000001")
    assert r.status_code == 404 and error_code(r) == "not_found"


MALFORMED = [
    "/karmashree/job-cards/hello",
    "/karmashree/job-cards/WB-99/status",
    "/karmashree/job-cards/%00%ff",
    "/trade-nocs/XYZ-1",
    "/trade-nocs/TN-2026-004500x/pdf",
    "/building-plans/12345",
    "/tourism/bookings/PTB",
    "/payroll/employees/WBP-12",
    "/payroll/employees/WBP-1002300/payslips/2026-13",
    "/payroll/employees/WBP-1002300/payslips/last-month/pdf",
    "/payroll/employees/WBP-1002300/salary-statements/2024-26",
    "/accounts/gram-panchayats/12/form26/2026-10",
    "/accounts/gram-panchayats/3208012002/form26/October",
    "/accounts/panchayat-samitis/32080/cash-analysis/2026-10",
    "/geo/gram-panchayats/abc/office",
]


def test_malformed_ids_are_400_never_500(api):
    mobile = api.ids["employees"][0]["mobile"]
    for path in MALFORMED:
        r = api.get(path, mobile=mobile)
        assert r.status_code == 400, path
        assert error_code(r) == "bad_request", path
        assert "Traceback" not in r.text


def test_unknown_ids_are_404(api):
    mobile = "919800000001"
    for path in [
        "/karmashree/job-cards/WB-3201009009-5-123",
        "/trade-nocs/TN-2019-000001",
        "/building-plans/BP-2019-000001",
        "/tourism/bookings/PTB-2019-000001",
        "/payroll/employees/WBP-9999999",
        "/geo/gram-panchayats/3299999999/office",
    ]:
        r = api.get(path, mobile=mobile)
        assert r.status_code == 404 and error_code(r) == "not_found", path


def test_bad_json_bodies_are_400(api, portal):
    card = api.ids["job_cards"][0]
    url = portal.base_url + f"/karmashree/job-cards/{card['karmashree_id']}/demands"
    r = requests.post(url, data="{not json", headers=portal.headers(card["mobile"]))
    assert r.status_code == 400
    r = requests.post(url, json=[1, 2], headers=portal.headers(card["mobile"]))
    assert r.status_code == 400
    r = requests.post(portal.base_url + "/otp", data=b"\xff\xfe", headers=portal.headers())
    assert r.status_code == 400


def test_fault_modes(api):
    try:
        r = api.post("/dev/fault", {"mode": "unavailable"})
        assert r.status_code == 200
        r = api.get("/geo/districts")
        assert r.status_code == 503 and error_code(r) == "unavailable"
        assert api.get("/health", key=False).status_code == 200
        assert api.get("/dev/outbox").status_code == 200
        assert api.post("/dev/fault", {"mode": "sideways"}).status_code == 400
        api.post("/dev/fault", {"mode": "slow", "delay_seconds": 0.6})
        r = api.get("/geo/districts")
        assert r.status_code == 200 and r.elapsed.total_seconds() >= 0.5
    finally:
        api.post("/dev/fault", {"mode": "none"})
    assert api.get("/geo/districts").status_code == 200


def test_dev_routes_can_be_disabled(tmp_path):
    with running_portal(tmp_path, dev_routes=False) as server:
        headers = server.headers()
        assert requests.get(server.base_url + "/dev/outbox", headers=headers).status_code == 404
        r = requests.post(
            server.base_url + "/dev/fault", json={"mode": "unavailable"}, headers=headers
        )
        assert r.status_code == 404
        assert requests.get(server.base_url + "/geo/districts", headers=headers).status_code == 200
