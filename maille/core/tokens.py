"""Opaque link tokens (answer links, holder links, cancellation links, API keys): 256 random bits for the URL or the
key, and only their SHA-256 in the database — a slow hash adds nothing against guessing 256 random bits."""

import hashlib
import secrets


def new_token() -> str:
    """A new URL-safe token of 32 random bytes."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token (64 hex characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
