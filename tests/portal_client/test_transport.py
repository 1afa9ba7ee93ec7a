"""The client against a misbehaving portal: timeouts, retries, error mapping, bad bodies."""

from __future__ import annotations

import json
import logging
import time

import pytest

from portal_client import (
    BadRequest,
    DemandOverlap,
    NotFound,
    NotReady,
    NotYours,
    OtpExpired,
    PortalError,
    PortalUnavailable,
    TooManyAttempts,
    Unauthorized,
    WorkDemand,
)
from tests.portal_client.conftest import OWNER, SERVICE_KEY
from tests.portal_client.fake_portal import BlackHole, Reply, error

CARD = "WB-08-012-002-002/270"
CARD_PATH = "/karmashree/job-cards/WB-08-012-002-002%2F270"
JOB_CARD_BODY = {
    "job_card": CARD,
    "karmashree_id": "WB-3208012002-2-270",
    "head_of_household": "Rina Das",
    "gp_code": "3208012002",
    "gp_name_en": "Kashipur",
    "gp_name_bn": "কাশীপুর",
    "members": [{"worker_id": "1", "name": "Rina Das", "age": 41, "gender": "F"}],
}
DEMAND = {
    "receipt_no": "KD-2026-000123",
    "worker_id": "1",
    "days": 7,
    "from_date": "2026-12-01",
    "demanded_on": "2026-11-28",
    "status": "open",
}


# --- timeouts --------------------------------------------------------------------------
def test_connect_timeout_is_unavailable_within_the_connect_timeout(make_client):
    hole = BlackHole()
    try:
        client = make_client(base_url=hole.base_url, connect_timeout=0.3, retries=0)
        started = time.monotonic()
        with pytest.raises(PortalUnavailable, match="in time"):
            client.districts()
        assert time.monotonic() - started < 1.5
    finally:
        hole.close()


def test_read_timeout_is_unavailable_within_the_read_timeout(fake_portal, make_client):
    fake_portal.script("/geo/districts", Reply(200, [], delay=3))
    client = make_client(read_timeout=0.3, retries=0)
    started = time.monotonic()
    with pytest.raises(PortalUnavailable):
        client.districts()
    assert time.monotonic() - started < 1.5


def test_a_read_timeout_is_retried_then_given_up(fake_portal, make_client):
    fake_portal.script("/geo/districts", Reply(200, [], delay=2))
    client = make_client(read_timeout=0.2, retries=2)
    with pytest.raises(PortalUnavailable):
        client.districts()
    assert fake_portal.count("/geo/districts") == 3


# --- retries ---------------------------------------------------------------------------
@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_get_is_retried_after_a_gateway_error_and_succeeds(fake_portal, make_client, status):
    fake_portal.script(
        "/geo/districts",
        error(status, "unavailable"),
        Reply(200, [{"code": "08", "name_en": "Bankura"}]),
    )
    districts = make_client().districts()
    assert [d.name_en for d in districts] == ["Bankura"]
    assert fake_portal.count("/geo/districts") == 2


def test_retries_give_up_after_the_configured_number(fake_portal, make_client):
    fake_portal.script("/geo/districts", error(503, "unavailable"))
    with pytest.raises(PortalUnavailable) as caught:
        make_client(retries=2).districts()
    assert caught.value.http_status == 503
    assert fake_portal.count("/geo/districts") == 3


def test_500_is_unavailable_and_not_retried(fake_portal, make_client):
    fake_portal.script("/geo/districts", Reply(500, "<h1>Internal Server Error</h1>"))
    with pytest.raises(PortalUnavailable):
        make_client().districts()
    assert fake_portal.count() == 1


def test_otp_send_is_never_retried(fake_portal, make_client):
    fake_portal.script(
        "/otp",
        error(503, "unavailable"),
        Reply(200, {"otp_id": "o1", "expires_at": "2026-11-28T10:05:00+05:30"}),
    )
    with pytest.raises(PortalUnavailable):
        make_client().send_otp(OWNER, "verify_identity")
    assert fake_portal.count("/otp") == 1


def test_otp_verify_is_never_retried_even_on_a_timeout(fake_portal, make_client):
    fake_portal.script("/otp/verify", Reply(200, {"verified": True}, delay=2))
    with pytest.raises(PortalUnavailable):
        make_client(read_timeout=0.2).verify_otp("o1", "123456")
    time.sleep(0.05)
    assert fake_portal.count("/otp/verify") == 1


