"""The WhatsApp webhook's JSON handling (channels/whatsapp.py `store`, channels/whatsapp_worker.py
`user_text`) with arbitrary JSON and Meta-shaped payloads full of odd values: no exception,
and only well-formed messages reach the inbox."""

from __future__ import annotations

import tempfile

from hypothesis import given
from hypothesis import strategies as st

from bot_store import db, inbox
from channels.whatsapp import WhatsAppInput
from channels.whatsapp_worker import user_text
from sathi.settings import reset_settings
from tests.fuzz.strategies import any_json, hostile_text

PHONE_ID = "100000000000001"


def channel() -> WhatsAppInput:
    return WhatsAppInput("secret-" + "x" * 20, "verify", "access", PHONE_ID)


def with_store(fn):
    def run(*args, **kwargs):
        import os

        with tempfile.TemporaryDirectory() as tmp:
            old = os.environ.get("SATHI_BOT_STORE_URL")
            os.environ["SATHI_BOT_STORE_URL"] = f"sqlite:///{tmp}/bs.db"
            reset_settings()
            db.reset_for_tests()
            try:
                return fn(*args, **kwargs)
            finally:
                db.reset_for_tests()
                if old is None:
                    os.environ.pop("SATHI_BOT_STORE_URL", None)
                else:
                    os.environ["SATHI_BOT_STORE_URL"] = old
                reset_settings()

    run.__name__ = fn.__name__
    return run


message = st.fixed_dictionaries(
    {
        "from": st.one_of(st.just("919800000001"), hostile_text, st.integers(), st.none()),
        "id": st.one_of(st.text(min_size=1, max_size=40).map(lambda s: "wamid." + s), any_json),
        "timestamp": st.one_of(st.just("1764300000"), any_json),
        "type": st.one_of(
            st.sampled_from(
                ["text", "interactive", "button", "audio", "image", "system", "unknown"]
            ),
            any_json,
        ),
        "text": st.one_of(
            st.fixed_dictionaries({"body": st.one_of(hostile_text, any_json)}), any_json
        ),
        "interactive": any_json,
        "button": any_json,
    }
)
envelope = st.fixed_dictionaries(
    {
        "object": st.just("whatsapp_business_account"),
        "entry": st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.just("1"),
                    "changes": st.lists(
                        st.fixed_dictionaries(
                            {
                                "field": st.sampled_from(["messages", "other"]),
                                "value": st.one_of(
                                    any_json,
                                    st.fixed_dictionaries(
                                        {
                                            "metadata": st.one_of(
                                                st.just({"phone_number_id": PHONE_ID}), any_json
                                            ),
                                            "messages": st.one_of(
                                                st.lists(st.one_of(message, any_json), max_size=3),
                                                any_json,
                                            ),
                                            "statuses": st.one_of(
                                                st.lists(any_json, max_size=2), any_json
                                            ),
                                        }
                                    ),
                                ),
                            }
                        ),
                        max_size=2,
                    ),
                }
            ),
            max_size=2,
        ),
    }
)


@given(payload=st.one_of(any_json, envelope))
@with_store
def test_store_accepts_anything_and_queues_only_good_messages(payload):
    added = channel().store(payload)
    rows = inbox.rows()
    assert added == len(rows)
    for row in rows:
        assert row["wa_id"].isdigit() and len(row["wa_id"]) <= 16


@given(msg=st.one_of(message, any_json.filter(lambda v: isinstance(v, dict))))
def test_user_text_never_raises(msg):
    text, kind = user_text(msg)
    assert text is None or (isinstance(text, str) and text.strip())
    assert isinstance(kind, str)
