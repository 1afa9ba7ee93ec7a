"""The deferred-delivery worker: a background task in the rasa server process (next to the
WhatsApp inbox worker) that delivers documents asked for while the portal was down.

Registered in credentials.yml as an input channel only to get the server's start/stop hooks
(and `GET /webhooks/deferred_delivery/` for its state). Every SATHI_DEFERRED_POLL_SECONDS it
expires overdue requests; when some are waiting it asks the portal's health route, and when
the portal answers it runs Rasa's external event for each waiting number:

    POST /conversations/<number>/trigger_intent?output_channel=latest
         {"name": "EXTERNAL_deliver_deferred"}      (token: SATHI_RASA_API_TOKEN)

The rule for that intent runs `action_deliver_deferred` (actions/deferred.py), which claims
each row (no double delivery), fetches, stores and sends the document through the WhatsApp
output channel — no message from the user needed. Several replicas may run the worker: the
claim in the bot store decides who delivers.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import aiohttp
from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request

from bot_store import deferred
from sathi import trust
from sathi.privacy import install_masking_filter, mask_phone
from sathi.settings import check_or_exit, settings

logger = logging.getLogger(__name__)
install_masking_filter()

EXTERNAL_INTENT = "EXTERNAL_deliver_deferred"


def rasa_api_url() -> str:
    return settings().rasa_api_url


class DeferredDeliveryWorker:
    def __init__(self, poll_seconds: float | None = None) -> None:
        self.poll_seconds = poll_seconds or settings().deferred_poll_seconds
        self._task: asyncio.Task | None = None
        self._session: aiohttp.ClientSession | None = None
        self._portal: Any = None  # a PortalClient, built on first use
        self.triggered = 0
        self.passes = 0
        self.last_portal_up: bool | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="deferred-delivery-worker")
            logger.info("deferred delivery worker started (every %.1f s)", self.poll_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("deferred delivery pass failed; trying again")
            await asyncio.sleep(self.poll_seconds)

    async def portal_up(self) -> bool:
        def probe() -> bool:
            if self._portal is None:
                from portal_client import PortalClient

                self._portal = PortalClient.from_env()
            self._portal.health()
            return True

        try:
            up = await asyncio.wait_for(asyncio.to_thread(probe), timeout=5.0)
        except Exception as exc:
            up = False
            if self.last_portal_up is not False:
                logger.info("deferred delivery: portal not answering (%s)", type(exc).__name__)
        self.last_portal_up = up
        return up

    async def run_once(self) -> int:
        """One pass; how many conversations were triggered."""
        self.passes += 1
        expired = await asyncio.to_thread(deferred.expire_overdue)
        if expired:
            logger.warning("deferred delivery: %d request(s) expired undelivered", expired)
        rows = await asyncio.to_thread(deferred.due)
        if not rows or not await self.portal_up():
            return 0
        numbers = list(dict.fromkeys(row.mobile for row in rows if row.channel == "whatsapp"))
        count = 0
        for number in numbers:
            if await self.trigger(number):
                count += 1
        self.triggered += count
        return count

    async def trigger(self, number: str) -> bool:
        token = settings().rasa_api_token.get_secret_value()
        url = f"{rasa_api_url()}/conversations/{quote(number)}/trigger_intent"
        params = {"output_channel": "latest", "token": token}  # Rasa's --auth-token
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=90))
        try:
            body = {
                "name": EXTERNAL_INTENT,  # signed: users cannot type this trigger
                "entities": {trust.DEFERRED_PROOF_ENTITY: trust.deferred_trigger_proof(number)},
            }
            async with self._session.post(url, json=body, params=params) as answer:
                if answer.status != 200:
                    logger.warning(
                        "deferred delivery: trigger for %s answered %s",
                        mask_phone(number),
                        answer.status,
                    )
                    return False
        except Exception as exc:
            logger.warning(
                "deferred delivery: trigger for %s failed (%s)",
                mask_phone(number),
                type(exc).__name__,
            )
            return False
        logger.info("deferred delivery: triggered for %s", mask_phone(number))
        return True


class DeferredDeliveryChannel(InputChannel):
    """Not a channel users write to: it starts and stops the worker with the server."""

    @classmethod
    def name(cls) -> str:
        return "deferred_delivery"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> DeferredDeliveryChannel:
        check_or_exit()  # the rasa server's start: a bad setting stops it with one clear line
        creds = dict(credentials or {})
        poll = creds.get("poll_seconds")
        return cls(float(poll) if poll else None)

    def __init__(self, poll_seconds: float | None = None) -> None:
        self.worker = DeferredDeliveryWorker(poll_seconds)

    def blueprint(self, on_new_message) -> Blueprint:
        bp = Blueprint("deferred_delivery", __name__)
        worker = self.worker

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:
            install_masking_filter()  # handlers the server created at start-up
            if settings().deferred_worker:
                worker.start()

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:
            await worker.stop()

        @bp.route("/", methods=["GET"])
        async def state(_: Request):
            waiting = await asyncio.to_thread(deferred.open_count)
            return response.json(
                {
                    "status": "ok",
                    "open": waiting,
                    "passes": worker.passes,
                    "triggered": worker.triggered,
                    "portal_up": worker.last_portal_up,
                }
            )

        return bp
