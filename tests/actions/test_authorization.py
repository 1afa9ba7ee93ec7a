"""Who gets what, for EVERY custom action in the domain (issue 10).

The table `ROWS` has one row per action listed in domain/*.yml; a new action cannot be added
without its row (`test_every_domain_action_has_a_row`). Each action is run, against the real
reference portal, as every identity in `IDENTITIES` — the owner on WhatsApp, on the trainers'
REST and shell, a REST caller using the owner's number where REST is not trusted, an unproven
shell in production, foreign WhatsApp numbers (the owner's 10 digits without 91, Singapore,
Maldives), a stranger, forged WhatsApp metadata — and its row's check says what that identity
may get:
- `personal` identities (`expect_personal`) get the owner's data;
- every other identity gets nothing personal and changes nothing of the owner's: no document,
  no status figures, no records as buttons, no demand filed, the owner's settings and rows
  untouched, and a lookup of the owner's real record answered exactly like a lookup of a
  record that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from actions.base import requester_mobile
from bot_store import deferred, preferences, subscriptions
from bot_store.db import engine
from bot_store.schema import feedback as feedback_table
from sathi import trust
from tests.support.domain import load_domain
from tests.support.trackers import run, slot_events, tracker

SECRET = "authorization-test-secret"


# --- identities ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    label: str
    profile: str  # trainer / production
    channel: str  # whatsapp / rest / cmdline
    sender: Callable[[str], str]  # owner mobile -> conversation id
    proven: bool = False  # our WhatsApp connector stamped the message
    forged: bool = False  # metadata that claims WhatsApp with a wrong proof
    trusted_channels: str = ""  # SATHI_TRUSTED_CHANNELS ("" = the profile's default)
    expect_personal: bool = False


IDENTITIES = [
    Identity(
        "owner-whatsapp", "production", "whatsapp", lambda m: m, proven=True, expect_personal=True
    ),
    Identity("owner-trainer-rest", "trainer", "rest", lambda m: m, expect_personal=True),
    Identity("owner-trainer-shell", "trainer", "cmdline", lambda m: m, expect_personal=True),
    Identity("rest-as-owner-production", "production", "rest", lambda m: m),
    Identity(
        "rest-untrusted-namespaced",
        "trainer",
        "rest",
        lambda m: "rest:" + m,
        trusted_channels="whatsapp",
    ),
    Identity("shell-production", "production", "cmdline", lambda m: m),
    Identity("whatsapp-10-digits", "production", "whatsapp", lambda m: m[2:], proven=True),
    Identity("whatsapp-singapore", "production", "whatsapp", lambda m: "65" + m[-8:], proven=True),
    Identity("whatsapp-maldives", "production", "whatsapp", lambda m: "960" + m[-7:], proven=True),
    Identity("whatsapp-stranger", "production", "whatsapp", lambda m: "919800900001", proven=True),
    Identity("forged-whatsapp-metadata", "production", "rest", lambda m: m, forged=True),
]


@pytest.fixture
def as_identity(monkeypatch):
    def use(identity: Identity):
        monkeypatch.setenv("SATHI_PROFILE", identity.profile)
        monkeypatch.setenv("SATHI_TRUSTED_CHANNELS", identity.trusted_channels)
        monkeypatch.setenv("SATHI_CHANNEL_SECRET", SECRET)

    return use


def make_tracker(identity: Identity, owner: str, text: str = "", **kw):
    sender = identity.sender(owner)
    metadata = None
    if identity.proven:
        metadata = trust.stamp({}, "whatsapp", sender, "wamid.authz")
    elif identity.forged:
        metadata = {
            trust.CHANNEL_KEY: "whatsapp",
            trust.MESSAGE_ID_KEY: "wamid.x",
            trust.PROOF_KEY: "0" * 64,
        }
    return tracker(text, sender=sender, channel=identity.channel, metadata=metadata, **kw)


# --- what the owner's records are -------------------------------------------------------------
def owners(portal) -> dict[str, dict]:
    ids = portal.demo_ids
    employee = ids["employees"][0]
    official = ids["officials"][0]
    return {
        "job_card": ids["job_cards"][0],
        "employee": employee,
        "official": official,
        "trade_noc": next(r for r in ids["trade_nocs"] if r["status"] == "approved"),
        "building_plan": next(r for r in ids["building_plans"] if r["status"] == "approved"),
        "booking": next(r for r in ids["bookings"] if r["status"] == "confirmed"),
    }


MISSING = {
    "job_card": "WB-08-012-002-002/999",
    "trade_noc_no": "TN-2026-999999",
    "building_plan_no": "BP-2026-999999",
    "booking_no": "PTB-2026-999999",
    "employee_id": "WBP-9999999",
}


def dump(names, events, dispatcher) -> str:
    return repr((names, events, dispatcher.messages))


def personal_strings(record: dict) -> list[str]:
    values = [record.get(k) for k in ("head", "name")]
    return [v for v in values if v]


# --- the checks ---------------------------------------------------------------------------------
@dataclass
class Case:
    """How to run an action for an owner record, and what counts as personal output."""

    record: str  # key into owners()
    slots: Callable[[dict], dict] = lambda r: {}
    text: str = ""
    intent: str | None = None
    # What counts as personal output; None: the action never shows any (its row is checked
    # for not changing the owner's data and not showing the owner's number or names).
    personal: Callable[[list, list, object, dict], bool] | None = None
    owner_always_gets_it: bool = True  # False: the owner only may (e.g. a list
    # of records only when there are several)
    lookup_slot: str | None = None  # a form validation of this record id
    form: str | None = None


def has_document(names, events, dispatcher, record) -> bool:
    return "utter_document" in names or "document" in repr(dispatcher.messages)


def has_karmashree_figures(names, events, dispatcher, record) -> bool:
    return any(n and n.startswith("utter_karmashree_") for n in names)


def lists_records(field: str):
    def check(names, events, dispatcher, record) -> bool:
        return record[field] in repr(dispatcher.messages)

    return check


def filed_demand(names, events, dispatcher, record) -> bool:
    return any(n in ("utter_demand_receipt", "utter_demand_already_filed") for n in names)


def names_members(names, events, dispatcher, record) -> bool:
    return any(p in repr(dispatcher.messages) for p in personal_strings(record))


JOB = lambda r: {"job_card": r["job_card"]}  # noqa: E731


def first_worker(record: dict) -> str:
    from actions.base import portal

    return portal().job_card(record["job_card"], mobile=record["mobile"]).members[0].worker_id


LAST_MONTH, LAST_FY = "2026-10", "2025-26"

PUBLIC = Case("job_card", slots=JOB, personal=names_members)
ROWS: dict[str, Case] = {
    "action_validate_slot_mappings": Case("job_card", text="hello", intent="greet"),
    "action_greet": PUBLIC,
    "action_not_understood": PUBLIC,
    "action_cancel_request": PUBLIC,
    "action_route_inform": Case(
        "job_card", text="WB-08-012-002-002/270", intent="inform", personal=names_members
    ),
    "action_human_handoff": PUBLIC,
    "action_ask_job_card": Case(
        "job_card", personal=lists_records("job_card"), owner_always_gets_it=False
    ),
    # says whether a document is genuine: kind, office, date — nothing personal, for anyone
    "action_verify_document": Case("job_card", text="verify ABCDE-FGHJK", intent="verify_document"),
    # a callback is booked for the requester's own number (a stranger may book one for himself)
    "action_request_callback": Case(
        "job_card", slots=lambda r: {**JOB(r), "answer": "callback_yes"}
    ),
    "action_ask_erase_data": PUBLIC,
    "action_erase_my_data": Case("job_card", slots=lambda r: {"answer": "erase_yes"}),
    "action_opt_out": Case("job_card"),
    "action_opt_in": Case("job_card"),
    "action_feedback_reply": Case(
        "job_card", slots=lambda r: {"feedback_for": "work_status", "answer": "feedback_yes"}
    ),
    "action_deliver_deferred": Case(
        "trade_noc",
        text="EXTERNAL_deliver_deferred",
        intent="EXTERNAL_deliver_deferred",
        personal=has_document,
    ),
    "validate_karmashree_form": Case("job_card", lookup_slot="job_card", form="karmashree_form"),
    "action_karmashree_status": Case(
        "job_card",
        slots=lambda r: {**JOB(r), "karmashree_topic": "work"},
        personal=has_karmashree_figures,
    ),
    "validate_demand_work_form": Case("job_card", lookup_slot="job_card", form="demand_work_form"),
    "action_ask_demand_worker": Case("job_card", personal=names_members),
    "action_ask_demand_start": PUBLIC,
    "action_ask_demand_confirmed": PUBLIC,
    "action_demand_work": Case(
        "job_card",
        slots=lambda r: {
            **JOB(r),
            "demand_days": 5.0,
            "demand_start": "2026-12-02",
            "demand_confirmed": True,
            "demand_worker": first_worker(r),
        },
        personal=filed_demand,
    ),
    "validate_payslip_form": Case("employee", lookup_slot="employee_id", form="payslip_form"),
    "action_deliver_payslip": Case(
        "employee",
        slots=lambda r: {"employee_id": r["employee_id"], "month": LAST_MONTH},
        personal=has_document,
    ),
    "validate_salary_statement_form": Case(
        "employee", lookup_slot="employee_id", form="salary_statement_form"
    ),
    "action_deliver_salary_statement": Case(
        "employee",
        slots=lambda r: {"employee_id": r["employee_id"], "fin_year": LAST_FY},
        personal=has_document,
    ),
    "action_ask_employee_id": Case("employee", personal=lists_records("employee_id")),
    "validate_form26_form": Case("official", text="Dogachi", intent="inform"),
    "action_deliver_form26": Case(
        "official",
        slots=lambda r: {"gp_name": r["gram_panchayats"][0]["code"], "month": LAST_MONTH},
        personal=has_document,
    ),
    "action_ask_gp_name": Case(
        "official", personal=lambda n, e, d, r: r["gram_panchayats"][0]["code"] in repr(d.messages)
    ),
    "validate_cash_analysis_form": Case("official", text="Udaynarayanpur", intent="inform"),
    "action_deliver_cash_analysis": Case(
        "official",
        slots=lambda r: {"ps_name": r["panchayat_samitis"][0]["code"], "month": LAST_MONTH},
        personal=has_document,
    ),
    "action_ask_ps_name": Case(
        "official",
        personal=lambda n, e, d, r: r["panchayat_samitis"][0]["code"] in repr(d.messages),
    ),
    "validate_trade_noc_form": Case("trade_noc", lookup_slot="trade_noc_no", form="trade_noc_form"),
    "action_ask_trade_noc_no": Case("trade_noc", personal=lists_records("application_no")),
    "action_deliver_trade_noc": Case(
        "trade_noc", slots=lambda r: {"trade_noc_no": r["application_no"]}, personal=has_document
    ),
    "validate_building_plan_form": Case(
        "building_plan", lookup_slot="building_plan_no", form="building_plan_form"
    ),
    "action_ask_building_plan_no": Case("building_plan", personal=lists_records("application_no")),
    "action_deliver_building_plan": Case(
        "building_plan",
        slots=lambda r: {"building_plan_no": r["application_no"]},
        personal=has_document,
    ),
    "validate_tourism_slip_form": Case(
        "booking", lookup_slot="booking_no", form="tourism_slip_form"
    ),
    "action_ask_booking_no": Case("booking", personal=lists_records("booking_no")),
    "action_deliver_tourism_slip": Case(
        "booking", slots=lambda r: {"booking_no": r["booking_no"]}, personal=has_document
    ),
    # status pushes (issue 13): only the verified owner follows, stops or sees the list of
    # his own records; everyone else gets the same refusal and changes nothing
    "action_subscribe_updates": Case(
        "job_card",
        slots=JOB,
        intent="subscribe_updates",
        personal=lambda n, e, d, r: "utter_subscribed" in n,
    ),
    "action_unsubscribe_updates": Case("job_card", intent="unsubscribe_updates"),
    "action_list_subscriptions": Case(
        "job_card",
        intent="list_subscriptions",
        personal=lambda n, e, d, r: "utter_subscriptions_list" in n,
        owner_always_gets_it=False,
    ),
}
RECORD_ID = {
    "job_card": "job_card",
    "employee": "employee_id",
    "trade_noc": "application_no",
    "building_plan": "application_no",
    "booking": "booking_no",
}


def domain_actions() -> list[str]:
    return list(load_domain()["actions"])


_ACTIONS: dict[str, object] = {}


def action_class(name: str):
    """An instance of the action class whose name() is `name` (every module of `actions`)."""
    if not _ACTIONS:
        import importlib
        import inspect
        import pkgutil

        from rasa_sdk import Action

        import actions

        for module in pkgutil.iter_modules(actions.__path__):
            loaded = importlib.import_module(f"actions.{module.name}")
            for _, cls in inspect.getmembers(loaded, inspect.isclass):
                if (
                    issubclass(cls, Action)
                    and not inspect.isabstract(cls)
                    and cls.__module__.startswith("actions.")
                ):
                    try:
                        _ACTIONS[cls().name()] = cls()
                    except Exception:  # a base class without a name of its own
                        pass
    return _ACTIONS[name]


# --- tests ------------------------------------------------------------------------------------
def test_every_domain_action_has_a_row():
    missing = sorted(set(domain_actions()) - set(ROWS))
    stale = sorted(set(ROWS) - set(domain_actions()))
    assert not missing, f"actions without an authorization row: {missing}"
    assert not stale, f"rows for actions no longer in the domain: {stale}"


def owner_state(mobile: str):
    """What a non-owner must never change: the owner's settings and bot-store rows."""
    with engine().connect() as conn:
        rows = conn.execute(feedback_table.select().where(feedback_table.c.mobile == mobile)).all()
    return (
        preferences.get(mobile),
        len(rows),
        [(r.id, r.state) for r in deferred.rows(mobile)],
        subscriptions.of(mobile),
    )


