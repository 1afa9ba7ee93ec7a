"""Every PDF is checked with pypdf before anyone gets it; file names are made safe."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal_client import BadDocument, PdfDocument
from portal_client.pdf_check import check_pdf, filename_from_disposition, safe_filename
from tests.portal_client.conftest import OWNER, make_pdf
from tests.portal_client.fake_portal import Reply

PDF_PATH = "/payroll/employees/WBP-1002345/payslips/2026-10/pdf"


def test_a_good_pdf_passes():
    content = make_pdf("Pay slip WBP-1002345", "October 2026")
    doc = check_pdf(content, filename="payslip.pdf")
    assert isinstance(doc, PdfDocument)
    assert doc.pages == 1 and doc.size == len(content)
    assert "WBP-1002345" in doc.text_excerpt
    assert len(doc.sha256) == 64
    assert "%PDF" not in repr(doc) and "WBP-1002345" not in repr(doc)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html>not a pdf</html>",
        b"%PDF-1.4\n this is not really a pdf",
        make_pdf("x")[:200],
        make_pdf(text=False),
    ],
    # named, not shown: a made PDF carries its creation time, and test workers must collect
    # the same names (pytest-xdist)
    ids=["empty", "html", "pdf-header-only", "truncated-pdf", "pdf-without-text"],
)
def test_bad_pdfs_are_refused(content):
    with pytest.raises(BadDocument):
        check_pdf(content, filename="x.pdf")


def test_too_big_is_refused():
    content = make_pdf("big")
    with pytest.raises(BadDocument, match="limit"):
        check_pdf(content, filename="x.pdf", max_bytes=len(content) - 1)


@pytest.mark.parametrize(
    "header, expected",
    [
        ('attachment; filename="payslip-2026-10.pdf"', "payslip-2026-10.pdf"),
        ("attachment; filename=payslip.pdf", "payslip.pdf"),
        ('attachment; filename="../../etc/passwd.pdf"', "passwd.pdf"),
        ('attachment; filename="C:\\Windows\\evil.pdf"', "evil.pdf"),
        ("attachment; filename*=UTF-8''trade%20noc%20%E0%A6%95.pdf", "trade_noc.pdf"),
        ('attachment; filename="report"', "report.pdf"),
        ('attachment; filename="..pdf"', "fallback.pdf"),
        ("attachment", "fallback.pdf"),
        (None, "fallback.pdf"),
    ],
)
def test_file_names_are_sanitized(header, expected):
    assert safe_filename(filename_from_disposition(header), "fallback.pdf") == expected


@given(st.text(max_size=300))
def test_any_proposed_name_becomes_a_bare_safe_pdf_name(proposed):
    name = safe_filename(proposed, "fallback.pdf")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.pdf", name)


def test_the_client_refuses_bad_pdf_bytes(fake_portal, make_client):
    fake_portal.script(
        PDF_PATH,
        Reply(200, b"%PDF-1.7 garbage garbage", headers={"Content-Type": "application/pdf"}),
    )
    with pytest.raises(BadDocument):
        make_client().payslip_pdf("WBP-1002345", "2026-10", mobile=OWNER)
    assert fake_portal.count() == 1  # not retried: the portal answered


def test_the_client_refuses_an_oversized_pdf(fake_portal, make_client):
    content = make_pdf("x")
    fake_portal.script(PDF_PATH, Reply(200, content))
    with pytest.raises(BadDocument):
        make_client(max_pdf_bytes=len(content) - 10).payslip_pdf(
            "WBP-1002345", "2026-10", mobile=OWNER
        )


def test_the_client_returns_a_checked_pdf_with_a_safe_name(fake_portal, make_client):
    content = make_pdf("Pay slip", "WBP-1002345 2026-10")
    fake_portal.script(
        PDF_PATH,
        Reply(
            200,
            content,
            headers={
                "Content-Type": "application/pdf",
                "Content-Disposition": 'attachment; filename="/tmp/../payslip-WBP-1002345-2026-10.pdf"',
            },
        ),
    )
    doc = make_client().payslip_pdf("wbp 1002345", "2026-10", mobile=OWNER)
    assert doc.filename == "payslip-WBP-1002345-2026-10.pdf"
    assert doc.content == content
    assert "WBP-1002345" in doc.text_excerpt


def test_without_content_disposition_the_name_is_derived(fake_portal, make_client):
    fake_portal.script("/tourism/bookings/PTB-2026-000042/pdf", Reply(200, make_pdf("Slip")))
    doc = make_client().tourism_slip_pdf("ptb 2026 42", mobile=OWNER)
    assert doc.filename == "reservation-slip-PTB-2026-000042.pdf"
