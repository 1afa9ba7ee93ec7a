"""The operator pages in a real browser: Debian's chromium (installed by
scripts/ensure-chromium.sh when missing), driven by Playwright for Python through
`executable_path` — Playwright never downloads a browser here.

The trainer chat on the session stack: a Bengali message shows a Bengali reply with its
buttons; a tap continues the conversation; a document request shows the document and its
link returns the PDF. Then the dashboard: refused without the staff login, and, behind it,
its numbers equal direct SQL counts in the stack's bot store and tracker store. Screenshots
of both pages go to var/screenshots/.

Skipped (loudly, the reason in the `-ra` summary) only where chromium cannot be installed
(no apt-get, not root); as root with apt-get (CI), a failed install fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from sathi.clock import IST

pytestmark = [pytest.mark.stack, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BENGALI = re.compile(r"[\u0980-\u09FF]")
WAIT_MS = 90_000


@pytest.fixture(scope="module")
def chromium() -> str:
    done = subprocess.run(
        [str(ROOT / "scripts/ensure-chromium.sh")], capture_output=True, text=True, timeout=900
    )
    path = shutil.which("chromium")
    if done.returncode == 0 and path:
        return path
    reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["unknown"]
    can_install = shutil.which("apt-get") and os.geteuid() == 0
    if can_install:  # CI and developers' machines: this must work
        pytest.fail(f"chromium could not be installed: {reason[0]}")
    pytest.skip(
        f"BROWSER TESTS NOT RUN: chromium is missing and cannot be installed here "
        f"({reason[0]}); run scripts/ensure-chromium.sh as root"
    )


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="sathi-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="bn-IN",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def bot_messages(page):
    return page.locator("[data-testid=bot-message]")


def wait_for_bot_count(page, more_than: int, timeout_ms: int = WAIT_MS) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=bot-message]').length > n",
        arg=more_than,
        timeout=timeout_ms,
    )
    time.sleep(1.5)  # the rest of the turn's messages
    page.wait_for_timeout(900)


def send(page, text: str) -> int:
    before = bot_messages(page).count()
    page.fill("[data-testid=composer]", text)
    page.click("[data-testid=send]")
    wait_for_bot_count(page, before)
    return before


def open_as(page, stack, mobile: str) -> None:
    stack.new_sender(mobile)
    page.goto(f"{stack.chat_url}/chat/")
    page.wait_for_selector(f"[data-testid=identity] option[value='{mobile}']", state="attached")
    page.select_option("[data-testid=identity]", mobile)
    page.wait_for_function(
        "m => document.querySelector('[data-testid=who]').textContent.includes(m)", arg=mobile
    )


# --- the trainer chat ----------------------------------------------------------------------
def test_trainer_chat_bengali_buttons_and_a_document(stack, browser):
    page = browser.new_page()
    card = stack.demo_ids["job_cards"][0]
    open_as(page, stack, card["mobile"])

    # a Bengali message: the Bengali reply (it asks for the job card number)
    before = send(page, "আমার কাজের হিসাব দেখান")
    user_rows = page.locator("[data-testid=user-message]")
    user_rows.last.wait_for()
    assert "আমার কাজের হিসাব দেখান" in user_rows.last.inner_text()
    replies = bot_messages(page)
    new_texts = [replies.nth(i).inner_text() for i in range(before, replies.count())]
    assert any(BENGALI.search(t) for t in new_texts), new_texts
    # beside the message: the intent the NLU found, from the tracker
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=nlu] .intent')]"
        ".some(e => e.textContent === 'work_status')",
        timeout=WAIT_MS,
    )
    assert page.locator("[data-testid=nlu] .intent").last.inner_text() == "work_status"
    # the card number: the Bengali answer, then the feedback question with its reply buttons
    before = send(page, card["job_card"])
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=reply-button]').length >= 2", timeout=WAIT_MS
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=nlu] .entity')]"
        ".some(e => e.textContent.startsWith('job_card'))",
        timeout=WAIT_MS,
    )
    buttons = page.locator("[data-testid=reply-button]")
    buttons.last.wait_for(timeout=WAIT_MS)
    assert buttons.count() >= 2
    labels = [buttons.nth(i).inner_text() for i in range(buttons.count())]
    assert any(BENGALI.search(label) for label in labels), labels

    # a tap goes back as an interactive reply (its id) and the conversation goes on
    tapped = buttons.last
    title, reply_id = tapped.inner_text(), tapped.get_attribute("data-id")
    before = bot_messages(page).count()
    tapped.click()
    wait_for_bot_count(page, before)
    page.wait_for_function(
        "t => [...document.querySelectorAll('[data-testid=user-message]')]"
        ".some(r => r.textContent.includes(t) && r.querySelector('.intent'))",
        arg=title,
        timeout=WAIT_MS,
    )
    payloads = page.locator("[data-testid=user-message] .payload").all_inner_texts()
    assert reply_id in payloads
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "trainer-chat.png"), full_page=False)

    # a document: an employee asks for last month's pay slip in Bengali
    employee = stack.demo_ids["employees"][0]
    open_as(page, stack, employee["mobile"])
    document = page.locator("[data-testid=document]")
    page.wait_for_timeout(1500)  # the number's earlier messages (other tests) drawn
    earlier = document.count()
    send(page, f"আমার গত মাসের পে স্লিপ দিন, আইডি {employee['employee_id']}")
    for _ in range(3):  # the bot may still ask for the month: answer as a user would
        if document.count() > earlier:
            break
        send(page, "গত মাসের")
    assert document.count() > earlier, "no document bubble after the request"
    filename = document.last.locator(".filename").inner_text()
    assert filename.endswith(".pdf") and filename != "Untitled"
    link = page.locator("[data-testid=open-document]").last.get_attribute("href")
    pdf = page.request.get(f"{stack.chat_url}/chat/{link}")
    assert pdf.status == 200 and pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.body().startswith(b"%PDF")
    page.screenshot(path=str(SHOTS / "trainer-chat-document.png"), full_page=False)

    # a list menu: the ☰ button opens the rows; a row goes back as a list reply with its id
    open_as(page, stack, stack.demo_ids["strangers"][0])
    send(page, "help")
    page.locator("[data-testid=list-button]").last.click()
    row = page.locator("[data-testid=list-row][data-id='/work_status']")
    row.wait_for()
    page.screenshot(path=str(SHOTS / "trainer-chat-list.png"), full_page=False)
    before = bot_messages(page).count()
    row.click()
    wait_for_bot_count(page, before)
    assert "/work_status" in page.locator("[data-testid=user-message] .payload").all_inner_texts()
    page.close()


# --- the dashboard ------------------------------------------------------------------------
def direct_counts(stack, start: date, end: date) -> dict:
    """What the dashboard must show, counted straight from the two SQLite files."""
    lo = datetime(start.year, start.month, start.day, tzinfo=IST)
    hi = datetime(end.year, end.month, end.day, tzinfo=IST) + timedelta(days=1)
    wall = lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731  (stored IST wall clock)
    tracker = sqlite3.connect(stack.var / "data" / "tracker.db")
    store = sqlite3.connect(stack.bot_store_url.split("///", 1)[1])
    try:
        users = "FROM events WHERE type_name='user' AND timestamp >= ? AND timestamp < ?"
        span = (lo.timestamp(), hi.timestamp())
        counts = {
            "user_messages": tracker.execute(f"SELECT count(*) {users}", span).fetchone()[0],
            "fallbacks": tracker.execute(
                f"SELECT count(*) {users} AND intent_name='nlu_fallback'", span
            ).fetchone()[0],
        }
        for intent, n in tracker.execute(
            f"SELECT intent_name, count(*) {users} AND intent_name IN "
            "('work_status','wage_status','payslip','trade_noc') GROUP BY intent_name",
            span,
        ):
            counts[f"requests_total.{intent}"] = n
        for outcome, n in store.execute(
            "SELECT outcome, count(*) FROM audit_log WHERE at >= ? AND at < ? GROUP BY outcome",
            (wall(lo), wall(hi)),
        ):
            counts[f"outcomes.{outcome}"] = n
        for service, helpful, n in store.execute(
            "SELECT service, helpful, count(*) FROM feedback WHERE at >= ? "
            "AND at < ? GROUP BY service, helpful",
            (wall(lo), wall(hi)),
        ):
            counts[f"feedback.{service}.{'up' if helpful else 'down'}"] = n
        counts["deferred_queue"] = store.execute(
            "SELECT count(*) FROM deferred_deliveries WHERE state IN ('waiting','delivering')"
        ).fetchone()[0]
        counts["opted_out_now"] = store.execute(
            "SELECT count(*) FROM preferences WHERE opted_out=1"
        ).fetchone()[0]
        counts["portal.all.calls"] = store.execute(
            "SELECT count(*) FROM portal_calls WHERE kind='call' AND outcome != 'circuit_open' "
            "AND at >= ? AND at < ?",
            (wall(lo), wall(hi)),
        ).fetchone()[0]
    finally:
        tracker.close()
        store.close()
    return counts


def scripted_conversations(stack) -> None:
    """More traffic through the real WhatsApp path: three registers, a fallback, a refusal,
    feedback, an opt-out."""
    from tests.support.whatsapp_stack import StackWhatsApp, new_wa_id

    wa = StackWhatsApp(stack)
    try:
        card = stack.demo_ids["job_cards"][1]
        wa.say(card["mobile"], "amar majuri kobe dhukbe")  # romanized
        stranger = new_wa_id()
        wa.say(
            stranger, f"payslip of {stack.demo_ids['employees'][1]['employee_id']} for last month"
        )
        wa.say(stranger, "qwzx plmk vbnr")  # not understood
        wa.say(new_wa_id(), "STOP")  # opt-out
        owner = stack.demo_ids["job_cards"][2]
        wa.say(owner["mobile"], "আমার কাজের হিসাব")
        wa.say(owner["mobile"], owner["job_card"])
        wa.tap(owner["mobile"], "/affirm", "👍 হ্যাঁ")  # feedback
    finally:
        wa.close()


def metric(page, name: str) -> str:
    return page.locator(f"[data-metric='{name}']").first.inner_text()


def test_dashboard_behind_its_login_equals_the_database(stack, browser):
    from playwright.sync_api import Error as BrowserError

    page = browser.new_page()
    # without the login the browser gets no page (headless chromium turns the 401 basic-auth
    # challenge into ERR_INVALID_AUTH_CREDENTIALS), and neither page nor CSV is served
    with pytest.raises(BrowserError, match="AUTH"):
        page.goto(f"{stack.dashboard_url}/dashboard/")
    refused = page.request.get(f"{stack.dashboard_url}/dashboard/")
    assert refused.status == 401 and "Basic" in refused.headers["www-authenticate"]
    assert "data-metric" not in refused.text()
    assert page.request.get(f"{stack.dashboard_url}/dashboard/export.csv").status == 401
    wrong = page.request.get(
        f"{stack.dashboard_url}/dashboard/", headers={"Authorization": "Basic c3RhZmY6d3Jvbmc="}
    )  # staff:wrong
    assert wrong.status == 401
    page.close()

    scripted_conversations(stack)
    time.sleep(2)
    import base64

    login = base64.b64encode(f"staff:{stack.secret('dashboard_password')}".encode()).decode()
    page = browser.new_page()
    page.set_extra_http_headers({"Authorization": f"Basic {login}"})
    assert page.goto(f"{stack.dashboard_url}/dashboard/").status == 200
    # the date range control: the whole month around the stack's clock and today
    start, end = date(2026, 11, 1), max(date(2026, 11, 30), datetime.now(IST).date())
    page.fill("input[name=from]", start.isoformat())
    page.fill("input[name=to]", end.isoformat())
    page.click("form.range button")
    page.wait_for_url(re.compile(r"from=2026-11-01"))
    expected = direct_counts(stack, start, end)
    assert expected["user_messages"] > 5 and expected.get("outcomes.delivered", 0) >= 1, expected
    assert expected.get("feedback.work_status.up", 0) >= 1, expected
    shown = {}
    for name in expected:
        found = page.locator(f"[data-metric='{name}']")
        shown[name] = int(found.first.inner_text()) if found.count() else 0
    assert shown == expected
    assert page.locator("svg.chart").count() >= 3
    body = page.inner_text("body")
    assert "অনুরোধ" in body and "Requests" in body
    assert not re.search(r"\b91\d{10}\b", page.content()), "a phone number on the dashboard"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
    csv = page.request.get(
        f"{stack.dashboard_url}/dashboard/export.csv?from={start}&to={end}",
        headers={"Authorization": f"Basic {login}"},
    )
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f"messages,user_messages,,{expected['user_messages']}" in csv.text()
    page.close()
