"""End to end over REST (the real rasa server, action server and portal backend): citizens ask
for their Trade NOC, building plan approval letter and tourism booking slip; the owner gets a
link to a real PDF whose text matches what the portal API says; anyone else gets a refusal
that reveals nothing."""

from __future__ import annotations

import io
import re

import pytest
import requests
from pypdf import PdfReader

pytestmark = pytest.mark.stack
LINK = re.compile(r"(https?://\S+/documents/[A-Za-z0-9_\-]+)")


def texts(replies: list) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def links(replies: list) -> list:
    return LINK.findall(texts(replies))


def pdf_text(url: str) -> str:
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def demo(stack, kind, status, key):
    return next(r for r in stack.demo_ids[kind] if r["status"] == status and r[key])


def test_trade_noc_as_owner_in_the_first_message(stack):
    noc = demo(stack, "trade_nocs", "approved", "certificate_no")
    record = stack.portal(f"/trade-nocs/{noc['application_no']}", mobile=noc["mobile"]).json()
    sender = stack.new_sender(noc["mobile"])
    replies = stack.say(sender, f"trade licence {noc['application_no']} pathan")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    assert "ট্রেড লাইসেন্স" in texts(replies)  # romanized -> Bengali reply
    text = pdf_text(found[0])
    for value in (record["certificate_no"], record["application_no"], record["owner_name"]):
        assert value in text


def test_trade_noc_owner_of_several_picks_a_button(stack):
    mobiles = [n["mobile"] for n in stack.demo_ids["trade_nocs"]]
    noc = next(
        n
        for n in stack.demo_ids["trade_nocs"]
        if n["status"] == "approved" and mobiles.count(n["mobile"]) > 1
    )
    sender = stack.new_sender(noc["mobile"])
    asked = stack.say(sender, "I need my trade licence certificate")
    payloads = [b["payload"] for r in asked for b in r.get("buttons", [])]
    wanted = f'/inform{{"trade_noc_no":"{noc["application_no"]}"}}'
    assert wanted in payloads, asked
    found = links(stack.say(sender, wanted))
    assert len(found) == 1
    assert noc["application_no"] in pdf_text(found[0])
    # asked again, the number typed loosely instead of tapped
    assert stack.say(sender, "trade license chai")
    typed = noc["application_no"].lower().replace("-", " ")
    found = links(stack.say(sender, typed))
    assert len(found) == 1
    assert noc["application_no"] in pdf_text(found[0])


def test_building_plan_sole_application_needs_no_number(stack):
    plan = demo(stack, "building_plans", "approved", "application_no")
    owned = [p for p in stack.demo_ids["building_plans"] if p["mobile"] == plan["mobile"]]
    assert len(owned) == 1
    record = stack.portal(f"/building-plans/{plan['application_no']}", mobile=plan["mobile"]).json()
    sender = stack.new_sender(plan["mobile"])
    replies = stack.say(sender, "please send the approval letter of my house building plan")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    text = pdf_text(found[0])
    for value in (record["approval_no"], record["application_no"], record["applicant_name"]):
        assert value in text


def test_tourism_slip_as_booking_mobile(stack):
    booking = demo(stack, "bookings", "confirmed", "booking_no")
    record = stack.portal(
        f"/tourism/bookings/{booking['booking_no']}", mobile=booking["mobile"]
    ).json()
    sender = stack.new_sender(booking["mobile"])
    year, serial = booking["booking_no"].split("-")[1:]
    replies = stack.say(sender, f"booking slip PTB {year} {int(serial)}")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    text = pdf_text(found[0])
    assert record["booking_no"] in text and record["guest_name"] in text


@pytest.mark.parametrize(
    "kind, key, path, ask, owner_field",
    [
        ("trade_nocs", "application_no", "/trade-nocs/{}", "trade licence {} please", "owner_name"),
        (
            "building_plans",
            "application_no",
            "/building-plans/{}",
            "building plan approval letter {}",
            "applicant_name",
        ),
        ("bookings", "booking_no", "/tourism/bookings/{}", "booking slip {} please", "guest_name"),
    ],
)
def test_stranger_is_refused_and_learns_nothing(stack, kind, key, path, ask, owner_field):
    record = next(r for r in stack.demo_ids[kind] if r["status"] in ("approved", "confirmed"))
    owner_view = stack.portal(path.format(record[key]), mobile=record["mobile"]).json()
    index = ["trade_nocs", "building_plans", "bookings"].index(kind)
    stranger = stack.new_sender(stack.demo_ids["strangers"][index])
    replies = stack.say(stranger, ask.format(record[key]))
    answer = texts(replies)
    assert not links(replies) and "/documents/" not in answer
    assert "mobile" in answer.lower()  # says why
    assert owner_view[owner_field] not in answer
    assert record["mobile"] not in answer and record["mobile"][2:] not in answer


def test_unpaid_booking_says_how_to_finish_payment(stack):
    booking = demo(stack, "bookings", "payment_pending", "booking_no")
    sender = stack.new_sender(booking["mobile"])
    replies = stack.say(sender, f"booking slip {booking['booking_no']} please")
    assert not links(replies)
    assert "payment" in texts(replies).lower() and "Panchayat Tourism" in texts(replies)
