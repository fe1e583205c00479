"""Pseudonymous keys instead of identities (UU 27/2022).

Names and national ids are never stored. A borrower's or participant's id is
replaced by a keyed hash (HMAC-SHA256 with an installation key that is
generated once and kept out of git), scoped to the facility, so the dashboard
can count distinct borrowers without knowing who they are, and nobody without
the key can test a guessed id against the database.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def load_or_create_key(path: Path) -> bytes:
    """The installation key at ``path``; created (mode 0600) on first use."""
    path = Path(path)
    if path.exists():
        key = bytes.fromhex(path.read_text().strip())
        if len(key) < 32:
            raise ValueError(f"{path}: kunci instalasi terlalu pendek")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key


def pseudonymise(key: bytes, scope: str, normalised_id: str) -> str:
    """A stable 24-character key for ``normalised_id`` within ``scope``."""
    digest = hmac.new(key, f"{scope}\x1f{normalised_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:24]
