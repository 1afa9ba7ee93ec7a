"""The change feed: `python -m portal_backend change ...` changes a record and writes its event
in one transaction; `GET /changes?after=` gives the events after a cursor, once each, in
order; the portal client reads it."""

from __future__ import annotations

import json

import pytest

from portal_client import PortalClient
from tests.portal_backend.conftest import CLOCK, Api, error_code
from tests.support.portal_server import run_cli, running_portal


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A portal of its own: these tests change the demo records the other modules read."""
    with running_portal(tmp_path_factory.mktemp("portal-changes"), clock=CLOCK) as server:
        yield server


@pytest.fixture(scope="module")
def api(portal):
    return Api(portal)


def change(portal, *args) -> dict:
    return json.loads(run_cli(portal.env, "change", *args))


def test_changes_appear_once_in_order_after_the_cursor(api, portal):
    start = api.get("/changes").json()["next"]
    card = api.ids["job_cards"][0]
    noc = next(r for r in api.ids["trade_nocs"] if r["status"] == "submitted")
    booking = next(r for r in api.ids["bookings"] if r["status"] == "payment_pending")
    first = change(portal, "wage-credited", "--job-card", card["job_card"])
    second = change(
        portal, "application-status", "--trade-noc", noc["application_no"], "--status", "approved"
    )
    third = change(
        portal, "booking-status", "--booking", booking["booking_no"], "--status", "confirmed"
    )
    page = api.get("/changes", params={"after": start}).json()
    assert [e["id"] for e in page["events"]] == [first["id"], second["id"], third["id"]]
    assert page["next"] == third["id"] and page["more"] is False
    wage = page["events"][0]
    assert (wage["kind"], wage["record_kind"], wage["record_id"], wage["mobiles"]) == (
        "wage_credited",
        "job_card",
        card["job_card"],
        [card["mobile"]],
    )
    assert wage["state"]["amount"] > 0
    assert page["events"][1]["state"]["status"] == "approved"
    # the change itself happened: the approved NOC now has its certificate
    assert (
        api.get(f"/trade-nocs/{noc['application_no']}", mobile=noc["mobile"]).json()["status"]
        == "approved"
    )
    # asked again from the end: nothing; with a limit: pages
    assert api.get("/changes", params={"after": third["id"]}).json()["events"] == []
    one = api.get("/changes", params={"after": start, "limit": 1}).json()
    assert [e["id"] for e in one["events"]] == [first["id"]] and one["more"] is True
    client = PortalClient(portal.base_url, portal.service_key)
    feed = client.changes(after=start)
    assert [e.id for e in feed.events] == [first["id"], second["id"], third["id"]]
    assert feed.events[0].mobiles == (card["mobile"],)


def test_bad_cursor_and_refused_changes(api, portal):
    assert error_code(api.get("/changes", params={"after": "x"})) == "bad_request"
    assert error_code(api.get("/changes", params={"limit": 0})) == "bad_request"
    assert api.get("/changes", key=False).status_code == 401
    before = api.get("/changes").json()["next"]
    booking = api.ids["bookings"][0]
    import subprocess  # noqa: E401
    import sys

    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal_backend",
            "change",
            "booking-status",
            "--booking",
            booking["booking_no"],
            "--status",
            "lost",
        ],
        env=portal.env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1 and "status must be" in refused.stderr
    assert api.get("/changes", params={"after": before}).json()["events"] == []
