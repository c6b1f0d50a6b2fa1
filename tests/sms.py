"""A real SMS gateway on localhost for the tests: SMS go over HTTP and are read back.

`sms_gateway` starts a threaded `http.server` and points the HTTP backend at it; the test
reads `gateway.received` (the JSON bodies and their headers) and sets `gateway.answer` to
make the gateway fail. `sms_outbox` is the memory backend's list, emptied for the test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tremplin.messaging import sms


@dataclass
class Gateway:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    answer: int = 200

    def texts(self, to: str | None = None) -> list[str]:
        return [sms["text"] for sms in self.received if to is None or sms["to"] == to]


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if gateway.answer < 300:
                gateway.received.append(json.loads(body))
                gateway.headers.append(dict(self.headers.items()))
            self.send_response(gateway.answer)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "1"}' if gateway.answer < 300 else b'{"error": "refused"}')

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[Gateway]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Gateway(url="")))
    host, port = server.server_address[:2]
    gateway = Gateway(url=f"http://{host!s}:{port}/send")
    server.RequestHandlerClass = _handler(gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TREMPLIN_SMS_BACKEND = "http"
    settings.TREMPLIN_SMS_URL = gateway.url
    settings.TREMPLIN_SMS_TOKEN = "test-token"
    settings.TREMPLIN_SMS_SENDER = "Tremplin"
    settings.TREMPLIN_SMS_TIMEOUT = 5
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def sms_outbox() -> Iterator[list[sms.Sms]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
