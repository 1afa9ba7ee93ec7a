"""Privacy of the logs and the repository. A stack of its own runs with DEBUG logging
(SATHI_LOG_LEVEL=DEBUG: rasa `--debug`, the action server `--debug`), an end-to-end suite runs
through it — REST with a one-time code and a download link, WhatsApp with a document — and
then every log file of that stack is searched for the phone numbers, the one-time code, the
link tokens and the secrets it used. None may appear (phones only as `********0001`)."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from tests.support.whatsapp_stack import StackWhatsApp

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"/documents/([A-Za-z0-9_\-]+)")
SECRETS = (
    "portal_service_key",
    "rasa_api_token",
    "channel_secret",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
    "whatsapp_access_token",
)


@pytest.fixture(scope="module")
def debug_stack():
    from tests.support.stack import start_stack, stop_stack

    running = start_stack(extra_env={"SATHI_LOG_LEVEL": "DEBUG"})
    try:
        yield running
    finally:
        stop_stack(running)


def latest_code(stack, mobile: str) -> str:
    messages = requests.get(
        f"{stack.portal_url}/dev/outbox",
        params={"mobile": mobile},
        headers={"X-Service-Key": stack.env["SATHI_PORTAL_SERVICE_KEY"]},
        timeout=10,
    ).json()
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


def run_suite(stack) -> dict:
    """Conversations that put every kind of secret through the stack; what to look for."""
    used = {"phones": set(), "codes": set(), "tokens": set()}
    nocs = [n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved"]
    # REST, a sender id that is not a phone: the one-time code path, then a download link
    noc = nocs[0]
    sender = "privacy-" + uuid.uuid4().hex[:8]
    stack.say(sender, "/restart")
    stack.say(sender, f"I need my trade licence certificate {noc['application_no']}")
    stack.say(sender, noc["mobile"][2:])
    code = latest_code(stack, noc["mobile"])
    replies = stack.say(sender, code)
    text = "\n".join(r.get("text", "") for r in replies)
    used["codes"].add(code)
    used["phones"].add(noc["mobile"])
    used["tokens"].update(LINK.findall(text))
    # REST as a trusted phone number: another link
    owner = nocs[1]
    stack.say(owner["mobile"], "/restart")
    replies = stack.say(owner["mobile"], f"trade licence {owner['application_no']} pathan")
    used["tokens"].update(LINK.findall("\n".join(r.get("text", "") for r in replies)))
    used["phones"].add(owner["mobile"])
    # WhatsApp: a document as media, a few ordinary turns
    wa = StackWhatsApp(stack)
    try:
        third = nocs[2]
        wa.say(third["mobile"], "hello")
        wa.say(third["mobile"], f"I need my trade licence certificate {third['application_no']}")
        used["phones"].add(third["mobile"])
    finally:
        wa.close()
    assert used["tokens"], "the suite produced no download link: nothing was tested"
    return used


def test_debug_logs_hold_no_phone_code_token_or_secret(debug_stack):
    used = run_suite(debug_stack)
    logs = {p.name: p.read_text(errors="replace") for p in (debug_stack.var / "log").glob("*.log")}
    assert logs and sum(len(t) for t in logs.values()) > 10000, "too little logged to judge"
    assert any("DEBUG" in t for t in logs.values()), "DEBUG logging was not on"
    needles = {}
    for phone in used["phones"]:
        needles[phone] = "phone"
        needles[phone[2:]] = "phone (10 digits)"
    for code in used["codes"]:
        needles[code] = "one-time code"
    for token in used["tokens"]:
        needles[token] = "link token"
    for name in SECRETS:
        needles[debug_stack.secret(name)] = name
    found = [
        (what, name)
        for needle, what in needles.items()
        for name, text in logs.items()
        if needle in text
    ]
    assert not found, f"found in logs: {found}"
    masked = "********" + sorted(used["phones"])[0][-4:]
    assert any(masked in t for t in logs.values()), "phones are not logged even masked?"


def test_secrets_of_a_run_are_not_in_the_repository(debug_stack):
    """The generated secrets live in <var>/run only: no tracked file contains them."""
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    values = [debug_stack.secret(name) for name in SECRETS]
    for path in filter(None, tracked):
        file = ROOT / path
        if not file.is_file() or file.stat().st_size > 2_000_000:
            continue
        content = file.read_bytes().decode(errors="ignore")
        assert not any(v in content for v in values), path
    for path in ("credentials.yml", "credentials.production.yml", "endpoints.yml"):
        content = (ROOT / path).read_text()
        assert not re.search(r"(token|secret|key)\s*:\s*[A-Za-z0-9_\-]{16,}", content), path
