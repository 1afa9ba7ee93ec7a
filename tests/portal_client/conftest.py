from __future__ import annotations

import pytest

from portal_client import PortalClient
from tests.portal_client.fake_portal import FakePortal

SERVICE_KEY = "test-service-key-5f1c9a"
OWNER = "919800000001"


@pytest.fixture
def fake_portal():
    portal = FakePortal()
    yield portal
    portal.close()


@pytest.fixture
def make_client(fake_portal):
    """A client of the fake portal; fast timeouts and backoff unless told otherwise."""
    clients = []

    def make(**overrides) -> PortalClient:
        settings = dict(
            connect_timeout=0.5,
            read_timeout=0.5,
            retries=2,
            backoff=0.01,
            breaker_failures=50,
            breaker_cooldown=30.0,
        )
        settings.update(overrides)
        base_url = settings.pop("base_url", fake_portal.base_url)
        client = PortalClient(base_url, SERVICE_KEY, **settings)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def make_pdf(*lines: str, text: bool = True) -> bytes:
    """A real one-page PDF (fpdf2) with `lines` on it; text=False draws only a rectangle."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        for line in lines or ("Test document",):
            pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.rect(20, 20, 50, 50)
    return bytes(pdf.output())
