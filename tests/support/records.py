"""Demo records by status and the portal's own view of them, for action tests."""

from __future__ import annotations

import pytest
import requests


def demo_record(portal, kind: str, status: str, single_owner: bool = False) -> dict:
    """The first demo record of `kind` (a demo-ids key) with `status`; with `single_owner`,
    one whose mobile owns no other record of that kind. Fails when there is none: the demo
    data (portal_backend init-demo) must keep one record per status the tests rely on."""
    records = portal.demo_ids[kind]
    owned = {}
    for record in records:
        owned[record["mobile"]] = owned.get(record["mobile"], 0) + 1
    for record in records:
        if record["status"] == status and (not single_owner or owned[record["mobile"]] == 1):
            return record
    pytest.fail(
        f"the demo data has no {kind} record with status {status!r}"
        f"{' owned alone by its mobile' if single_owner else ''}: a test relies on one;"
        " restore it in portal_backend's demo generator (then `make demo-data`)",
        pytrace=False,
    )


def portal_json(portal, path: str, mobile: str) -> dict:
    """GET `path` from the portal as `mobile` (raises on an error status)."""
    answer = requests.get(f"{portal.base_url}{path}", headers=portal.headers(mobile), timeout=10)
    answer.raise_for_status()
    return answer.json()
