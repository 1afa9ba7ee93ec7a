"""python -m operator_console chat|dashboard --host 127.0.0.1 --port PORT"""

from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from sathi.privacy import install_masking_filter
from sathi.settings import check_or_exit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m operator_console", description=__doc__)
    parser.add_argument("page", choices=["chat", "dashboard"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    config = check_or_exit()  # a bad setting stops the start with one line naming it
    logging.basicConfig(
        level=config.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    install_masking_filter()
    try:
        if args.page == "chat":
            if config.profile == "production":
                print("the trainer chat runs only in the trainers' profile", file=sys.stderr)
                return 2
            from operator_console.chat.server import make_app as make_chat

            app = make_chat()
        else:
            from operator_console.dashboard.server import make_app as make_dashboard

            app = make_dashboard()
    except ValueError as exc:  # a missing secret: say which, start nothing
        print(str(exc), file=sys.stderr)
        return 2
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
