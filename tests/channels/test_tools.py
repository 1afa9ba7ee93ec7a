"""The emulator as a process (as scripts/stack.sh starts it) and the trainers' wa_chat view."""

from __future__ import annotations

import asyncio

import requests

from tests.support.whatsapp import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    ChannelHarness,
    EmulatorClient,
    free_port,
    run,
    start_emulator_process,
)
from tools import wa_chat


def test_emulator_runs_as_a_module_with_health():
    port = free_port()
    proc = start_emulator_process(
        port,
        env={"WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN, "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert requests.get(f"{base}/health", timeout=5).json()["status"] == "ok"
        client = EmulatorClient(base)
        client.fail("rate_limit")
        url = f"{base}/v21.0/{PHONE_NUMBER_ID}/messages"
        headers = {"Authorization": f"Bearer {ACCESS_TOKEN}"}
        body = {
            "messaging_product": "whatsapp",
            "to": "919800000001",
            "type": "text",
            "text": {"body": "hi"},
        }
        assert (
            requests.post(url, json=body, headers=headers, timeout=5).json()["error"]["code"]
            == 130429
        )
        assert requests.post(url, json=body, headers=headers, timeout=5).status_code == 200
        assert [m["body"]["text"]["body"] for m in client.messages("919800000001")] == ["hi"]
        client.reset()
        assert client.messages() == []
    finally:
        proc.terminate()
        proc.wait(10)


def test_wa_chat_shows_texts_buttons_and_taps_by_payload():
    async def handler(message):
        if message.text == '/set_language{"language":"en"}':
            await message.output_channel.send_response(
                message.sender_id, {"text": "English it is."}
            )
            return
        await message.output_channel.send_response(
            message.sender_id,
            {
                "text": "ভাষা বেছে নিন / Choose a language",
                "buttons": [
                    {"title": "বাংলা", "payload": '/set_language{"language":"bn"}'},
                    {"title": "English", "payload": '/set_language{"language":"en"}'},
                ],
            },
        )

    async def go():
        async with ChannelHarness(handler) as h:
            chat = await asyncio.to_thread(
                wa_chat.Chat,
                "919800000007",
                h.url,
                f"http://127.0.0.1:{h.emulator_port}",
                APP_SECRET,
            )
            chat.quiet = 0.3
            lines = []
            chat.out = lines.append
            await asyncio.to_thread(chat.line, "hello")
            await asyncio.to_thread(chat.line, "2")
            await asyncio.to_thread(chat.line, ":image")
            text = "\n".join(lines)
            assert "[1] বাংলা" in text and "[2] English" in text
            assert "English it is." in text
            assert "Sorry, I can read only text" in text
            assert h.received[1].text == '/set_language{"language":"en"}'

    run(go())
