"""python -m tools.graph_emulator --host 127.0.0.1 --port 8071"""

from __future__ import annotations

import argparse
import asyncio
import logging

from aiohttp import web

from sathi.settings import settings
from tools.graph_emulator.server import make_app

logger = logging.getLogger(__name__)


def main() -> None:
    parser = argparse.ArgumentParser(description="WhatsApp Cloud API (Graph) emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=settings().emulator_port)
    parser.add_argument(
        "--status-webhook",
        default=None,
        help="post Meta's delivery statuses (sent, delivered, read) of every accepted message "
        "to this webhook URL, signed with WHATSAPP_APP_SECRET",
    )
    args = parser.parse_args()
    try:  # Sanic's dependency, in the project's venv: the stand-in for Meta takes less of the
        # machine it shares with what it measures (docs/performance.md, round 13)
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    web.run_app(
        make_app(status_webhook=args.status_webhook),
        host=args.host,
        port=args.port,
        access_log=None,
        print=lambda *_: logger.info("graph emulator on http://%s:%s", args.host, args.port),
    )


if __name__ == "__main__":
    main()
