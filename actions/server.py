"""The action server: rasa-sdk's endpoint with Sathi's guard in front of it.

    python -m actions.server --port 5055          (scripts/stack.sh starts it this way)

The action server runs every custom action for whatever tracker is posted to it, and a
tracker says who the sender is: anyone who could post to it could ask for any citizen's
records. So every request but `GET /health` must carry the shared token that the rasa server
sends from endpoints.yml (`X-Sathi-Action-Token: ${SATHI_ACTION_TOKEN}`); without it, or with
a wrong one, the answer is 401 and no action runs. The server refuses to start without a
token. Keep it off public networks anyway (docs/decisions.md): the token is a second lock,
not the first.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import sys

from sathi.settings import check_or_exit, settings

TOKEN_HEADER = "X-Sathi-Action-Token"
TOKEN_VARIABLE = "SATHI_ACTION_TOKEN"  # sathi/settings.py action_token
OPEN_PATHS = {"/health"}

logger = logging.getLogger(__name__)


def token_from_env() -> str | None:
    token = settings().action_token.get_secret_value().strip()
    return token or None


def create_guarded_app(token: str, package: str = "actions"):
    """rasa-sdk's Sanic app for `package`, refusing requests without `token`."""
    from rasa_sdk.endpoint import create_app
    from sanic import response

    app = create_app(package, cors_origins=None)
    expected = token.encode()

    @app.middleware("request")
    async def require_token(request):
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode()
        if not given or not hmac.compare_digest(given, expected):
            logger.warning(
                "action server: request to %s without a valid token refused", request.path
            )
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.exception(Exception)
    async def no_echo(request, exception: Exception):
        # rasa-sdk's own handler echoes the request body (a whole tracker) back: not here.
        logger.error(
            "action server: %s while serving %s",
            type(exception).__name__,
            getattr(request, "path", "?"),
            exc_info=exception,
        )
        return response.json({"error": "internal error"}, status=500)

    return app


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sathi's action server (rasa-sdk + token)")
    config = check_or_exit()  # a bad setting stops the start with one line naming it
    parser.add_argument("--port", type=int, default=config.actions_port)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.debug else getattr(logging, config.log_level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s - %(message)s",
    )
    from sathi.privacy import install_masking_filter

    install_masking_filter()
    token = token_from_env()
    if token is None:
        print(
            f"action server: {TOKEN_VARIABLE} is not set; refusing to start without it "
            f"(the rasa server sends it from endpoints.yml)",
            file=sys.stderr,
        )
        return 2
    app = create_guarded_app(token)
    logger.info("action server on http://%s:%d (token required)", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
