"""The change feed: events since a cursor (wages, application statuses, bookings, salary)."""

from __future__ import annotations

from portal_client.transport import PortalTransport, parse_shape
from portal_client.types.changes import ChangeFeed

AREA = "changes"


class ChangeCalls(PortalTransport):
    def changes(self, after: int = 0, limit: int = 100) -> ChangeFeed:
        """Events with an id above `after`, oldest first (at most `limit`, 1-500). Safe to
        ask again with the same cursor: the feed never changes what it already said."""
        data = self._get_json(
            AREA, ("changes",), params={"after": max(0, int(after)), "limit": int(limit)}
        )
        return parse_shape(AREA, ChangeFeed.from_json, data)
