"""`PortalClient`: every portal call Sathi makes, with its configuration from the environment.

    client = PortalClient.from_env()
    status = client.karmashree_status("WB-08-012-002-002/270", mobile="919800000001")

Blocking (requests); async callers run each call in a worker thread. One client per process
is enough: it is thread-safe and reuses connections.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional

import requests

from portal_client.pdf_check import DEFAULT_MAX_PDF_BYTES
from portal_client.resources.accounts import AccountsCalls
from portal_client.resources.certificates import CertificateCalls
from portal_client.resources.changes import ChangeCalls
from portal_client.resources.geo import GeoCalls
from portal_client.resources.identity import IdentityCalls
from portal_client.resources.karmashree import KarmashreeCalls
from portal_client.resources.payroll import PayrollCalls
from portal_client.resources.verification import VerificationCalls

DEFAULT_URL = "http://127.0.0.1:8070/api/v1"

# Environment variable -> (constructor argument, type, default)
ENV_SETTINGS = {
    "SATHI_PORTAL_CONNECT_TIMEOUT": ("connect_timeout", float, 2.0),
    "SATHI_PORTAL_READ_TIMEOUT": ("read_timeout", float, 4.0),
    "SATHI_PORTAL_RETRIES": ("retries", int, 2),
    "SATHI_PORTAL_BACKOFF": ("backoff", float, 0.2),
    "SATHI_PORTAL_BREAKER_FAILURES": ("breaker_failures", int, 5),
    "SATHI_PORTAL_BREAKER_COOLDOWN": ("breaker_cooldown", float, 30.0),
    "SATHI_PORTAL_MAX_PDF_BYTES": ("max_pdf_bytes", int, DEFAULT_MAX_PDF_BYTES),
}


class PortalClient(
    IdentityCalls,
    GeoCalls,
    KarmashreeCalls,
    CertificateCalls,
    PayrollCalls,
    AccountsCalls,
    VerificationCalls,
    ChangeCalls,
):
    """The department's portal API v1 (docs/portal-api.md); see docs/portal-client.md."""

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, *,
                 session: Optional[requests.Session] = None) -> "PortalClient":
        """Build from SATHI_PORTAL_URL, SATHI_PORTAL_SERVICE_KEY (required) and the optional
        settings in ENV_SETTINGS. A malformed number is a ValueError naming the variable."""
        env = os.environ if environ is None else environ
        key = (env.get("SATHI_PORTAL_SERVICE_KEY") or "").strip()
        if not key:
            raise ValueError("SATHI_PORTAL_SERVICE_KEY is not set: the portal client needs it")
        kwargs = {}
        for name, (argument, kind, default) in ENV_SETTINGS.items():
            raw = (env.get(name) or "").strip()
            try:
                kwargs[argument] = kind(raw) if raw else default
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
        url = (env.get("SATHI_PORTAL_URL") or "").strip() or DEFAULT_URL
        return cls(url, key, session=session, **kwargs)
