"""Refresh tokens at rest: Fernet with the keys in MENTORGRAPH_SECRET_KEY (newest first), rotatable.

Several keys may be configured at once: new tokens are encrypted with the first, old ones still decrypt with
any, and `rotate` re-encrypts a token under the first, so a key can be retired once every row is rotated.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from domain.errors import ValidationFailed


class TokenCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one Fernet key is needed")
        self._fernet = MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise ValidationFailed("The stored token does not decrypt with any configured key.") from None

    def decrypt_fresh(self, token: str, *, max_age_seconds: int) -> str | None:
        """The plaintext of a token made at most `max_age_seconds` ago with any key; None if not, or forged."""
        try:
            return self._fernet.decrypt(token.encode(), ttl=max_age_seconds).decode()
        except InvalidToken:
            return None

    def rotate(self, token: str) -> str:
        return self._fernet.rotate(token.encode()).decode()


def new_key() -> str:
    return Fernet.generate_key().decode()
