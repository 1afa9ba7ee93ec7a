import pytest

from sathi.identifiers import (
    parse_booking_number,
    parse_building_plan_number,
    parse_employee_id,
    parse_job_card,
    parse_mobile,
    parse_trade_noc_number,
)


@pytest.mark.parametrize(
    "typed",
    [
        "WB-08-012-002-002/270",
        "wb 08 012 002 002 270",
        "wb-08-012-002-002-270",
        "WB08012002002270",
        "WB-08012002002/270",
        "ডব্লিউবি ০৮ ০১২ ০০২ ০০২ ২৭০",
        "wb ০৮-০১২-০০২-০০২/২৭০",
        "WB-3208012002-2-270",
        "wb 3208012002 2 270",
        " WB-3208012002-002-270 ",
    ],
)
def test_job_card_shapes_reach_the_same_household(typed):
    card = parse_job_card(typed)
    assert card is not None, typed
    assert card.nrega == "WB-08-012-002-002/270"
    assert card.karmashree == "WB-3208012002-2-270"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "hello",
        "WB-08-012-002-002",
        "WB-32080120-2-270",
        "WB-08-012-002-002/270/5",
        "9800000001",
        "WB-00-012-002-002/270",
        "x" * 5000,
        "WB-08-012-000-002/270",
    ],
)
def test_job_card_rejects_other_text(typed):
    assert parse_job_card(typed) is None


def test_document_numbers():
    assert parse_trade_noc_number("tn 2026 4512") == "TN-2026-004512"
    assert parse_trade_noc_number("TNC/2025/000045") == "TNC-2025-000045"
    assert parse_building_plan_number("bp-২০২৬-৭৩১") == "BP-2026-000731"
    assert parse_booking_number("ptb 2026 000123") == "PTB-2026-000123"
    assert parse_employee_id("wbp 1002345") == "WBP-1002345"
    assert parse_employee_id("WBP-100234") is None
    assert parse_trade_noc_number("BP-2026-000731") is None


@pytest.mark.parametrize(
    "typed", ["9800000001", "+91 98000 00001", "098000-00001", "919800000001", "৯৮০০০০০০০১"]
)
def test_mobile_numbers_in_whatsapp_form(typed):
    assert parse_mobile(typed) == "919800000001"


@pytest.mark.parametrize("typed", ["12345", "5800000001", "91980000000", "abc"])
def test_mobile_rejects(typed):
    assert parse_mobile(typed) is None


@pytest.mark.parametrize(
    "message",
    [
        "amar job card WB 08 012 002 002 270 e koto din kaj holo",
        "আমার জব কার্ড ডব্লিউবি ৩২০৮০১২০০২ ২ ২৭০ কত দিন কাজ পেয়েছি?",
        "job card WB-08-012-002-002/270 wages status please",
        "WB-3208012002-2-270 er majuri",
    ],
)
def test_find_job_card_inside_a_message(message):
    from sathi.identifiers import find_job_card

    assert find_job_card(message).nrega == "WB-08-012-002-002/270"


def test_find_other_numbers_inside_a_message():
    from sathi.identifiers import find_employee_id, find_job_card, find_prefixed_number

    assert find_prefixed_number("trade licence tn 2026 4512 pathan", "TN") == "TN-2026-004512"
    assert find_prefixed_number("my booking PTB/2026/123 slip", "PTB") == "PTB-2026-000123"
    assert find_employee_id("pay slip for wbp 1002300 october") == "WBP-1002300"
    assert find_job_card("koto din kaj pelam 2026 e") is None
    assert find_job_card("call me at 9800000001") is None
