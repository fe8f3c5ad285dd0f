"""Why an upstream look-up failed, as specific exception classes.

Messages name the source (a short label such as "postcodes.io") and a status,
never a URL: URLs carry postcodes, and exception text ends up in logs.
"""

from __future__ import annotations

from typing import Any


class UpstreamError(Exception):
    """An upstream source could not give a usable answer."""

    def __init__(self, source: str, detail: str) -> None:
        super().__init__(f"{source}: {detail}")
        self.source = source
        self.detail = detail


class UpstreamUnavailable(UpstreamError):
    """Down, failing (5xx) or unreachable after the retries: serve what is cached."""


class UpstreamTimeout(UpstreamUnavailable):
    """Did not answer within the timeout, on every attempt."""


class UpstreamRateLimited(UpstreamUnavailable):
    """Asked us to back off (429), for longer than a person can wait in a chat."""

    def __init__(self, source: str, retry_after: float | None) -> None:
        wait = "unknown" if retry_after is None else f"{retry_after:.0f}s"
        super().__init__(source, f"rate limited, retry after {wait}")
        self.retry_after = retry_after


class UpstreamBadResponse(UpstreamError):
    """Answered, but not with JSON of the documented shape."""


class UpstreamRejected(UpstreamError):
    """Refused the request (4xx other than 404 and 429): a wrong key or a bug on our side."""

    def __init__(self, source: str, status: int) -> None:
        super().__init__(source, f"rejected with HTTP {status}")
        self.status = status


class UpstreamNotFound(UpstreamError):
    """HTTP 404. Several sources explain the 404 in the body, so it is kept for the caller."""

    def __init__(self, source: str, body: Any) -> None:
        super().__init__(source, "not found")
        self.body = body
