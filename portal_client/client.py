"""`PortalClient`: every portal call Sathi makes, with its configuration from the environment.

    client = PortalClient.from_env()
    status = client.karmashree_status("WB-08-012-002-002/270", mobile="919800000001")

Blocking (requests); async callers run each call in a worker thread. One client per process
is enough: it is thread-safe and reuses connections.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from portal_client.resources.accounts import AccountsCalls
from portal_client.resources.certificates import CertificateCalls
from portal_client.resources.changes import ChangeCalls
from portal_client.resources.geo import GeoCalls
from portal_client.resources.identity import IdentityCalls
from portal_client.resources.karmashree import KarmashreeCalls
from portal_client.resources.payroll import PayrollCalls
from portal_client.resources.verification import VerificationCalls
from sathi.settings import Settings, settings

DEFAULT_URL = "http://127.0.0.1:8070/api/v1"

# Constructor argument -> its setting (sathi/settings.py; the variable is SATHI_ + upper case)
SETTINGS = {
    "connect_timeout": "portal_connect_timeout",
    "read_timeout": "portal_read_timeout",
    "retries": "portal_retries",
    "backoff": "portal_backoff",
    "breaker_failures": "portal_breaker_failures",
    "breaker_cooldown": "portal_breaker_cooldown",
    "max_pdf_bytes": "portal_max_pdf_bytes",
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
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, session: requests.Session | None = None
    ) -> PortalClient:
        """Build from the settings (sathi/settings.py; `environ`: from that mapping instead):
        SATHI_PORTAL_URL, SATHI_PORTAL_SERVICE_KEY (required) and the SETTINGS above. A
        malformed value is a ValueError (SettingsError) naming the variable."""
        config = settings() if environ is None else Settings.from_mapping(environ)
        key = config.portal_service_key.get_secret_value().strip()
        if not key:
            raise ValueError("SATHI_PORTAL_SERVICE_KEY is not set: the portal client needs it")
        kwargs = {argument: getattr(config, name) for argument, name in SETTINGS.items()}
        url = config.portal_url.strip() or DEFAULT_URL
        return cls(url, key, session=session, **kwargs)
