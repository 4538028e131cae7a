"""A real HTTP server on 127.0.0.1 for the integration tests: it answers as a script says (fail, hang,
recover) and keeps every request it received."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer:
    """``with LoopbackServer(["500", "slow", "200"]) as server:`` answers the first request 500, keeps the
    second waiting ``slow_seconds``, then answers 200 to every further one (the last step repeats).
    ``server.url``; ``server.requests``: [(path, headers, body bytes)]; ``server.keys()``: the Idempotency-Key
    headers received, in order."""

    def __init__(self, script=("200",), slow_seconds=1.5, answer=None):
        self.script = list(script)
        self.slow_seconds = slow_seconds
        self.answer = answer or {"errcode": 0, "code": 0}
        self.requests = []
        self.gave_up = 0
        self.token_requests = []
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def __enter__(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with owner._lock:
                    owner.requests.append((self.path, dict(self.headers), body))
                    step = owner.script.pop(0) if len(owner.script) > 1 else owner.script[0]
                if step == "slow":
                    time.sleep(owner.slow_seconds)
                    step = "200"
                status = int(step)
                data = json.dumps(owner.answer if status == 200 else {"error": step}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    owner.gave_up += 1  # the client stopped waiting (read timeout)

            def do_GET(self):  # WeChat's access token: a new one each time, valid 7200 s
                with owner._lock:
                    owner.token_requests.append(self.path)
                    data = json.dumps({"access_token": "TOKEN%d" % len(owner.token_requests),
                                       "expires_in": 7200}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self._server.server_address[1]

    def keys(self):
        return [headers.get("Idempotency-Key") for _path, headers, _body in self.requests]
