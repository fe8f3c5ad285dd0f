"""A threaded HTTP server on 127.0.0.1 (a free port) that answers every request with JSON.

The fakes hand it one function, `answer(verb, path, headers, body) -> (status, body)`;
it runs on a thread of its own and stops (request threads joined, socket closed)
on close().
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

JsonObject = dict[str, Any]
# (status, body) for one request.
Answer = tuple[int, JsonObject]


class JsonServer:
    """A threaded HTTP server on 127.0.0.1 that hands each request to `answer`."""

    def __init__(self, answer: Callable[[str, str, dict[str, str], bytes], Answer],
                 port: int = 0, *, keep_alive: bool = False) -> None:
        class Handler(BaseHTTPRequestHandler):
            # By default one request per connection: no idle keep-alive thread outlives
            # a test.
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            # The head and the body go out as two writes: on a connection kept open,
            # Nagle's algorithm would hold the body back until the client's delayed ACK.
            disable_nagle_algorithm = keep_alive

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:
                    # The client went away mid-request (a cancelled call: the bot's
                    # "typing…" stops when its answer is ready). Telegram drops such a
                    # request; answering its cut-off body would make up a call.
                    self.close_connection = True
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, payload = answer(self.command, self.path, headers, body)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a cancelled long poll)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            # socketserver's default backlog of 5 drops connections when many arrive at
            # once (a load test), and each drop costs a second of TCP's SYN retry.
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = keep_alive
        self.httpd.block_on_close = not keep_alive  # close() joins every request thread
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
