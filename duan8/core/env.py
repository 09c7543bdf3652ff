"""Typed readers for environment variables.

A malformed value raises ``ImproperlyConfigured`` at start-up rather than failing later.
``env_secret`` also reads ``NAME_FILE`` so secrets can come from mounted files.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str:
    """``NAME`` or the content of the file named by ``NAME_FILE`` (which wins when set).

    ``NAME_FILE`` set to nothing, or naming an empty file, is refused: it is a mistake in the
    deployment, and the secret would otherwise silently be empty.
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name is not None:
        if not file_name.strip():
            raise ImproperlyConfigured(
                f"{name}_FILE is set but empty: give the path of the file, or unset it."
            )
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"Cannot read {name}_FILE={file_name}: {exc}") from exc
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} is empty.")
        return value
    return env_str(name, default)


SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10


def check_secret_key(value: str, name: str = "SECRET_KEY") -> None:
    """Refuse a production secret key that is empty, short, repetitive or the development one.

    Django signs sessions, CSRF tokens and password-reset links with it; Django's own deploy check
    asks for at least 50 characters and 5 distinct ones. We ask for 10 distinct characters.
    """
    hint = 'generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    if not value.strip():
        raise ImproperlyConfigured(f"{name} is empty; {hint}.")
    if value.startswith("dev-"):
        raise ImproperlyConfigured(
            f"Set {name} (or {name}_FILE) in production; the development key is refused ({hint})."
        )
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is too short ({len(value)} characters; at least {SECRET_KEY_MIN_LENGTH}); "
            f"{hint}."
        )
    if len(set(value)) < SECRET_KEY_MIN_DISTINCT:
        raise ImproperlyConfigured(
            f"{name} is too repetitive ({len(set(value))} distinct characters; at least "
            f"{SECRET_KEY_MIN_DISTINCT}); {hint}."
        )
