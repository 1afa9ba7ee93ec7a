"""What a rasa server process does once it has started (its model is loaded by then). Both
channels' blueprints, WhatsApp and REST, call `settle(app)` from their `after_server_start`
listener; it is idempotent.
"""

from __future__ import annotations

import logging

from sanic.log import access_logger

from channels import gc_tuning


def settle(app) -> None:
    gc_tuning.freeze_loaded()
    access_log_only_if_printed(app)


def access_log_only_if_printed(app) -> None:
    """Sanic (21.12, as Rasa runs it) builds an access-log record for every request: a dict,
    the request's full URL, a logger call. Rasa sets the `sanic.access` logger to
    LOG_LEVEL_LIBRARIES (ERROR unless an operator asks for more), so the record is built and
    never printed: 0.7% of a rasa replica's CPU under WhatsApp load, most requests being
    delivery statuses (docs/performance.md, round 13). Each new connection reads the setting,
    so from now on a record is built only when the logger would print it."""
    app.config.ACCESS_LOG = access_logger.isEnabledFor(logging.INFO)
