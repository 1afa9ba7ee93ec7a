"""Sathi's client of the department's portal API: the only code that talks to portals.

A pure library (requests + pypdf + the framework-free `sathi` helpers); it never imports
Rasa, rasa_sdk or Sanic, so scripts and other services can use it too.
See docs/portal-client.md.
"""

from portal_client.client import PortalClient
from portal_client.errors import (
    BadDocument,
    BadRequest,
    CircuitOpen,
    DemandOverlap,
    NotFound,
    NotReady,
    NotYours,
    OtpExpired,
    PortalError,
    PortalUnavailable,
    TooManyAttempts,
    Unauthorized,
)
from portal_client.types import *  # noqa: F401,F403  (the return types)
from portal_client.types import __all__ as _model_names

__all__ = [
    "PortalClient",
    "PortalError",
    "NotFound",
    "NotYours",
    "NotReady",
    "DemandOverlap",
    "OtpExpired",
    "TooManyAttempts",
    "BadRequest",
    "Unauthorized",
    "BadDocument",
    "PortalUnavailable",
    "CircuitOpen",
    *_model_names,
]
