"""Meta-shaped Graph API errors of the emulator: the JSON body of every rejection
(`graph_error`), the common rejections, and the failures a test can inject with
`POST /_emulator/fail` (FAILURES). tools/graph_emulator/server.py answers with them.
"""

from __future__ import annotations

import secrets

from aiohttp import web

FAILURES = {
    # mode: (HTTP status, code, subcode, type, message)
    "500": (500, 1, None, "OAuthException", "An unknown error occurred"),
    "rate_limit": (400, 130429, 2494055, "OAuthException", "Rate limit hit"),
    "pair_rate": (
        400,
        131056,
        2494100,
        "OAuthException",
        "(Business Account, Consumer Account) pair rate limit hit",
    ),
    "window": (
        400,
        131047,
        2494010,
        "OAuthException",
        "Re-engagement message: more than 24 hours have passed since the customer last replied",
    ),
    "token": (
        401,
        190,
        463,
        "OAuthException",
        "Error validating access token: Session has expired",
    ),
}


def graph_error(
    status: int, code: int, message: str, subcode: int | None = None, kind: str = "OAuthException"
) -> web.Response:
    return web.json_response(
        {
            "error": {
                "message": message,
                "type": kind,
                "code": code,
                "error_subcode": subcode,
                "fbtrace_id": "A" + secrets.token_hex(10),
            }
        },
        status=status,
    )


def invalid_token() -> web.Response:
    return graph_error(401, 190, "Invalid OAuth access token", 463)


def no_such_object(method: str) -> web.Response:
    """A `method` ("post", "get", "delete") on an id or number the emulator does not know."""
    return graph_error(
        400,
        100,
        f"Unsupported {method} request. Object does not exist",
        33,
        "GraphMethodException",
    )
