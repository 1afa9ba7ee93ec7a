"""python -m portal_backend serve | migrate | init-demo | demo-ids | outbox

serve --host H --port P     run the reference portal API (needs SATHI_PORTAL_SERVICE_KEY)
migrate                     bring the database to the newest migration (Alembic)
init-demo [--force]         create the schema and load the demo dataset (skip if present)
demo-ids --json             print the demo identifiers (one JSON object)
outbox --mobile M           print the messages (OTP codes) "sent" to a mobile, newest first
change KIND ...             change a record as an office would, with its change-feed event:
                              wage-credited --job-card ID [--amount N]
                              application-status --trade-noc NO | --building-plan NO --status S
                              booking-status --booking NO --status confirmed|cancelled|payment_pending
                              salary-credited --employee ID [--month YYYY-MM]
                            prints the event as JSON
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
    change = sub.add_parser("change", help="change a record (with its change-feed event)")
    change.add_argument(
        "kind", choices=["wage-credited", "application-status", "booking-status", "salary-credited"]
    )
    change.add_argument("--job-card")
    change.add_argument("--amount", type=int)
    change.add_argument("--trade-noc")
    change.add_argument("--building-plan")
    change.add_argument("--booking")
    change.add_argument("--employee")
    change.add_argument("--month")
    change.add_argument("--status")
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
    if args.command == "change":
        return run_change(args)
    return 2


def run_change(args) -> int:
    from portal_backend import changes, db
    from portal_backend.errors import ApiError

    db.create_schema(db.engine_for())
    try:
        with db.write_lock, db.session_scope() as session:
            if args.kind == "wage-credited" and args.job_card:
                event = changes.credit_wage(session, args.job_card, args.amount)
            elif (
                args.kind == "application-status"
                and args.status
                and (args.trade_noc or args.building_plan)
            ):
                kind = "trade_noc" if args.trade_noc else "building_plan"
                event = changes.set_application_status(
                    session, kind, args.trade_noc or args.building_plan, args.status
                )
            elif args.kind == "booking-status" and args.booking and args.status:
                event = changes.set_booking_status(session, args.booking, args.status)
            elif args.kind == "salary-credited" and args.employee:
                event = changes.credit_salary(session, args.employee, args.month)
            else:
                print("missing arguments (see python -m portal_backend --help)", file=sys.stderr)
                return 2
            body = changes.as_json(event)
    except ApiError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    json.dump(body, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