def test_callback_request_is_never_retried(fake_portal, make_client):
    fake_portal.script("/callbacks", error(503, "unavailable"))
    with pytest.raises(PortalUnavailable):
        make_client().request_callback(OWNER, "karmashree", {"job_card": CARD})
    assert fake_portal.count("/callbacks") == 1


def test_the_idempotent_work_demand_is_retried(fake_portal, make_client):
    fake_portal.script(CARD_PATH + "/demands", error(503, "unavailable"), Reply(201, DEMAND))
    demand = make_client().create_work_demand(
        CARD, mobile=OWNER, worker_id="1", days=7, from_date="2026-12-01"
    )
    assert demand.receipt_no == "KD-2026-000123" and demand.created is True
    assert fake_portal.count(CARD_PATH + "/demands") == 2
    sent = json.loads(fake_portal.seen[-1].body)
    assert sent == {"worker_id": "1", "days": 7, "from_date": "2026-12-01"}


def test_the_same_demand_again_is_not_created(fake_portal, make_client):
    fake_portal.script(CARD_PATH + "/demands", Reply(200, DEMAND))
    demand = make_client().create_work_demand(
        CARD, mobile=OWNER, worker_id="1", days=7, from_date="2026-12-01"
    )
    assert demand.created is False


@pytest.mark.parametrize(
    "reply",
    [
        error(404, "not_found"),
        error(403, "not_yours"),
        error(400, "bad_request"),
        error(409, "not_ready"),
    ],
)
def test_4xx_is_never_retried(fake_portal, make_client, reply):
    fake_portal.script(CARD_PATH, reply)
    with pytest.raises(PortalError):
        make_client().job_card(CARD, mobile=OWNER)
    assert fake_portal.count() == 1


# --- error mapping ---------------------------------------------------------------------
def test_error_codes_map_to_exceptions(fake_portal, make_client):
    client = make_client()
    fake_portal.script(CARD_PATH, error(404, "not_found"))
    with pytest.raises(NotFound):
        client.job_card(CARD, mobile=OWNER)
    fake_portal.script(CARD_PATH, error(403, "not_yours"))
    with pytest.raises(NotYours):
        client.job_card(CARD, mobile=OWNER)
    fake_portal.script(CARD_PATH, error(400, "bad_request"))
    with pytest.raises(BadRequest):
        client.job_card(CARD, mobile=OWNER)
    fake_portal.script(CARD_PATH, error(401, "unauthorized"))
    with pytest.raises(Unauthorized):
        client.job_card(CARD, mobile=OWNER)


def test_not_ready_carries_the_status(fake_portal, make_client):
    fake_portal.script(
        "/trade-nocs/TN-2026-000001/pdf", error(409, "not_ready", status="under_verification")
    )
    with pytest.raises(NotReady) as caught:
        make_client().trade_noc_pdf("tn 2026 1", mobile=OWNER)
    assert caught.value.status == "under_verification"
    assert caught.value.http_status == 409 and caught.value.area == "trade_noc"


def test_not_ready_status_beside_the_envelope(fake_portal, make_client):
    fake_portal.script(
        "/trade-nocs/TN-2026-000001/pdf",
        Reply(409, {"error": {"code": "not_ready", "message": "x"}, "status": "submitted"}),
    )
    with pytest.raises(NotReady) as caught:
        make_client().trade_noc_pdf("TN-2026-000001", mobile=OWNER)
    assert caught.value.status == "submitted"


def test_overlap_carries_the_open_demand(fake_portal, make_client):
    fake_portal.script(CARD_PATH + "/demands", error(409, "overlap", open_demand=DEMAND))
    with pytest.raises(DemandOverlap) as caught:
        make_client().create_work_demand(
            CARD, mobile=OWNER, worker_id="1", days=5, from_date="2026-12-03"
        )
    assert isinstance(caught.value.open_demand, WorkDemand)
    assert caught.value.open_demand.receipt_no == "KD-2026-000123"
    assert fake_portal.count() == 1


def test_too_many_carries_retry_after(fake_portal, make_client):
    fake_portal.script("/otp/verify", error(429, "too_many", retry_after_seconds=900))
    with pytest.raises(TooManyAttempts) as caught:
        make_client().verify_otp("o1", "000000")
    assert caught.value.retry_after_seconds == 900


def test_too_many_falls_back_to_the_retry_after_header(fake_portal, make_client):
    fake_portal.script(
        "/otp",
        Reply(429, {"error": {"code": "too_many", "message": "x"}}, headers={"Retry-After": "60"}),
    )
    with pytest.raises(TooManyAttempts) as caught:
        make_client().send_otp(OWNER, "verify_identity")
    assert caught.value.retry_after_seconds == 60


