"""The check every PDF passes before anyone may send it on, and its safe file name.

A portal "PDF" must: fit the size limit, start with `%PDF-`, open with pypdf, not be
encrypted, have at least one page, and have extractable text on page 1 (the department's
documents are generated, not scanned: no text means something went wrong). Anything else is
`BadDocument`.
"""

from __future__ import annotations

import hashlib
import io
import re
from urllib.parse import unquote

from portal_client.errors import BadDocument
from portal_client.types import PdfDocument

DEFAULT_MAX_PDF_BYTES = 10 * 1024 * 1024
EXCERPT_CHARS = 2000

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FILENAME_STAR = re.compile(r"filename\*\s*=\s*([^;]+)", re.IGNORECASE)
_FILENAME = re.compile(r'filename\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+)', re.IGNORECASE)


def filename_from_disposition(header: str | None) -> str | None:
    """The file name a Content-Disposition header proposes (RFC 6266 `filename*` first),
    unsanitized; None when it proposes none."""
    if not header:
        return None
    star = _FILENAME_STAR.search(header)
    if star:
        value = star.group(1).strip().strip('"')
        _, _, encoded = value.partition("''")
        try:
            return unquote(encoded or value, errors="strict")
        except UnicodeDecodeError:
            pass
    plain = _FILENAME.search(header)
    if plain:
        return plain.group(1).strip().strip('"').replace('\\"', '"')
    return None


def safe_filename(proposed: str | None, fallback: str) -> str:
    """A bare `name.pdf` of safe characters: directories, control characters, leading dots
    and anything outside `[A-Za-z0-9._-]` removed; `fallback` when nothing is left."""
    for candidate in (proposed, fallback):
        if not candidate:
            continue
        base = re.split(r"[\\/]", str(candidate))[-1]
        base = _UNSAFE.sub("_", base)
        if base.lower().endswith(".pdf"):
            base = base[:-4]
        base = base.strip("._-")[:120].rstrip("._-")
        if base:
            return f"{base}.pdf"
    return "document.pdf"


def check_pdf(
    content: bytes,
    *,
    filename: str,
    max_bytes: int = DEFAULT_MAX_PDF_BYTES,
) -> PdfDocument:
    """Return the checked `PdfDocument`, or raise `BadDocument` saying what failed."""
    if not content:
        raise BadDocument("the portal sent an empty document")
    if len(content) > max_bytes:
        raise BadDocument(f"document of {len(content)} bytes exceeds the {max_bytes} limit")
    if not content.startswith(b"%PDF-"):
        raise BadDocument("the portal sent something that is not a PDF")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise BadDocument("the PDF is encrypted")
        pages = len(reader.pages)
        if pages < 1:
            raise BadDocument("the PDF has no pages")
        text = reader.pages[0].extract_text() or ""
    except BadDocument:
        raise
    except Exception as exc:  # pypdf raises many types on broken files; all mean the same
        raise BadDocument(f"the PDF does not open ({type(exc).__name__})") from None
    excerpt = " ".join(text.split())
    if not excerpt:
        raise BadDocument("page 1 of the PDF has no extractable text")
    return PdfDocument(
        filename=filename,
        content=content,
        pages=pages,
        sha256=hashlib.sha256(content).hexdigest(),
        text_excerpt=excerpt[:EXCERPT_CHARS],
    )
