"""A trickling vendor on loopback: answers every request one byte at a time, `interval` seconds apart.

Each byte arrives well inside any per-read timeout, so only an overall deadline ends such a call (issue 15 item 5).
"""

from __future__ import annotations

import socketserver
import threading
import time

__all__ = ["TricklingServer"]


class TricklingServer:
    """`headers_too=False` sends the status line and headers at once and trickles the body (a stalled download);
    `True` trickles from the first byte of the status line (a vendor that never gets going)."""

    def __init__(self, *, interval: float = 0.2, body: bytes = b'{"data": []}', headers_too: bool = False) -> None:
        self.interval, self.body, self.headers_too = interval, body, headers_too
        self.requests = 0
        self.bytes_sent = 0
        self._stopping = threading.Event()
        self._server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> TricklingServer:
        trickle = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # the request line and headers; the vendor does not care what was asked
                trickle.requests += 1
                head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                head += b"Content-Length: %d\r\n\r\n" % len(trickle.body)
                if not trickle.headers_too:
                    self.wfile.write(head)
                    head = b""
                for byte in (head + trickle.body)[:-1]:  # the last byte never comes
                    if trickle._stopping.is_set():
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the client gave up: what a deadline is for
                        return
                    trickle.bytes_sent += 1
                    time.sleep(trickle.interval)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
