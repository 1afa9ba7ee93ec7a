"""PDFs the bot delivers: stored once, referenced by id in the tracker, served by link or
uploaded to WhatsApp. Download tokens are stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from bot_store.db import engine
from bot_store.schema import documents, download_links
from sathi import clock
from sathi.settings import settings

DOCUMENT_TTL = timedelta(days=7)


def link_ttl() -> timedelta:
    return timedelta(seconds=settings().link_ttl_seconds)


@dataclass(frozen=True)
class StoredDocument:
    id: str
    owner_mobile: str
    service: str
    record_ref: str
    filename: str
    content: bytes
    pages: int
    created_at: datetime
    expires_at: datetime


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=clock.IST)


def store_document(
    *, owner_mobile: str, service: str, record_ref: str, filename: str, content: bytes, pages: int
) -> str:
    """Keep the PDF bytes; return an unguessable document id."""
    document_id = secrets.token_urlsafe(24)
    now = clock.now()
    with engine().begin() as conn:
        conn.execute(
            insert(documents).values(
                id=document_id,
                owner_mobile=owner_mobile,
                service=service,
                record_ref=record_ref,
                filename=filename,
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                pages=pages,
                created_at=now,
                expires_at=now + DOCUMENT_TTL,
            )
        )
    return document_id


def load_document(document_id: str | None) -> StoredDocument | None:
    if not document_id or not isinstance(document_id, str):
        return None
    with engine().connect() as conn:
        row = (
            conn.execute(select(documents).where(documents.c.id == document_id)).mappings().first()
        )
    if row is None or _aware(row["expires_at"]) < clock.now():
        return None
    return StoredDocument(**{k: row[k] for k in StoredDocument.__dataclass_fields__})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_download_token(document_id: str, owner_mobile: str) -> str:
    """A fresh 192-bit token for one document; only its hash is stored."""
    token = secrets.token_urlsafe(24)
    now = clock.now()
    with engine().begin() as conn:
        conn.execute(
            insert(download_links).values(
                token_hash=_hash(token),
                document_id=document_id,
                owner_mobile=owner_mobile,
                created_at=now,
                expires_at=now + link_ttl(),
                downloads=0,
            )
        )
    return token


def link_max_uses() -> int:
    """How many times one link opens (SATHI_LINK_MAX_USES, default 1: single use)."""
    return settings().link_max_uses


LINK_OK, LINK_USED, LINK_INVALID = "ok", "used", "invalid"


def open_link(token: str) -> tuple[str, StoredDocument | None]:
    """(LINK_OK, the document) for a live token, counting the use; (LINK_USED, None) when it
    has been opened as often as allowed; (LINK_INVALID, None) when unknown or expired. The
    use is counted in the same statement that checks it, so two opens never both get it."""
    if not token or len(token) > 100:
        return LINK_INVALID, None
    with engine().begin() as conn:
        row = (
            conn.execute(select(download_links).where(download_links.c.token_hash == _hash(token)))
            .mappings()
            .first()
        )
        if row is None or _aware(row["expires_at"]) < clock.now():
            return LINK_INVALID, None
        taken = conn.execute(
            update(download_links)
            .where(download_links.c.token_hash == row["token_hash"])
            .where(download_links.c.downloads < link_max_uses())
            .values(downloads=download_links.c.downloads + 1)
        ).rowcount
    if not taken:
        return LINK_USED, None
    document = load_document(row["document_id"])
    return (LINK_OK, document) if document is not None else (LINK_INVALID, None)


def document_for_token(token: str) -> StoredDocument | None:
    """The document a live, unused token points to (None otherwise); counts as a use."""
    status, document = open_link(token)
    return document if status == LINK_OK else None
