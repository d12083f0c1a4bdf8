"""A stand-in upstream for the nginx and liveness rehearsals (deploy/checks/run-all.sh only).

    python3 slow-upstream.py PORT [PROMETHEUS_FILE]

GET /slow?seconds=N answers 200 {"slept": N} after N seconds, like a metric whose query runs up
to the API's own timeout.
GET /metrics/{id}/events and /metrics/events?id=... answer text/event-stream as the API does: a
heartbeat comment, then three `event: metric` one second apart (each well under a kilobyte, so a
buffering proxy would hold them back), then the stream ends.
GET /prometheus answers the current content of PROMETHEUS_FILE as Prometheus text.
Anything else answers 200 {"ok": true} at once. Loopback only.
"""
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PROMETHEUS_FILE = sys.argv[2] if len(sys.argv) > 2 else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        if re.fullmatch(r"/metrics/(?:[^/]+/)?events", url.path):
            self.events()
            return
        if url.path == "/prometheus" and PROMETHEUS_FILE:
            with open(PROMETHEUS_FILE, "rb") as f:
                self.answer(f.read(), "text/plain; version=0.0.4")
            return
        if url.path == "/slow":
            seconds = min(float(parse_qs(url.query).get("seconds", ["0"])[0]), 60.0)
            time.sleep(seconds)
            body = {"slept": seconds}
        else:
            body = {"ok": True}
        self.answer(json.dumps(body).encode(), "application/json")

    def answer(self, data, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(text):
            data = text.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        chunk(": heartbeat\n\nretry: 3000\n\n")
        for n in range(1, 4):
            chunk('event: metric\nid: "v%d"\ndata: {"n": %d, "sent": %.3f}\n\n' % (n, n, time.time()))
            time.sleep(1)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        sys.stderr.write("slow-upstream: " + (format % args) + "\n")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
