"""End to end over the REST channel: the real rasa server, action server and portal backend.
Answers are compared with what the portal API itself says for the card."""

from __future__ import annotations

import pytest

from sathi import formatting
from sathi.text import ascii_digits_to_bengali

pytestmark = pytest.mark.stack


def texts(replies: list) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def showcase_card(stack, index=0):
    """A demo card and what the portal says about it. Each test uses its own card owner: the
    reply language is remembered per number."""
    record = stack.demo_ids["job_cards"][index]
    status = stack.portal(
        f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}/status",
        mobile=record["mobile"],
    ).json()
    return record, status


def test_english_work_status_step_by_step(stack):
    record, status = showcase_card(stack)
    sender = stack.new_sender(record["mobile"])
    first = stack.say(sender, "how many days of work did my household get this year?")
    assert "job card" in texts(first).lower()
    answer = texts(stack.say(sender, record["job_card"].lower().replace("-", " ")))
    assert f"{status['days_provided']}" in answer
    assert "50" in answer
    assert formatting.money(status["wages_paid_total"], "en") in answer


def test_bengali_with_card_in_first_message_and_bengali_digits(stack):
    record, status = showcase_card(stack, 1)
    sender = stack.new_sender(record["mobile"])
    card = ascii_digits_to_bengali(record["karmashree_id"])
    answer = texts(stack.say(sender, f"আমার জব কার্ড {card} কত দিন কাজ পেয়েছি?"))
    assert ascii_digits_to_bengali(str(status["days_provided"])) in answer
    assert "৫০" in answer
    assert (
        formatting.money(status["wages_pending_total"], "bn") in answer
        or status["wages_pending_total"] == 0
    )


def test_stranger_gets_nothing_personal(stack):
    record, status = showcase_card(stack)
    stranger = stack.new_sender(stack.demo_ids["strangers"][0])
    answer = texts(stack.say(stranger, f"job card {record['job_card']} wages status please"))
    assert "registered" in answer.lower() and "panchayat" in answer.lower()
    assert record["head"] not in answer
    assert str(status["wages_paid_total"]) not in answer.replace(",", "")


def test_bad_number_gets_second_chance_then_explanation(stack):
    record, _ = showcase_card(stack, 2)
    sender = stack.new_sender(record["mobile"])
    stack.say(sender, "amar majuri koto baki ache?")
    first_try = texts(stack.say(sender, "WB-08-012"))
    assert "জব কার্ড নম্বর বলে মনে হচ্ছে না" in first_try
    second_try = stack.say(sender, "12345")
    assert any(r.get("buttons") for r in second_try)  # explanation + offer to stop
    stopped = texts(stack.say(sender, "/cancel"))
    assert stopped


def test_language_is_remembered_per_number_until_asked(stack):
    record, status = showcase_card(stack, 3)
    sender = stack.new_sender(record["mobile"])
    assert "job card" in texts(stack.say(sender, "show my work days please")).lower()
    stack.say(sender, "/restart")
    assert "job card" in texts(stack.say(sender, "amar kaj er din koto?")).lower()
    switched = texts(stack.say(sender, "বাংলায় বলুন"))
    assert "বাংলায় বলব" in switched
    assert "জব কার্ড" in texts(stack.say(sender, "kaj koto din holo"))
