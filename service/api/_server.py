"""How ``gpsc serve`` runs uvicorn: its timeouts, and a header timeout uvicorn itself does not have.

uvicorn drops an idle keep-alive connection after ``timeout_keep_alive`` seconds, but a client that opens a
connection and sends its headers one byte a minute is held for ever. ``HeaderTimeoutProtocol`` closes a
connection whose request headers are not complete ``HEADER_TIMEOUT_S`` seconds after it opened (or after the
previous response). A stalled *body* is handled by the API's limits middleware (408).
"""

from __future__ import annotations

import asyncio
import os

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_S = 10.0  # from connection (or end of the previous response) to complete request headers
KEEP_ALIVE_S = 5  # an idle keep-alive connection is closed after this
GRACEFUL_SHUTDOWN_S = 30  # on SIGTERM, requests in flight get this long to finish


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for the request headers (``header_timeout``, seconds)."""

    _header_timer: asyncio.TimerHandle | None = None

    @property
    def header_timeout(self) -> float:
        return float(os.environ.get("GPSC_HEADER_TIMEOUT") or HEADER_TIMEOUT_S)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        waiting_for_headers = self.cycle is None or self.cycle.response_complete
        if waiting_for_headers and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()  # a request is being served: its headers arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def server_options(header_timeout: float = HEADER_TIMEOUT_S) -> dict:
    """Keyword arguments for ``uvicorn.run``/``uvicorn.Config`` (documented in the README's limits section).

    The header deadline travels in ``GPSC_HEADER_TIMEOUT``: uvicorn builds the protocol itself, in every worker.
    """
    os.environ["GPSC_HEADER_TIMEOUT"] = str(header_timeout)
    return {
        "http": HeaderTimeoutProtocol,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S,
        "h11_max_incomplete_event_size": 64 * 1024,  # header block size
    }
