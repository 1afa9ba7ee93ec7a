"""channels/server_start.py: once a rasa server has started, both channels' listeners freeze
the loaded objects (channels/gc_tuning.py) and Sanic builds an access-log record only when
the `sanic.access` logger would print it."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest
from sanic.log import access_logger

from tests.support.whatsapp import ChannelHarness
from tools import webhook_client as wc

A = "919800000001"


async def echo(message) -> None:
    await message.output_channel.send_text_message(message.sender_id, "ok")


@pytest.fixture
def access_records(monkeypatch):
    """Access-log records Sanic builds (each call of the logger's `info`)."""
    calls: list[dict] = []
    monkeypatch.setattr(access_logger, "info", lambda *a, **kw: calls.append(kw))
    return calls


def _run_whatsapp(level: int) -> tuple[bool, int]:
    """A WhatsApp channel whose server builds access-log records until its start listener
    runs, with `sanic.access` at `level`: (ACCESS_LOG after the listener, how many of three
    status webhooks, each on a new connection, were answered 200)."""

    async def go() -> tuple[bool, int]:
        async with ChannelHarness(echo, start_worker=False) as h:
            h.app.config.ACCESS_LOG = True
            # after the app is made (Sanic's logging defaults), as Rasa's serve_application
            # sets LOG_LEVEL_LIBRARIES
            access_logger.setLevel(level)
            await h.start_worker_now()
            setting = h.app.config.ACCESS_LOG
            ok = 0
            for n in range(3):  # new connections read the setting
                await h.session.close()
                h.session = aiohttp.ClientSession()
                status = wc.status(f"wamid.ACCESS{n}", A, "delivered")
                ok += (await h.post(wc.envelope(statuses=[status])))[0] == 200
            return setting, ok

    old = access_logger.level
    try:
        return asyncio.run(go())
    finally:
        access_logger.setLevel(old)


def test_no_access_record_is_built_when_none_would_be_printed(access_records):
    setting, answered = _run_whatsapp(logging.ERROR)  # Rasa's default LOG_LEVEL_LIBRARIES
    assert answered == 3
    assert setting is False
    assert access_records == []


def test_an_operator_who_asks_for_access_logs_gets_them(access_records):
    setting, answered = _run_whatsapp(logging.INFO)
    assert answered == 3
    assert setting is True
    assert len(access_records) == 3


def test_both_channels_settle_after_the_server_started():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("whatsapp.py", "rest_guard.py"):
        source = (root / "channels" / name).read_text()
        listener = source.index('@bp.listener("after_server_start")')
        assert "server_start.settle(app)" in source[listener : listener + 400], name
