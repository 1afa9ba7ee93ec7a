import re

from tests.portal_backend.conftest import error_code
from tests.support.portal_server import run_cli


def latest_code(api, mobile):
    messages = api.get("/dev/outbox", params={"mobile": mobile}).json()
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


def test_otp_flow(api, portal):
    mobile = "919800000111"
    sent = api.post("/otp", {"mobile": mobile, "purpose": "identity"})
    assert sent.status_code == 200 and sent.json()["expires_at"].startswith("2026-11-28")
    code = latest_code(api, mobile)
    wrong = "000000" if code != "000000" else "111111"
    r = api.post("/otp/verify", {"otp_id": sent.json()["otp_id"], "code": wrong})
    assert r.json() == {"verified": False, "tries_left": 2}
    r = api.post("/otp/verify", {"otp_id": sent.json()["otp_id"], "code": code})
    assert r.status_code == 200 and r.json()["verified"] is True
    r = api.post("/otp/verify", {"otp_id": sent.json()["otp_id"], "code": code})
    assert r.status_code == 410 and error_code(r) == "expired"
    printed = run_cli(portal.env, "outbox", "--mobile", mobile)
    assert code in printed
    log = portal.log_path.read_text()
    assert "OTP sent to ****0111" in log and code not in log and mobile not in log


def test_three_wrong_tries_start_cooldown(api):
    mobile = "919800000222"
    otp_id = api.post("/otp", {"mobile": mobile, "purpose": "identity"}).json()["otp_id"]
    code = latest_code(api, mobile)
    wrong = "000000" if code != "000000" else "111111"
    assert api.post("/otp/verify", {"otp_id": otp_id, "code": wrong}).json()["tries_left"] == 2
    assert api.post("/otp/verify", {"otp_id": otp_id, "code": wrong}).json()["tries_left"] == 1
    r = api.post("/otp/verify", {"otp_id": otp_id, "code": wrong})
    assert r.status_code == 429 and error_code(r) == "too_many"
    assert r.json()["error"]["retry_after_seconds"] == 900
    r = api.post("/otp/verify", {"otp_id": otp_id, "code": code})
    assert r.status_code == 429
    r = api.post("/otp", {"mobile": mobile, "purpose": "identity"})
    assert r.status_code == 429 and 0 < r.json()["error"]["retry_after_seconds"] <= 900


def test_otp_input_errors(api):
    assert api.post("/otp", {"mobile": "12345"}).status_code == 400
    assert api.post("/otp/verify", {"otp_id": "nope", "code": "123456"}).status_code == 404
    assert api.post("/otp/verify", {"otp_id": "x"}).status_code == 400


def test_new_code_replaces_old(api):
    mobile = "919800000333"
    first = api.post("/otp", {"mobile": mobile, "purpose": "identity"}).json()["otp_id"]
    old_code = latest_code(api, mobile)
    api.post("/otp", {"mobile": mobile, "purpose": "identity"})
    r = api.post("/otp/verify", {"otp_id": first, "code": old_code})
    assert r.status_code == 410


def test_callbacks(api):
    r = api.post(
        "/callbacks",
        {
            "mobile": "9800000001",
            "topic": "karmashree wages",
            "context": {"job_card": "WB-08-012-002-002/270"},
        },
    )
    assert r.status_code == 201 and r.json()["ticket_no"].startswith("CB-2026-")
    second = api.post("/callbacks", {"mobile": "919800000001", "topic": "payslip"})
    assert second.json()["ticket_no"] != r.json()["ticket_no"]
    assert api.post("/callbacks", {"mobile": "919800000001"}).status_code == 400
    assert api.post("/callbacks", {"mobile": "1", "topic": "x"}).status_code == 400
