"""A stand-in Cognito user pool for the API rehearsal (deploy/checks/run-all.sh only).

    python3 fake-issuer.py PORT MODULUS_HEX

Serves /pool/.well-known/openid-configuration and /pool/.well-known/jwks.json for one RSA key
(exponent 65537), so the API fetches real signing keys and becomes ready, as against a real pool.
Loopback only.
"""
import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


PORT = int(sys.argv[1])
ISSUER = f"http://127.0.0.1:{PORT}/pool"
MODULUS = bytes.fromhex(sys.argv[2])
DOCUMENTS = {
    "/pool/.well-known/openid-configuration": {
        "issuer": ISSUER,
        "jwks_uri": f"{ISSUER}/.well-known/jwks.json",
        "id_token_signing_alg_values_supported": ["RS256"],
    },
    "/pool/.well-known/jwks.json": {
        "keys": [{"kty": "RSA", "kid": "rehearsal", "use": "sig", "alg": "RS256", "n": b64url(MODULUS), "e": "AQAB"}],
    },
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        document = DOCUMENTS.get(self.path)
        data = json.dumps(document or {"error": "not found"}).encode()
        self.send_response(200 if document else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
