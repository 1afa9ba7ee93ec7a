"""A PDF that passed the client's pypdf check (see portal_client.pdf_check)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PdfDocument:
    filename: str  # sanitized: a bare `name.pdf`, no directories
    content: bytes = field(repr=False)  # never in a repr, so never in a log line
    pages: int = 1
    sha256: str = ""
    text_excerpt: str | None = field(default=None, repr=False)  # page 1, whitespace folded

    @property
    def size(self) -> int:
        return len(self.content)

    def __repr__(self) -> str:
        return (
            f"PdfDocument(filename={self.filename!r}, pages={self.pages}, "
            f"size={self.size}, sha256={self.sha256[:12]}…)"
        )
