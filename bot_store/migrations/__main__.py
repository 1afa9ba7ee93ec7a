"""python -m bot_store.migrations: upgrade the bot store (SATHI_BOT_STORE_URL) to head."""

import logging
import sys

from sathi.settings import check_or_exit


def main() -> int:
    check_or_exit()  # a bad setting stops here with one line naming it
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from bot_store.db import engine  # creating the engine runs the migrations

    engine()
    return 0


if __name__ == "__main__":
    sys.exit(main())
