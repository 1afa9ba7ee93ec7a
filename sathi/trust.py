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
import time

from sathi.settings import settings

PROOF_KEY = "sathi_proof"
# REST senders the profile does not trust write in conversations named `rest:<sender>`
# (channels/rest_guard.py), which can never be a phone number's conversation.
UNTRUSTED_REST_PREFIX = "rest:"
MESSAGE_ID_KEY = "sathi_message_id"
CHANNEL_KEY = "sathi_channel"


def _secret() -> bytes:
    return settings().channel_secret.get_secret_value().encode()


def proof_for(channel: str, sender_id: str, message_id: str) -> str:
    message = f"{channel}:{sender_id}:{message_id}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def stamp(metadata: dict | None, channel: str, sender_id: str, message_id: str) -> dict:
    """Metadata for a message whose sender our channel verified."""
    out = dict(metadata or {})
    out.update(
        {
            CHANNEL_KEY: channel,
            MESSAGE_ID_KEY: message_id,
            PROOF_KEY: proof_for(channel, sender_id, message_id),
        }
    )
    return out


def verified_channel(metadata: dict | None, sender_id: str) -> str | None:
    """The channel that verified this sender, or None when nothing verified it."""
    if not metadata or not _secret():
        return None
    channel, message_id, proof = (
        metadata.get(CHANNEL_KEY),
        metadata.get(MESSAGE_ID_KEY),
        metadata.get(PROOF_KEY),
    )
    if not (isinstance(channel, str) and isinstance(message_id, str) and isinstance(proof, str)):
        return None
    if hmac.compare_digest(proof_for(channel, sender_id, message_id), proof):
        return channel
    return None


# --- a mobile proven by a one-time code ---------------------------------------------------
# The `verified_mobile` slot holds `<mobile>.<expires>.<mac>`, sealed for one conversation: a
# value typed or injected by a user (`/inform{"verified_mobile": ...}`), copied from another
# conversation or kept past its time opens to None.
def _otp_trust_seconds() -> int:
    return int(settings().otp_trust_hours * 3600)


def _seal_mac(sender_id: str, mobile: str, expires: int) -> str:
    message = f"otp-verified:{sender_id}:{mobile}:{expires}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def seal_verified_mobile(sender_id: str, mobile: str, now: float | None = None) -> str | None:
    """The slot value for `mobile`, proven by a one-time code in conversation `sender_id`."""
    if not _secret():
        return None
    expires = int((now if now is not None else time.time()) + _otp_trust_seconds())
    return f"{mobile}.{expires}.{_seal_mac(sender_id, mobile, expires)}"


def open_verified_mobile(sender_id: str, sealed: object, now: float | None = None) -> str | None:
    """The mobile in a sealed slot value, or None when it is not ours, not this
    conversation's, or expired."""
    if not isinstance(sealed, str) or not _secret() or sealed.count(".") != 2:
        return None
    mobile, expires_text, mac = sealed.split(".")
    if not (mobile.isascii() and mobile.isdigit() and expires_text.isdigit()):
        return None
    expires = int(expires_text)
    if not hmac.compare_digest(_seal_mac(sender_id, mobile, expires), mac):
        return None
    if expires < (now if now is not None else time.time()):
        return None
    return mobile


# --- the deferred-delivery trigger ----------------------------------------------------------
DEFERRED_PROOF_ENTITY = "deferred_proof"


def deferred_trigger_proof(conversation_id: str) -> str:
    """Proof that an `EXTERNAL_deliver_deferred` event came from our own worker, not from a
    user who typed `/EXTERNAL_deliver_deferred`."""
    message = f"deferred-trigger:{conversation_id}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def is_deferred_trigger(conversation_id: str, proof: object) -> bool:
    return (
        bool(_secret())
        and isinstance(proof, str)
        and hmac.compare_digest(deferred_trigger_proof(conversation_id), proof)
    )


def profile() -> str:
    return settings().profile


def trusted_channels() -> set[str]:
    """SATHI_TRUSTED_CHANNELS when it names channels, else the profile's default (an empty
    value, as `cp .env.example .env` gives, is the default, not "trust nothing")."""
    return settings().trusted_channels


def sender_is_trusted(metadata: dict | None, sender_id: str, input_channel: str | None) -> bool:
    """True when the sender id may be taken as the sender's verified phone number."""
    proven = verified_channel(metadata, sender_id)
    if proven is not None:
        return proven in trusted_channels()
    # Unproven: only channels the trainers' profile trusts by configuration.
    unproven_ok = trusted_channels() - {"whatsapp"}
    return (input_channel or "") in unproven_ok
