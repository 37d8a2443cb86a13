"""The request guard: a pure ASGI middleware in front of every route.

In this order, each before the next costs anything:
1. a Content-Length over the limit is refused (413) before a byte of the body is read;
2. on a signed route, the signature headers are checked for presence, format and timestamp (401) before a byte
   of the body is read, so a stranger cannot make the server take a body at all;
3. the body is read here, counted chunk by chunk as it streams, and refused (413) as soon as it is over the
   limit, whatever the method and route (a chunked GET to a route that ignores bodies included). At most
   `limit` bytes are ever held per request; the app gets the body from this buffer.

A refusal made before reading (1, 2) keeps the connection: the server discards the rest of the body as it
arrives, holding none of it, and a client that sends the whole body before reading (httpx does) still gets the
answer. A body found too large while streaming (3) also closes the connection (`Connection: close`): that client
sent no usable length, and is cut off rather than drained.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kameng_platform.errors import ApiError, error_response

LENGTH_RE = re.compile(r"[0-9]{1,20}")


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "body_too_large", f"The body is larger than {limit} bytes.")


class StreamTooLarge(BodyTooLarge):
    """Found while reading: the connection is closed after the answer."""


class ClientGone(Exception):
    pass


class RequestGuard:
    def __init__(self, app: ASGIApp, *, limit: int, check_signed: Callable[[Scope, Headers], None]) -> None:
        """`check_signed` raises ApiError when the scope is a signed route whose headers fail the cheap checks."""
        self.app, self.limit, self.check_signed = app, limit, check_signed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            length = headers.get("content-length")
            # The server (h11) already refuses a Content-Length that is not a number.
            if length is not None and (not LENGTH_RE.fullmatch(length) or int(length) > self.limit):
                raise BodyTooLarge(self.limit)
            self.check_signed(scope, headers)
            body = await self._read(receive)
        except ClientGone:  # nothing to answer, and a truncated body must not reach a route
            return
        except ApiError as exc:
            reply_headers = dict(exc.headers or {})
            if isinstance(exc, StreamTooLarge):
                reply_headers["Connection"] = "close"
            await error_response(exc.status, exc.code, exc.message, reply_headers)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise StreamTooLarge(self.limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read above, then the server's own messages again (a disconnect, for whoever listens for it)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
