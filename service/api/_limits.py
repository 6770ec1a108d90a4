"""Request limits enforced before a handler runs: body size (declared and actual), a stalled body, and the
headers every response carries.

A pure ASGI middleware, so that a 300 MiB upload is refused from its ``Content-Length`` header at once, and a
body sent without one is cut off at the limit instead of being spooled to disk first.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

from ._settings import Settings

UPLOAD_PATHS = ("/v1/tag", "/v1/audit", "/v1/sheet/columns")
MULTIPART_OVERHEAD = 64 * 1024  # the form fields and boundaries around the file itself

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
]


# BaseException, not Exception: FastAPI turns an Exception raised while it reads a body into a 400
class _TooLarge(BaseException):
    pass


class _Stalled(BaseException):
    pass


def _error(status: int, code: str, message: str) -> tuple[dict, dict]:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *SECURITY_HEADERS,
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class LimitsMiddleware:
    """413 for a body over the limit (by its header, or as it arrives), 408 for a body that stalls, and the
    security headers (CSP, nosniff, frame denial) on every response."""

    def __init__(self, app, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path in UPLOAD_PATHS:
            return self.settings.max_upload_bytes + MULTIPART_OVERHEAD
        return self.settings.max_json_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        mib = f"{limit / (1024 * 1024):.0f} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
        too_large = (413, "body_too_large", f"请求体超过上限 {mib}（{scope['path']}）")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0:
                await self._send_error(send, 400, "bad_request", "Content-Length 头无效")
                return
            if size > limit:
                await self._send_error(send, *too_large)
                return

        received = 0
        body_done = False
        started = False
        timeout = self.settings.body_timeout_s

        async def limited_receive():
            nonlocal received, body_done
            if body_done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError as error:
                raise _Stalled from error
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
                body_done = not message.get("more_body", False)
            return message

        async def secured_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                have = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            if not started:
                await self._send_error(send, *too_large)
        except _Stalled:
            if not started:
                await self._send_error(send, 408, "request_timeout", f"请求体在 {timeout:.0f} 秒内没有送达，连接已关闭")

    @staticmethod
    async def _send_error(send, status: int, code: str, message: str) -> None:
        start, body = _error(status, code, message)
        await send(start)
        await send(body)


class NoteQuota:
    """Anonymous contributions to the queue of open lines, rationed per client: at most ``per_minute`` lines a
    minute from one address are noted (the rest are judged as usual, only not counted), so that one client cannot
    fill the queue or put its own line on top. Memory stays bounded: past ``clients`` addresses the table restarts.

    >>> quota = NoteQuota(per_minute=5)
    >>> quota.take("10.0.0.1", 3), quota.take("10.0.0.1", 3), quota.take("10.0.0.2", 3)
    (3, 2, 3)
    """

    def __init__(self, per_minute: int = 600, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._used: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, wanted: int) -> int:
        now = time.monotonic()
        with self._lock:
            start, used = self._used.get(client, (now, 0))
            if now - start >= 60:
                start, used = now, 0
            allowed = max(0, min(wanted, self.per_minute - used))
            if len(self._used) >= self.clients and client not in self._used:
                self._used.clear()
            self._used[client] = (start, used + allowed)
            return allowed
