"""Encryption at rest of the registry's sensitive fields (ID numbers, health), with pyca's Fernet.

Keys never live in the database. They come, newest first, from ``DUAN8_FIELD_KEYS`` (Fernet
keys separated by commas) or from the file named by ``DUAN8_FIELD_KEYS_FILE`` (one key per line,
``#`` comments allowed); without either, from ``field-keys`` beside the SQLite database, made on
first use with one new key and mode 0600 (a laptop or a test run). ``MultiFernet`` encrypts with
the first key and decrypts with any of them, so a new key is added in front, ``duan8
rotate_field_keys`` re-encrypts every row with it, and then the old key is removed
(docs/personal-data.md).

A value that must be found again exactly (an ID number, for duplicates) also gets a blind index:
an HMAC-SHA256 of its normalised form under a key derived from the newest key. Rotation
recomputes the indexes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "f1:"


def _keys_file() -> Path:
    named = os.environ.get("DUAN8_FIELD_KEYS_FILE", "").strip()
    if named:
        return Path(named)
    database = Path(str(settings.DATABASES["default"].get("NAME") or "duan8"))
    folder = database.parent if database.is_absolute() else Path(settings.BASE_DIR)
    return folder / "field-keys"


def _read_keys(path: Path) -> list[str]:
    lines = path.read_text(encoding="ascii").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _make_keys_file(path: Path) -> list[str]:
    key = Fernet.generate_key().decode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write("# duan8 field encryption keys, newest first; keep a copy offline\n")
        handle.write(key + "\n")
    return [key]


@cache
def field_keys() -> tuple[str, ...]:
    """The keys in force, newest first (read once per process; ``field_keys.cache_clear()``
    after changing them)."""
    raw = os.environ.get("DUAN8_FIELD_KEYS", "").strip()
    if raw:
        keys = [key.strip() for key in raw.split(",") if key.strip()]
    else:
        path = _keys_file()
        try:
            keys = _read_keys(path)
        except FileNotFoundError:
            if os.environ.get("DUAN8_FIELD_KEYS_FILE", "").strip():
                raise ImproperlyConfigured(
                    f"DUAN8_FIELD_KEYS_FILE {path} does not exist."
                ) from None
            try:
                keys = _make_keys_file(path)
            except FileExistsError:  # another process made it meanwhile
                keys = _read_keys(path)
    if not keys:
        raise ImproperlyConfigured("No field encryption key (DUAN8_FIELD_KEYS).")
    try:
        for key in keys:
            Fernet(key)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"A field encryption key is not a Fernet key: {error}") from None
    return tuple(keys)


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    """One key object per set of keys (made once: a decryption costs ~1 µs instead of ~3)."""
    return _fernet_for(field_keys())


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with the keys in force (DUAN8_FIELD_KEYS)."
        ) from None


def rotate(stored: str) -> str:
    """The value re-encrypted under the newest key."""
    return PREFIX + _fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


def blind_index(normalised: str) -> str:
    """A keyed hash to find equal values without storing them in clear."""
    key = hmac.new(field_keys()[0].encode("ascii"), b"duan8 blind index", hashlib.sha256).digest()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
