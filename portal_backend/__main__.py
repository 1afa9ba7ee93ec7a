"""python -m portal_backend serve | migrate | init-demo | demo-ids | outbox

serve --host H --port P     run the reference portal API (needs SATHI_PORTAL_SERVICE_KEY)
migrate                     bring the database to the newest migration (Alembic)
init-demo [--force]         create the schema and load the demo dataset (skip if present)
demo-ids --json             print the demo identifiers (one JSON object)
outbox --mobile M           print the messages (OTP codes) "sent" to a mobile, newest first
"""

import argparse
import json
import logging
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal_backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8070)
    sub.add_parser("migrate", help="bring the database to the newest migration")
    init = sub.add_parser("init-demo", help="load the demo dataset")
    init.add_argument("--force", action="store_true", help="drop and regenerate")
    ids = sub.add_parser("demo-ids", help="print the demo identifiers")
    ids.add_argument("--json", action="store_true", help="JSON (the only format)")
    outbox = sub.add_parser("outbox", help="messages sent to a mobile (reference backend)")
    outbox.add_argument("--mobile", required=True)
    outbox.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    from sathi.settings import check_or_exit

    check_or_exit()  # a bad setting stops the start with one line naming it

    if args.command == "serve":
        from portal_backend import db
        from portal_backend.app import serve as run_server

        db.create_schema(db.engine_for())  # the schema at the newest migration
        run_server(args.host, args.port)
        return 0
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "migrate":
        from portal_backend import db

        db.create_schema(db.engine_for())
        return 0
    if args.command == "init-demo":
        from portal_backend.demo_data import init_demo

        loaded = init_demo(force=args.force)
        print("demo data loaded" if loaded else "demo data already present (use --force)")
        return 0
    if args.command == "demo-ids":
        from portal_backend.demo_data import demo_ids

        value = demo_ids()
        if value is None:
            print("no demo data: run `python -m portal_backend init-demo` first", file=sys.stderr)
            return 1
        json.dump(value, sys.stdout, ensure_ascii=False)
        print()
        return 0
    if args.command == "outbox":
        from portal_backend import db
        from portal_backend.routes.dev import outbox_messages
        from sathi.identifiers import parse_mobile

        mobile = parse_mobile(args.mobile)
        if mobile is None:
            print("not a mobile number", file=sys.stderr)
            return 2
        db.create_schema(db.engine_for())
        with db.session_scope() as session:
            for message in outbox_messages(session, mobile, args.limit):
                print(f"{message['created_at']}  {message['mobile']}  {message['body']}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
