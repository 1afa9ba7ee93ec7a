"""Common page layout: letterhead, title, key/value blocks, tables, footer, and the
verification code with its QR code on every document.

Fonts: Noto Sans (Latin) with Noto Sans Bengali as its fallback, both shipped in
portal_backend/fonts under the SIL Open Font License (OFL.txt there), and HarfBuzz text
shaping (fpdf2 `set_text_shaping`, the `uharfbuzz` package), so Bengali names and places
are drawn with their conjuncts and vowel signs in place and can be extracted as text."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime, timezone
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.output import OutputProducer

from sathi import formatting

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "NotoSans"
BENGALI_FONT = "NotoSansBengali"
_REPLACEMENTS = {"₹": "Rs. ", "‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "•": "-"}
DEPARTMENT = "Panchayats & Rural Development Department, Government of West Bengal"
DEPARTMENT_BN = "পঞ্চায়েত ও গ্রামোন্নয়ন দপ্তর, পশ্চিমবঙ্গ সরকার"


def latin1(text) -> str:
    """Text as printed: a few typographic characters made plain (the name is historical:
    the fonts are Unicode now, Bengali is kept)."""
    text = "" if text is None else str(text)
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text


class _NoText(tuple):
    """The Unicode text of a glyph that carries none of its own: iterates as nothing, so the
    font's ToUnicode map gets `<code> <>` (fpdf2 leaves such a glyph out, and text
    extraction then shows its raw code as a stray character)."""

    def __len__(self) -> int:
        return 1

    def __iter__(self):
        return iter(())


class _ShapedTextOutput(OutputProducer):
    """fpdf2's producer, except that a glyph shaping moved out of its cluster's first place
    (a Bengali vowel sign drawn before its consonant: the first glyph already carries the
    cluster's text) maps to no text, so pypdf and PDF readers extract Bengali in logical order
    without stray characters. Relies on fpdf2's SubsetMap internals (fpdf2 is pinned)."""

    def _add_fonts(self, *args, **kwargs):
        for font in self.fpdf.fonts.values():
            glyphs = getattr(getattr(font, "subset", None), "_char_id_per_glyph", None)
            if not isinstance(glyphs, dict):
                continue
            for glyph in [
                g
                for g in glyphs
                if g is not None and type(g.unicode) is tuple and len(g.unicode) == 0
            ]:
                glyphs[dataclasses.replace(glyph, unicode=_NoText())] = glyphs.pop(glyph)
        return super()._add_fonts(*args, **kwargs)


def both(english, bengali) -> str:
    """`English / বাংলা` when the Bengali differs, else the English."""
    english = "" if english is None else str(english)
    if bengali and str(bengali) != english:
        return f"{english} / {bengali}" if english else str(bengali)
    return english


def rupees(amount) -> str:
    return "Rs. " + formatting.group_indian(int(amount or 0))


def day(value: date | None) -> str:
    return formatting.day(value, "en") if value else "-"


def month_name(key: str) -> str:
    return formatting.month(key, "en")


class Document(FPDF):
    """A4 portrait document with the department's letterhead and a fixed creation date."""

    def __init__(self, office: str, title: str, reference: str, dated: date | None):
        super().__init__(orientation="P", unit="mm", format="A4")
        # Parsing a face costs ~0.1 s: Latin regular and bold, Bengali regular (bold Bengali
        # text falls back to it: `exact_match=False`).
        self.add_font(FONT, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
        self.add_font(BENGALI_FONT, "", str(FONT_DIR / "NotoSansBengali-Regular.ttf"))
        self.set_fallback_fonts([BENGALI_FONT], exact_match=False)
        self.set_text_shaping(True)
        self.verification: dict | None = None
        stamp = datetime.combine(dated or date(2024, 1, 1), datetime.min.time(), timezone.utc)
        self.set_creation_date(stamp)
        self.set_creator("Sathi reference portal backend")
        self.set_producer("Sathi reference portal backend")
        self.set_title(latin1(f"{title} {reference}"))
        self.set_author(latin1(office))
        self.office, self.doc_title, self.reference = office, title, reference
        self.set_auto_page_break(True, margin=18)
        self.set_margins(15, 15, 15)
        self.add_page()

    def set_font(self, family=None, style="", size=0):
        """No italic face is shipped: italic is printed upright (its text is the same)."""
        style = str(style or "").upper().replace("I", "")
        super().set_font(family, style, size)

    def header(self):
        self.set_font(FONT, "B", 10)
        self.cell(0, 5, latin1(DEPARTMENT), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.cell(0, 5, DEPARTMENT_BN, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        self.cell(0, 5, latin1(self.office), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(15, self.get_y() + 1, 195, self.get_y() + 1)
        self.ln(4)

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT, "I", 7)
        code = f" Verification code {self.verification['display']}." if self.verification else ""
        self.cell(
            0,
            4,
            latin1(
                f"{self.doc_title} {self.reference} - page {self.page_no()}.{code} "
                "Generated by the reference portal backend (demo data)."
            ),
            align="C",
        )

    def title_block(self, title: str, subtitle: str | None = None):
        self.set_font(FONT, "B", 14)
        self.cell(0, 8, latin1(title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT, "", 9)
            self.cell(0, 5, latin1(subtitle), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def fields(self, pairs, label_width: float = 55):
        """Rows `Label: value`, each on its own line."""
        for label, value in pairs:
            self.set_font(FONT, "B", 10)
            self.cell(label_width, 6, latin1(f"{label}:"))
            self.set_font(FONT, "", 10)
            self.multi_cell(0, 6, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def heading(self, text: str):
        self.ln(1)
        self.set_font(FONT, "B", 11)
        self.cell(0, 7, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: int = 10, style: str = ""):
        self.set_font(FONT, style, size)
        self.multi_cell(0, 5.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def grid(
        self,
        header: list[str],
        rows: list[list],
        widths: list[float],
        align_right_from: int = 1,
        bold_last: bool = False,
        size: int = 9,
    ):
        """A simple ruled table; columns from `align_right_from` are right-aligned."""
        self.set_font(FONT, "B", size)
        for text, width in zip(header, widths):
            self.cell(width, 6, latin1(text), border=1, align="C")
        self.ln()
        for r, row in enumerate(rows):
            last = bold_last and r == len(rows) - 1
            self.set_font(FONT, "B" if last else "", size)
            for c, (text, width) in enumerate(zip(row, widths)):
                self.cell(
                    width, 6, latin1(text), border=1, align="R" if c >= align_right_from else "L"
                )
            self.ln()
        self.ln(2)

    def signature(self, who: str, place_date: str):
        self.ln(6)
        self.set_font(FONT, "", 10)
        self.cell(90, 5, latin1(place_date))
        self.cell(0, 5, latin1(who), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def verify_with(self, verification: dict | None) -> Document:
        """Print this verification (`portal_backend.verification.issue`) on the document."""
        self.verification = verification
        return self

    def verification_block(self):
        """The code and a QR code that opens a WhatsApp chat with Sathi, "verify CODE" typed."""
        found = self.verification
        if not found:
            return
        size = 26
        if self.get_y() + size + 4 > self.h - 18:
            self.add_page()
        self.ln(4)
        top = self.get_y()
        qr = io.BytesIO()
        segno.make(found["link"], error="m").save(qr, kind="png", scale=4, border=2)
        qr.seek(0)
        self.image(qr, x=self.l_margin, y=top, w=size, h=size)
        self.set_xy(self.l_margin + size + 4, top + 1)
        self.set_font(FONT, "B", 10)
        self.cell(
            0,
            5,
            latin1(f"Verification code: {found['display']}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_x(self.l_margin + size + 4)
        self.set_font(FONT, "", 8)
        self.multi_cell(
            0,
            4,
            latin1(
                "To check that this document is genuine, scan the QR code or send "
                f'"verify {found["display"]}" to Sathi, the department\'s WhatsApp assistant.'
            ),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_x(self.l_margin + size + 4)
        self.multi_cell(
            0,
            4,
            f"কাগজটা আসল কি না জানতে QR কোডটা স্ক্যান করুন, বা সাথীকে "
            f'হোয়াটসঅ্যাপে লিখুন "যাচাই {found["display"]}"।',
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_y(max(self.get_y(), top + size + 2))

    def to_bytes(self) -> bytes:
        self.verification_block()
        return bytes(self.output(output_producer_class=_ShapedTextOutput))
