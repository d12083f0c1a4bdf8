"""Reads an event stream the way a browser's EventSource would and reports when each event arrived
(deploy/checks/run-all.sh only).

    python3 sse-client.py URL

Prints one JSON object: {"status", "content_type", "content_encoding", "arrivals": [seconds after
the request for each `event:` line], "events": n}. Asks for gzip, as browsers do, so a proxy that
compresses the stream is caught.
"""
import json
import sys
import time
import urllib.request

url = sys.argv[1]
request = urllib.request.Request(url, headers={"Accept": "text/event-stream", "Accept-Encoding": "gzip"})
start = time.monotonic()
arrivals = []
with urllib.request.urlopen(request, timeout=30) as response:
    encoding = response.headers.get("Content-Encoding")
    content_type = response.headers.get("Content-Type")
    status = response.status
    while True:
        line = response.readline()
        if not line:
            break
        if line.startswith(b"event:"):
            arrivals.append(round(time.monotonic() - start, 3))
print(json.dumps({"status": status, "content_type": content_type, "content_encoding": encoding,
                  "arrivals": arrivals, "events": len(arrivals)}))
