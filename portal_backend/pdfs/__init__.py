"""PDF documents of the reference backend (fpdf2, English, core fonts), one module per type.
Each `render(data) -> bytes` is deterministic: the same record gives the same bytes."""
