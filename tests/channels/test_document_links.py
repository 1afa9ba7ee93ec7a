"""Document links (rest / rasa shell): the real download route (channels/document_links.py)
in an in-process Sanic server over the real bot store. A token serves exactly one document,
cannot be derived from anything the user sees, dies after its TTL, and an unknown or dead
token is a 404 that gives nothing away."""

from __future__ import annotations

import asyncio
import base64
import uuid

import aiohttp
import pytest

from bot_store import documents
from channels.document_links import DocumentDownloadChannel
from tests.portal_client.conftest import make_pdf
from tests.support.whatsapp import free_port

OWNER = "919800300001"
OTHER = "919800300101"


def store(owner, ref, text):
    return documents.store_document(
        owner_mobile=owner,
        service="trade_noc",
        record_ref=ref,
        filename=f"trade-noc-{ref}.pdf",
        content=make_pdf(text),
        pages=1,
    )


def fetch_all(paths):
    """GET each path on a fresh in-process server: [(status, headers, body bytes)]."""

    async def go():
        from sanic import Sanic

        Sanic.test_mode = True
        app = Sanic(f"links_test_{uuid.uuid4().hex[:10]}")
        app.config.ACCESS_LOG = False
        channel = DocumentDownloadChannel()
        app.blueprint(channel.blueprint(lambda message: None), url_prefix=channel.url_prefix())
        port = free_port()
        server = await app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
        )
        await server.startup()
        try:
            out = []
            async with aiohttp.ClientSession() as session:
                for path in paths:
                    async with session.get(f"http://127.0.0.1:{port}{path}") as answer:
                        out.append((answer.status, dict(answer.headers), await answer.read()))
            return out
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(go())


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28T10:00:00")
    monkeypatch.delenv("SATHI_LINK_TTL_SECONDS", raising=False)


def test_a_token_serves_exactly_its_own_document():
    first = store(OWNER, "TN-2026-004500", "first document")
    second = store(OTHER, "BP-2026-000800", "second document")
    token_1 = documents.create_download_token(first, OWNER)
    token_2 = documents.create_download_token(second, OTHER)
    (s1, h1, b1), (s2, h2, b2) = fetch_all([f"/documents/{token_1}", f"/documents/{token_2}"])
    assert (s1, s2) == (200, 200)
    assert b1 == documents.load_document(first).content != b2
    assert b2 == documents.load_document(second).content
    assert h1["Content-Type"] == "application/pdf"
    assert 'filename="trade-noc-TN-2026-004500.pdf"' in h1["Content-Disposition"]
    assert h1.get("Cache-Control") == "no-store"


def test_tokens_are_random_and_not_derived_from_what_the_user_sees():
    document_id = store(OWNER, "TN-2026-004500", "x")
    tokens = [documents.create_download_token(document_id, OWNER) for _ in range(20)]
    assert len(set(tokens)) == len(tokens)  # fresh every time
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
        assert document_id not in token and "004500" not in token and OWNER not in token
    # neither the document id, nor the record id, nor the owner's number opens anything
    guesses = [document_id, "TN-2026-004500", OWNER, "trade-noc-TN-2026-004500.pdf"]
    answers = fetch_all([f"/documents/{g}" for g in guesses] + [f"/documents/{tokens[0]}"])
    assert [a[0] for a in answers] == [404, 404, 404, 404, 200]


def test_changing_one_character_is_a_404():
    token = documents.create_download_token(store(OWNER, "TN-2026-004500", "x"), OWNER)
    flipped = []
    for position in (0, len(token) // 2, len(token) - 1):
        swap = "A" if token[position] != "A" else "B"
        flipped.append(token[:position] + swap + token[position + 1 :])
    answers = fetch_all([f"/documents/{t}" for t in flipped] + [f"/documents/{token}"])
    assert [a[0] for a in answers] == [404, 404, 404, 200]


def test_expired_link_is_a_404(monkeypatch):
    monkeypatch.setenv("SATHI_LINK_TTL_SECONDS", "60")
    token = documents.create_download_token(store(OWNER, "TN-2026-004500", "x"), OWNER)
    assert fetch_all([f"/documents/{token}"])[0][0] == 200
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28T10:02:00")  # two minutes later
    assert fetch_all([f"/documents/{token}"])[0][0] == 404


def test_default_ttl_is_minutes_not_days(monkeypatch):
    token = documents.create_download_token(store(OWNER, "TN-2026-004500", "x"), OWNER)
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28T11:00:00")  # an hour later
    assert fetch_all([f"/documents/{token}"])[0][0] == 404


def test_unknown_and_expired_look_the_same_and_hint_nothing(monkeypatch):
    monkeypatch.setenv("SATHI_LINK_TTL_SECONDS", "60")
    document_id = store(OWNER, "TN-2026-004500", "secret contents")
    token = documents.create_download_token(document_id, OWNER)
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28T10:05:00")
    unknown = "A" * len(token)
    (s1, _, expired), (s2, _, missing), (s3, _, junk) = fetch_all(
        [f"/documents/{token}", f"/documents/{unknown}", "/documents/..%2F..%2Fetc"]
    )
    assert s1 == s2 == s3 == 404
    assert expired == missing == junk
    for body in (expired, missing):
        assert b"TN-2026" not in body and OWNER.encode() not in body and b"%PDF" not in body
