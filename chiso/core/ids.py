"""Public identifiers: short, random, not guessable, safe in URLs."""
from __future__ import annotations

import secrets

# Crockford-style base32 without easily confused letters.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_public_id(length: int = 12) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
