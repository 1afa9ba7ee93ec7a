"""Verification of issued documents: is this code one the department issued?"""

from __future__ import annotations

import re

from portal_client.errors import NotFound
from portal_client.transport import PortalTransport, parse_shape
from portal_client.types.verification import DocumentVerification

AREA = "verification"
_CODE = re.compile(r"^[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}$")


class VerificationCalls(PortalTransport):
    def verify_document(self, code: str) -> DocumentVerification:
        """The portal's answer for a verification code (public: no requester mobile).
        NotFound when the department issued no such code (a malformed code too: nothing is
        asked of the portal)."""
        text = re.sub(r"\s+", "", str(code or ""))
        if not _CODE.match(text):
            raise NotFound("not a verification code", area=AREA)
        data = self._get_json(AREA, ("verifications", text.upper()))
        return parse_shape(AREA, DocumentVerification.from_json, data)
