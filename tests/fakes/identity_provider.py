"""A fake OpenID Connect identity provider: a JWKS over real HTTP and tokens shaped like Entra ID's and Google's.

It serves `/.well-known/openid-configuration` and `/keys` from a thread on 127.0.0.1 (a free port), signs with
an RSA key (RS256) and an EC P-256 key (ES256) generated at start, counts JWKS fetches, and can rotate or
retire keys so the tests can watch the service pick the change up.

Faults: `hang()` holds every JWKS request open without answering until `recover()` (or stop), and `fail()`
answers 500; `jwks_requests` counts requests that arrived, `jwks_fetches` those answered with the key set, and
`hanging` those being held right now.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ENTRA_TENANT = "8f2c1d7e-5b1a-4c3e-9a0d-6e2b7f41c9aa"
ENTRA_ISSUER = f"https://login.microsoftonline.com/{ENTRA_TENANT}/v2.0"
ENTRA_APP_ID = "0c4f3f6e-2a57-4d1b-8b7e-91d2c5a3e8f1"
GOOGLE_ISSUER = "https://accounts.google.com"
GOOGLE_CLIENT_ID = "123456789012-mentorgraph.apps.googleusercontent.com"


@dataclass
class SigningKey:
    kid: str
    algorithm: str  # RS256 or ES256
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    def public_jwk(self) -> dict:
        codec = RSAAlgorithm if self.algorithm == "RS256" else ECAlgorithm
        jwk = codec.to_jwk(self.private_key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}


def new_key(algorithm: str, kid: str | None = None) -> SigningKey:
    if algorithm == "RS256":
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif algorithm == "ES256":
        private_key = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(f"the fake signs RS256 or ES256, not {algorithm}")
    return SigningKey(
        kid=kid or f"{algorithm.lower()}-{uuid.uuid4().hex[:8]}", algorithm=algorithm, private_key=private_key
    )


class FakeIdentityProvider:
    """Publishes its public keys as a JWKS and mints tokens with any of its (or a stranger's) private keys."""

    def __init__(self) -> None:
        self.published: list[SigningKey] = [new_key("RS256"), new_key("ES256")]
        self.jwks_fetches = 0
        self.jwks_requests = 0
        self.hanging = 0
        self._mode = "answer"  # answer, hang or fail
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-idp", daemon=True
        )

    # -- HTTP -----------------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.base_url}/keys"

    def start(self) -> FakeIdentityProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def hang(self) -> None:
        with self._lock:
            self._mode = "hang"
            self._released.clear()

    def fail(self) -> None:
        with self._lock:
            self._mode = "fail"

    def recover(self) -> None:
        """Answers again; requests held by `hang()` are let go (and answered with the key set)."""
        with self._lock:
            self._mode = "answer"
        self._released.set()

    def _jwks(self) -> dict | None:
        """The key set to answer with, or None for a 500; while hanging, holds the calling thread first."""
        with self._lock:
            self.jwks_requests += 1
            mode = self._mode
            if mode == "hang":
                self.hanging += 1
        if mode == "hang":
            self._released.wait(timeout=120)
            with self._lock:
                self.hanging -= 1
                mode = self._mode
        if mode == "fail":
            return None
        with self._lock:
            self.jwks_fetches += 1
            return {"keys": [key.public_jwk() for key in self.published]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/keys":
                    key_set = provider._jwks()
                    if key_set is None:
                        self.send_error(500)
                    else:
                        self._json(key_set)
                elif self.path == "/.well-known/openid-configuration":
                    self._json({"issuer": ENTRA_ISSUER, "jwks_uri": provider.jwks_url})
                else:
                    self.send_error(404)

            def _json(self, body: dict) -> None:
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up on a held request
                    self.wfile.write(payload)

            def log_message(self, format: str, *args) -> None:  # quiet test output
                pass

        return Handler

    # -- keys -----------------------------------------------------------------------------------------------------

    def key(self, algorithm: str) -> SigningKey:
        """The newest published key for an algorithm."""
        return next(key for key in reversed(self.published) if key.algorithm == algorithm)

    def rotate(self, algorithm: str = "RS256") -> SigningKey:
        """Publishes a new key next to the old ones, as Entra ID does before it starts signing with it."""
        key = new_key(algorithm)
        with self._lock:
            self.published.append(key)
        return key

    def retire(self, key: SigningKey) -> None:
        with self._lock:
            self.published.remove(key)

    # -- tokens ---------------------------------------------------------------------------------------------------

    def sign(self, claims: dict, *, key: SigningKey | None = None, headers: dict | None = None) -> str:
        key = key or self.key("RS256")
        return jwt.encode(claims, key.private_key, algorithm=key.algorithm, headers={"kid": key.kid, **(headers or {})})

    def entra_token(
        self,
        *,
        email: str,
        roles: list[str] | None = None,
        algorithm: str = "RS256",
        key: SigningKey | None = None,
        ttl_seconds: int = 3600,
        **overrides,
    ) -> str:
        """An Entra ID v2.0 access token for the app: the email in `preferred_username`, app roles in `roles`."""
        now = int(time.time())
        claims = {
            "iss": ENTRA_ISSUER,
            "aud": ENTRA_APP_ID,
            "tid": ENTRA_TENANT,
            "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, email)),
            "sub": uuid.uuid5(uuid.NAMESPACE_DNS, email).hex,
            "preferred_username": email,
            "name": email.split("@")[0].title(),
            "ver": "2.0",
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
        }
        if roles is not None:
            claims["roles"] = roles
        claims.update(overrides)
        return self.sign({k: v for k, v in claims.items() if v is not None}, key=key or self.key(algorithm))

    def google_token(
        self,
        *,
        email: str,
        algorithm: str = "RS256",
        key: SigningKey | None = None,
        ttl_seconds: int = 3600,
        **overrides,
    ) -> str:
        """A Google ID token for the app's OAuth client: the email in `email`, no roles."""
        now = int(time.time())
        claims = {
            "iss": GOOGLE_ISSUER,
            "aud": GOOGLE_CLIENT_ID,
            "azp": GOOGLE_CLIENT_ID,
            "sub": str(uuid.uuid5(uuid.NAMESPACE_DNS, email).int)[:21],
            "email": email,
            "email_verified": True,
            "hd": email.split("@")[-1],
            "iat": now,
            "exp": now + ttl_seconds,
        }
        claims.update(overrides)
        return self.sign({k: v for k, v in claims.items() if v is not None}, key=key or self.key(algorithm))


@pytest.fixture
def identity_provider() -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider().start()
    try:
        yield provider
    finally:
        provider.stop()