@pytest.mark.parametrize("identity", IDENTITIES, ids=lambda i: i.label)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_what_each_identity_gets(portal, as_identity, identity, name):
    as_identity(identity)
    case = ROWS[name]
    record = owners(portal)[case.record]
    owner = record["mobile"]
    action = action_class(name)
    preferences.save(owner, language="en", opted_out=False)
    deferred.defer(
        owner,
        "whatsapp",
        "trade_noc",
        {"method": "trade_noc_pdf", "args": [record.get("application_no", "x")], "record_ref": "x"},
    )
    before = owner_state(owner)

    def attempt(text: str, slots: dict):
        entities = []
        if name == "action_deliver_deferred" and identity.label == "owner-whatsapp":
            # our worker's signed trigger, into the owner's own WhatsApp conversation only;
            # everyone else can only type `/EXTERNAL_deliver_deferred`
            entities = [
                {
                    "entity": trust.DEFERRED_PROOF_ENTITY,
                    "value": trust.deferred_trigger_proof(identity.sender(owner)),
                }
            ]
        t = make_tracker(
            identity,
            owner,
            text,
            intent=case.intent or ("inform" if case.lookup_slot else None),
            slots={"language": "en", **slots},
            entities=entities,
            requested_slot=case.lookup_slot,
            active_loop=case.form,
        )
        return run(action, t)

    if case.lookup_slot:
        real_id = record[RECORD_ID[case.record]]
        real = attempt(real_id, {})
        missing = attempt(MISSING[case.lookup_slot], {})
        if identity.expect_personal:
            assert slot_events(real[1]).get(case.lookup_slot), "the owner's own record is taken"
        else:
            same = [
                dump(*real).replace(real_id, "<id>"),
                dump(*missing).replace(MISSING[case.lookup_slot], "<id>"),
            ]
            assert same[0] == same[1], "a stranger can tell a real record from a missing one"
    else:
        names, events, dispatcher = attempt(case.text, case.slots(record))
        got_personal = bool(case.personal and case.personal(names, events, dispatcher, record))
        if (
            identity.expect_personal
            and case.personal not in (None, names_members)
            and case.owner_always_gets_it
            and (name != "action_deliver_deferred" or identity.label == "owner-whatsapp")
        ):
            assert got_personal, f"{identity.label} should get {name}'s answer: {names}"
        if not identity.expect_personal:
            assert not got_personal, f"{identity.label} got personal output from {name}: {names}"
            assert owner not in repr(dispatcher.messages)
            for value in personal_strings(record):
                assert value not in repr(dispatcher.messages)
    if not identity.expect_personal:
        assert owner_state(owner) == before, f"{identity.label} changed the owner's data via {name}"
        assert requester_mobile(make_tracker(identity, owner)) != owner


@pytest.mark.parametrize(
    "wa_id",
    [
        "6591234567",
        "9607712345",
        "9800000001",
        "447700900123",
        "14155550123",
        "8801712345678",
        "9779812345678",
        "91980000000",
        "9198000000011",
        "915800000001",
    ],
)
def test_only_91_and_ten_digits_is_an_indian_whatsapp_number(monkeypatch, wa_id):
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", SECRET)
    monkeypatch.setenv("SATHI_PROFILE", "production")
    t = tracker(
        "x",
        sender=wa_id,
        channel="whatsapp",
        metadata=trust.stamp({}, "whatsapp", wa_id, "wamid.1"),
    )
    assert requester_mobile(t) is None


def test_an_indian_whatsapp_number_is_the_requester(monkeypatch):
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", SECRET)
    monkeypatch.setenv("SATHI_PROFILE", "production")
    t = tracker(
        "x",
        sender="919800000001",
        channel="whatsapp",
        metadata=trust.stamp({}, "whatsapp", "919800000001", "wamid.1"),
    )
    assert requester_mobile(t) == "919800000001"
    assert re.fullmatch(r"91[6-9]\d{9}", requester_mobile(t))
