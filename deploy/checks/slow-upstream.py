"""A stand-in upstream for the nginx timeout rehearsal (deploy/checks/run-all.sh only).

    python3 slow-upstream.py PORT

GET /slow?seconds=N answers 200 {"slept": N} after N seconds, like a metric whose query runs up
to the API's own timeout; anything else answers 200 {"ok": true} at once. Loopback only.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        if url.path == "/slow":
            seconds = min(float(parse_qs(url.query).get("seconds", ["0"])[0]), 60.0)
            time.sleep(seconds)
            body = {"slept": seconds}
        else:
            body = {"ok": True}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        sys.stderr.write("slow-upstream: " + (format % args) + "\n")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