def test_expired_otp(fake_portal, make_client):
    fake_portal.script("/otp/verify", Reply(410, {"error": {"code": "expired"}}))
    with pytest.raises(OtpExpired):
        make_client().verify_otp("o1", "123456")


def test_wrong_code_is_a_normal_answer(fake_portal, make_client):
    fake_portal.script("/otp/verify", Reply(200, {"verified": False, "tries_left": 2}))
    result = make_client().verify_otp("o1", "১২৩ ৪৫৬")
    assert (result.verified, result.tries_left) == (False, 2)
    assert json.loads(fake_portal.seen[-1].body) == {"otp_id": "o1", "code": "123456"}


# --- unexpected bodies -----------------------------------------------------------------
@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "<html><body>Gateway login</body></html>"),
        Reply(200, b'{"broken": '),
        Reply(200, b"\xff\xfe\x00garbage"),
        Reply(200, {"unexpected": "shape"}),
        Reply(200, [1, 2, 3]),
        Reply(404, "<html>Not Found</html>"),
        Reply(403, "<html>Forbidden by WAF</html>"),
        Reply(302, b"", headers={"Location": "http://127.0.0.1:9/login"}),
        Reply(418, {"error": "not an envelope"}),
    ],
)
def test_an_unexpected_answer_is_unavailable_never_a_crash(fake_portal, make_client, reply):
    fake_portal.script(CARD_PATH, reply)
    with pytest.raises(PortalUnavailable):
        make_client().job_card(CARD, mobile=OWNER)


def test_an_html_401_is_still_unauthorized(fake_portal, make_client):
    fake_portal.script("/geo/districts", Reply(401, "<html>401</html>"))
    with pytest.raises(Unauthorized):
        make_client().districts()


def test_a_list_endpoint_answering_an_object_is_unavailable(fake_portal, make_client):
    fake_portal.script("/geo/districts", Reply(200, {"districts": []}))
    with pytest.raises(PortalUnavailable):
        make_client().districts()


def test_nothing_is_sent_for_a_malformed_identifier(fake_portal, make_client):
    client = make_client()
    with pytest.raises(BadRequest):
        client.job_card("my card number", mobile=OWNER)
    with pytest.raises(BadRequest):
        client.payslip("WBP-1002345", "October", mobile=OWNER)
    with pytest.raises(BadRequest):
        client.trade_noc("TN-2026-000001", mobile="12345")
    with pytest.raises(BadRequest):
        client.create_work_demand(
            CARD, mobile=OWNER, worker_id="1", days=15, from_date="2026-12-01"
        )
    assert fake_portal.count() == 0


# --- what goes on the wire and in the logs ---------------------------------------------
def test_headers_and_canonical_encoded_paths(fake_portal, make_client):
    fake_portal.script(CARD_PATH, Reply(200, JOB_CARD_BODY))
    card = make_client().job_card("wb 3208012002 2 270", mobile="+91 98000 00001")
    assert card.members[0].age == 41
    seen = fake_portal.seen[-1]
    assert seen.path == "/api/v1" + CARD_PATH
    assert seen.headers["X-Service-Key"] == SERVICE_KEY
    assert seen.headers["X-Requester-Mobile"] == OWNER


def test_public_calls_carry_no_requester(fake_portal, make_client):
    fake_portal.script(
        "/geo/gram-panchayats/3208012002/office",
        Reply(200, {"gp_code": "3208012002", "name_en": "Kashipur"}),
    )
    office = make_client().gp_office("3208012002")
    assert office.name_en == "Kashipur"
    assert "X-Requester-Mobile" not in fake_portal.seen[-1].headers


def test_geo_search_query(fake_portal, make_client):
    fake_portal.script("/geo/gram-panchayats", Reply(200, []))
    make_client().gram_panchayats("কাশীপুর", block="3208012")
    path = fake_portal.seen[-1].path
    assert "block=3208012" in path and "q=%E0%A6%95" in path


def test_logs_hold_no_key_no_full_mobile(fake_portal, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    fake_portal.script(
        CARD_PATH, Reply(200, JOB_CARD_BODY), error(403, "not_yours"), error(503, "unavailable")
    )
    client = make_client(retries=1)
    client.job_card(CARD, mobile=OWNER)
    for _ in range(2):
        with pytest.raises(PortalError):
            client.job_card(CARD, mobile=OWNER)
    text = caplog.text + repr(client)
    assert "portal" in caplog.text
    assert SERVICE_KEY not in text
    assert "9800000001" not in text
    assert "0001" in caplog.text  # masked, still traceable
