"""Meta's delivery statuses from the emulator: after every accepted message, three signed
webhooks to one URL, `sent`, `delivered` and `read` (STATUS_DELAYS after the send), each a
POST of its own, signed with the app secret. tools/graph_emulator/server.py hands every
message it accepts to `DeliveryStatuses.follow` when it was given a status webhook.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp

from tools import webhook_client as wc

# seconds after an accepted send at which Meta's status webhooks come (about; the phone's
# network and the reader decide in real life)
STATUS_DELAYS = (("sent", 0.05), ("delivered", 0.3), ("read", 2.0))


class DeliveryStatuses:
    """Posts the statuses of each message handed to `follow` to `webhook`; `count` is told the
    answer to each post (its HTTP status, or the name of the exception)."""

    def __init__(
        self,
        webhook: str,
        app_secret: str,
        phone_number_id: str | None,
        count: Callable[[str], None],
    ) -> None:
        self.webhook = webhook
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.count = count
        self._tasks: set[asyncio.Task] = set()
        self._session: Any = None

    def follow(self, wamid: str, to: str) -> None:
        """Post the statuses of message `wamid` to `to`, in the background."""
        task = asyncio.create_task(self._post(wamid, to))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, wamid: str, to: str) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        waited = 0.0
        for state, at in STATUS_DELAYS:
            await asyncio.sleep(at - waited)
            waited = at
            payload = wc.envelope(
                statuses=[wc.status(wamid, to, state)], phone_number_id=self.phone_number_id
            )
            body, headers = wc.signed_request(payload, self.app_secret)
            try:
                async with self._session.post(self.webhook, data=body, headers=headers) as answer:
                    code = str(answer.status)
            except Exception as exc:  # the receiver is down: Meta would retry; here, counted
                code = type(exc).__name__
            self.count(code)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._session is not None:
            await self._session.close()
