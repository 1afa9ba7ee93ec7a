"""A sender our server cannot verify (a REST sender id that is not a phone number) proves the
number with a one-time code from the portal before any personal document — end to end."""

from __future__ import annotations

import io
import re
import uuid

import pytest
import requests
from pypdf import PdfReader

pytestmark = pytest.mark.stack


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def code_sent_to(stack, mobile):
    messages = stack.portal("/dev/outbox", params={"mobile": mobile}).json()
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


def test_code_then_document(stack):
    record = stack.demo_ids["trade_nocs"][0]
    kiosk = "kiosk-" + uuid.uuid4().hex[:8]
    first = texts(stack.say(kiosk, f"my trade licence {record['application_no']} please"))
    assert "registered with this record" in first  # asks which mobile, English
    sent = texts(stack.say(kiosk, record["mobile"][2:]))
    assert "xxxxxx" + record["mobile"][-4:] in sent and "6-digit code" in sent
    assert record["mobile"][2:] not in sent  # the number is shown masked
    done = stack.say(kiosk, code_sent_to(stack, record["mobile"]))
    answer = texts(done)
    assert "confirmed" in answer
    link = re.search(r"(http://\S+/documents/\S+)", answer).group(1)
    pdf = requests.get(link, timeout=10)
    assert pdf.status_code == 200
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert (record.get("certificate_no") or record["application_no"]) in text


def test_code_for_someone_elses_number_gets_nothing(stack):
    record = stack.demo_ids["trade_nocs"][0]
    stranger = stack.demo_ids["strangers"][2]
    kiosk = "kiosk-" + uuid.uuid4().hex[:8]
    stack.say(kiosk, f"trade licence {record['application_no']} pathan")
    stack.say(kiosk, stranger)
    answer = texts(stack.say(kiosk, code_sent_to(stack, stranger)))
    assert "/documents/" not in answer
    assert record["mobile"][-4:] not in answer


def test_wrong_codes_lock_the_number(stack):
    stranger = stack.demo_ids["strangers"][3]
    kiosk = "kiosk-" + uuid.uuid4().hex[:8]
    stack.say(kiosk, "payslip for last month")
    stack.say(kiosk, stranger)
    right = code_sent_to(stack, stranger)
    wrong = "000000" if right != "000000" else "111111"
    replies = [texts(stack.say(kiosk, wrong)) for _ in range(4)]
    assert any("পরে আবার চেষ্টা" in r or "try again after" in r for r in replies)
    assert "/documents/" not in "".join(replies)
