"""python -m portal_backend serve|init-demo|demo-ids  (skeleton; grows with the portal issue)."""
import argparse
import json
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal_backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8070)
    init = sub.add_parser("init-demo")
    init.add_argument("--force", action="store_true")
    ids = sub.add_parser("demo-ids")
    ids.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "serve":
        from sanic import Sanic
        from sanic.response import json as json_response

        app = Sanic("portal_backend")

        @app.get("/api/v1/health")
        async def health(request):
            return json_response({"status": "ok"})

        app.run(host=args.host, port=args.port, access_log=False, single_process=True)
    elif args.command == "demo-ids":
        json.dump({"job_cards": [{"job_card": "WB-08-012-002-002/270", "mobile": "919800000001"}],
                   "strangers": ["919800009999"]}, sys.stdout)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
