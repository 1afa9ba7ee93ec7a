"""HTTP transport of the portal client: one `requests.Session`, explicit timeouts, the
service key, retries for idempotent calls, a circuit breaker per service area, and the
mapping of every answer to a result or a typed exception.

Nothing in here knows a particular endpoint; the per-area call mixins do (see client.py).
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from portal_client.breaker import BreakerBoard
from portal_client.errors import (
    BadDocument,
    BadRequest,
    PortalError,
    PortalUnavailable,
    Unauthorized,
    error_from_response,
)
from portal_client.pdf_check import (
    DEFAULT_MAX_PDF_BYTES,
    check_pdf,
    filename_from_disposition,
    safe_filename,
)
from portal_client.types import PdfDocument
from sathi.identifiers import parse_mobile
from sathi.privacy import mask_phone, mask_text

log = logging.getLogger(__name__)

T = TypeVar("T")

SERVICE_KEY_HEADER = "X-Service-Key"
REQUESTER_HEADER = "X-Requester-Mobile"
REQUEST_ID_HEADER = "X-Request-Id"
RETRYABLE_STATUSES = frozenset({502, 503, 504})
MAX_BACKOFF_SECONDS = 2.0
USER_AGENT = "sathi-portal-client/1"


def _decode_json(response: requests.Response, area: str) -> Any:
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PortalUnavailable(
            "the portal answered with something that is not JSON",
            area=area,
            http_status=response.status_code,
        ) from None


def parse_shape(area: str, build: Callable[[Any], T], data: Any) -> T:
    """Build a model from decoded JSON; a broken contract is `PortalUnavailable`."""
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PortalUnavailable(
            f"the portal's answer does not match the contract ({type(exc).__name__}: {exc})",
            area=area,
        ) from None


class PortalTransport:
    def __init__(
        self,
        base_url: str,
        service_key: str,
        *,
        connect_timeout: float = 2.0,
        read_timeout: float = 4.0,
        retries: int = 2,
        backoff: float = 0.2,
        breaker_failures: int = 5,
        breaker_cooldown: float = 30.0,
        max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES,
        session: requests.Session | None = None,
    ) -> None:
        if not base_url:
            raise ValueError("the portal base URL is empty (SATHI_PORTAL_URL)")
        if not service_key:
            raise ValueError("the portal service key is empty (SATHI_PORTAL_SERVICE_KEY)")
        self.base_url = self._normalize_base(base_url)
        self._service_key = service_key
        self.timeout: tuple[float, float] = (float(connect_timeout), float(read_timeout))
        self.retries = max(0, int(retries))
        self.backoff = max(0.0, float(backoff))
        self.max_pdf_bytes = int(max_pdf_bytes)
        self.breakers = BreakerBoard(
            failure_threshold=int(breaker_failures), cooldown_seconds=float(breaker_cooldown)
        )
        self._owns_session = session is None
        self._session = session or self._new_session()
        self._sleep: Callable[[float], None] = time.sleep

    def __repr__(self) -> str:  # never the key
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @staticmethod
    def _normalize_base(base_url: str) -> str:
        base = base_url.strip().rstrip("/")
        if urlsplit(base).path in ("", "/"):
            base += "/api/v1"
        return base

    @staticmethod
    def _new_session() -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxies or .netrc credentials picked up by accident
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=16, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> PortalTransport:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # --- building requests ------------------------------------------------------------
    def _url(self, parts: Iterable[str]) -> str:
        return self.base_url + "/" + "/".join(quote(str(p), safe="") for p in parts)

    @staticmethod
    def _requester(mobile: str | None) -> str:
        canonical = parse_mobile(mobile)
        if canonical is None:
            raise BadRequest("the requester's mobile is not a valid Indian mobile number")
        return canonical

    def _headers(self, requester: str | None, accept: str, request_id: str) -> dict:
        headers = {
            SERVICE_KEY_HEADER: self._service_key,
            "Accept": accept,
            "User-Agent": USER_AGENT,
            REQUEST_ID_HEADER: request_id,
        }
        if requester:
            headers[REQUESTER_HEADER] = requester
        return headers

    def _pause(self, attempt: int) -> None:
        """Exponential backoff with jitter: backoff * 2^attempt * [0.5, 1.5), capped."""
        delay = min(MAX_BACKOFF_SECONDS, self.backoff * (2**attempt))
        self._sleep(delay * random.uniform(0.5, 1.5))

    # --- the calls ----------------------------------------------------------------------
    def _get_json(
        self,
        area: str,
        parts: Iterable[str],
        *,
        mobile: str | None = None,
        params: dict | None = None,
    ) -> Any:
        return self._call(
            area,
            "GET",
            parts,
            mobile=mobile,
            params=params,
            idempotent=True,
            read=lambda r: _decode_json(r, area),
        )

    def _post_json(
        self,
        area: str,
        parts: Iterable[str],
        body: dict,
        *,
        mobile: str | None = None,
        idempotent: bool = False,
    ) -> tuple[int, Any]:
        return self._call(
            area,
            "POST",
            parts,
            mobile=mobile,
            body=body,
            idempotent=idempotent,
            read=lambda r: (r.status_code, _decode_json(r, area)),
        )

    def _get_pdf(
        self, area: str, parts: Iterable[str], *, mobile: str, fallback_name: str
    ) -> PdfDocument:
        def read(response: requests.Response) -> PdfDocument:
            content = self._read_limited(response, area)
            proposed = filename_from_disposition(response.headers.get("Content-Disposition"))
            name = safe_filename(proposed, fallback_name)
            return check_pdf(content, filename=name, max_bytes=self.max_pdf_bytes)

        return self._call(
            area,
            "GET",
            parts,
            mobile=mobile,
            idempotent=True,
            stream=True,
            accept="application/pdf",
            read=read,
        )

    def _read_limited(self, response: requests.Response, area: str) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_pdf_bytes:
            raise BadDocument(f"document of {declared} bytes exceeds the limit", area=area)
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_pdf_bytes:
                raise BadDocument("document exceeds the size limit", area=area)
            chunks.append(chunk)
        return b"".join(chunks)

    def _call(
        self,
        area: str,
        method: str,
        parts: Iterable[str],
        *,
        read: Callable[[requests.Response], T],
        mobile: str | None = None,
        params: dict | None = None,
        body: dict | None = None,
        idempotent: bool,
        stream: bool = False,
        accept: str = "application/json",
    ) -> T:
        """One logical call: breaker check, attempts with retries, breaker verdict."""
        requester = self._requester(mobile) if mobile is not None else None
        url = self._url(parts)
        breaker = self.breakers[area]
        breaker.before_call()
        verdict: bool | None = None
        request_id = uuid.uuid4().hex[:16]
        started = time.monotonic()
        try:
            result = self._attempts(
                area,
                method,
                url,
                read=read,
                requester=requester,
                params=params,
                body=body,
                idempotent=idempotent,
                stream=stream,
                accept=accept,
                request_id=request_id,
            )
            verdict = True
            return result
        except PortalUnavailable as exc:
            verdict = False
            log.warning(
                "portal %s %s %s failed: %s [requester %s, id %s, %.0f ms]",
                area,
                method,
                self._loggable(url),
                exc,
                mask_phone(requester),
                request_id,
                (time.monotonic() - started) * 1000,
            )
            raise
        except PortalError as exc:
            verdict = True  # the portal answered; the answer was "no"
            level = logging.ERROR if isinstance(exc, Unauthorized) else logging.INFO
            log.log(
                level,
                "portal %s %s %s -> %s [requester %s, id %s]",
                area,
                method,
                self._loggable(url),
                type(exc).__name__,
                mask_phone(requester),
                request_id,
            )
            raise
        finally:
            if verdict is True:
                breaker.record_success()
            elif verdict is False:
                breaker.record_failure()
            else:
                breaker.release()

    def _attempts(
        self,
        area: str,
        method: str,
        url: str,
        *,
        read: Callable[[requests.Response], T],
        requester: str | None,
        params: dict | None,
        body: dict | None,
        idempotent: bool,
        stream: bool,
        accept: str,
        request_id: str,
    ) -> T:
        attempts = 1 + (self.retries if idempotent else 0)
        error: PortalError = PortalUnavailable("no attempt made", area=area)
        for attempt in range(attempts):
            if attempt:
                self._pause(attempt - 1)
                log.info(
                    "portal %s %s %s: retry %d/%d after %s [id %s]",
                    area,
                    method,
                    self._loggable(url),
                    attempt,
                    attempts - 1,
                    error,
                    request_id,
                )
            try:
                response = self._session.request(
                    method,
                    url,
                    params=params,
                    json=body,
                    timeout=self.timeout,
                    headers=self._headers(requester, accept, request_id),
                    stream=stream,
                    allow_redirects=False,
                )
                try:
                    if 200 <= response.status_code < 300:
                        result = read(response)
                        log.debug(
                            "portal %s %s %s -> %d [requester %s, id %s]",
                            area,
                            method,
                            self._loggable(url),
                            response.status_code,
                            mask_phone(requester),
                            request_id,
                        )
                        return result
                    error = error_from_response(
                        response.status_code,
                        self._error_body(response),
                        area=area,
                        retry_after_header=response.headers.get("Retry-After"),
                    )
                finally:
                    response.close()
            except requests.Timeout:
                error = PortalUnavailable("the portal did not answer in time", area=area)
                continue
            except requests.RequestException as exc:
                error = PortalUnavailable(
                    f"could not reach the portal ({type(exc).__name__})", area=area
                )
                continue
            if error.http_status not in RETRYABLE_STATUSES:
                raise error
        raise error

    @staticmethod
    def _error_body(response: requests.Response) -> Any:
        try:
            raw = response.content[: 64 * 1024]
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, requests.RequestException):
            return None

    @staticmethod
    def _loggable(url: str) -> str:
        """The URL path for logs (no host, no query: `q=` may hold what a user typed)."""
        return mask_text(urlsplit(url).path)
