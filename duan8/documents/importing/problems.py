"""What an import could not read or match, and where in the file it is.

A problem is kept as plain data (it travels in the session between the preview and the confirm
step); its texts are translated when the problem is found, in the user's language.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

ERROR = "error"  # the plan cannot be created until the file is corrected
WARNING = "warning"  # read with an assumption the user should check; the plan can be created


@dataclass(frozen=True)
class Where:
    """A place in the file: a line of a text file, a paragraph of a Word file, or a table cell."""

    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    column_label: str = ""

    def at_column(self, column: int, label: str = "") -> "Where":
        return Where(self.line, self.paragraph, self.table, self.row, column, label)

    def __str__(self) -> str:
        parts = []
        if self.table is not None:
            parts.append(_("table %(n)s") % {"n": self.table})
        if self.row is not None:
            parts.append(_("row %(n)s") % {"n": self.row})
        if self.column_label:
            parts.append(_("column “%(label)s”") % {"label": shorten(self.column_label, 50)})
        elif self.column is not None:
            parts.append(_("column %(n)s") % {"n": self.column})
        if self.line is not None:
            parts.append(_("line %(n)s") % {"n": self.line})
        if self.paragraph is not None:
            parts.append(_("paragraph %(n)s") % {"n": self.paragraph})
        text = ", ".join(parts) or _("the whole file")
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Problem:
    severity: str
    where: str
    message: str
    excerpt: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        label = _("Error") if self.is_error else _("Warning")
        text = f"{label} — {self.where}: {self.message}"
        return f"{text} [{self.excerpt}]" if self.excerpt else text


class Problems(list[Problem]):
    """The problems of one import, in the order they were found."""

    def error(self, where: Where | str, message: str, excerpt: str = "") -> None:
        self.append(Problem(ERROR, str(where), message, shorten(excerpt, 90)))

    def warning(self, where: Where | str, message: str, excerpt: str = "") -> None:
        self.append(Problem(WARNING, str(where), message, shorten(excerpt, 90)))

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self if problem.is_error]


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
