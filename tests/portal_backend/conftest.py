import pytest
import requests

from tests.support.portal_server import running_portal

CLOCK = "2026-11-28"


class Api:
    def __init__(self, server):
        self.server = server
        self.ids = server.demo_ids

    def get(self, path, mobile=None, key=True, **kwargs):
        headers = self.server.headers(mobile) if key else {}
        return requests.get(self.server.base_url + path, headers=headers, timeout=10, **kwargs)

    def post(self, path, body, mobile=None, **kwargs):
        return requests.post(
            self.server.base_url + path,
            json=body,
            headers=self.server.headers(mobile),
            timeout=10,
            **kwargs,
        )


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    with running_portal(tmp_path_factory.mktemp("portal"), clock=CLOCK) as server:
        yield server


@pytest.fixture(scope="session")
def api(portal):
    return Api(portal)


def error_code(response):
    return response.json()["error"]["code"]
