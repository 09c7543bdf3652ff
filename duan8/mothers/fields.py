"""Model fields stored encrypted (``crypto``): the value is clear in Python, a Fernet token in the
database. Such a field cannot be filtered or ordered on; what must be found again has a blind
index beside it (``Mother.id_number_index``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from duan8.mothers import crypto

KINDS = ("str", "int", "date")


class EncryptedField(models.TextField):
    """A text, whole number or date kept encrypted; ``None`` and "" are stored as they are."""

    def __init__(self, *args: Any, kind: str = "str", **kwargs: Any) -> None:
        if kind not in KINDS:
            raise ValueError(kind)
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.kind != "str":
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def _from_text(self, text: str) -> Any:
        if self.kind == "int":
            return int(text)
        if self.kind == "date":
            return datetime.date.fromisoformat(text)
        return text

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None if self.kind != "str" else value
        return self._from_text(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if value is None or (value == "" and self.kind != "str"):
            return None
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return self._from_text(crypto.decrypt(value))
        if isinstance(value, str) and self.kind != "str":
            return self._from_text(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return value
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return crypto.encrypt(str(value))
