"""An empty or punctuation-only message reaches the NLU on channels we do not own (rasa
shell's `cmdline`); the model must read it as not understood, never crash (Rasa 3.6 raised
on an empty message and the shell hung)."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("text", ["", "   ", "???", "...", "।"])
def test_the_model_reads_nothing_as_not_understood(stack, text):
    token = stack.secret("rasa_api_token")
    parsed = requests.post(
        f"{stack.rasa_url}/model/parse", params={"token": token}, json={"text": text}, timeout=30
    )
    assert parsed.status_code == 200, parsed.text
    assert parsed.json()["intent"]["name"] == "nlu_fallback"
