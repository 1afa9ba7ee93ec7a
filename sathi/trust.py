"""Who sent a message, as far as our own server verified it.

The WhatsApp connector checks Meta's signature and then stamps the message metadata with
`sathi_proof` = HMAC-SHA256(SATHI_CHANNEL_SECRET, "whatsapp:<wa_id>:<wamid>"). The action
server recomputes it: a REST caller can write any metadata and any `input_channel`, but cannot
forge the proof without the secret. The trainers' profile (SATHI_PROFILE=trainer, default) also
trusts the sender id of `cmdline` and `rest`; production trusts only proven WhatsApp messages
(SATHI_TRUSTED_CHANNELS overrides the list).
"""
from __future__ import annotations

import hashlib
import hmac
import os

PROOF_KEY = "sathi_proof"
MESSAGE_ID_KEY = "sathi_message_id"
CHANNEL_KEY = "sathi_channel"


def _secret() -> bytes:
    return os.environ.get("SATHI_CHANNEL_SECRET", "").encode()


def proof_for(channel: str, sender_id: str, message_id: str) -> str:
    message = f"{channel}:{sender_id}:{message_id}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def stamp(metadata: dict | None, channel: str, sender_id: str, message_id: str) -> dict:
    """Metadata for a message whose sender our channel verified."""
    out = dict(metadata or {})
    out.update({CHANNEL_KEY: channel, MESSAGE_ID_KEY: message_id,
                PROOF_KEY: proof_for(channel, sender_id, message_id)})
    return out


def verified_channel(metadata: dict | None, sender_id: str) -> str | None:
    """The channel that verified this sender, or None when nothing verified it."""
    if not metadata or not _secret():
        return None
    channel, message_id, proof = (metadata.get(CHANNEL_KEY), metadata.get(MESSAGE_ID_KEY),
                                  metadata.get(PROOF_KEY))
    if not (isinstance(channel, str) and isinstance(message_id, str) and isinstance(proof, str)):
        return None
    if hmac.compare_digest(proof_for(channel, sender_id, message_id), proof):
        return channel
    return None


def profile() -> str:
    return os.environ.get("SATHI_PROFILE", "trainer")


def trusted_channels() -> set[str]:
    raw = os.environ.get("SATHI_TRUSTED_CHANNELS")
    if raw is not None:
        return {c.strip() for c in raw.split(",") if c.strip()}
    return {"whatsapp", "cmdline", "rest"} if profile() == "trainer" else {"whatsapp"}


def sender_is_trusted(metadata: dict | None, sender_id: str, input_channel: str | None) -> bool:
    """True when the sender id may be taken as the sender's verified phone number."""
    proven = verified_channel(metadata, sender_id)
    if proven is not None:
        return proven in trusted_channels()
    # Unproven: only channels the trainers' profile trusts by configuration.
    unproven_ok = trusted_channels() - {"whatsapp"}
    return (input_channel or "") in unproven_ok
