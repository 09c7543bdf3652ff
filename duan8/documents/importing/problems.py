"""What an import could not read or match, keyed by where it is in the file.

A problem is a ``core.problems.Problem``: its ``field`` is its place in the file as a key
(``table.2.row.6.column.3``, ``line.3``, ``paragraph.5``; ``__all__`` for the whole file,
``plan.<item>`` for an item of the plan built from it), its ``row`` the table's row, its
``message`` the translated text without any place. Beside these, an ``ImportProblem`` keeps its
severity (an error keeps the plan from being created), its place (``Where``, named in the
user's language where it is shown: the preview's "Where" column, the command's lines) and an
excerpt of what was read there. Problems are plain data: they travel in the session between the
preview and the confirm step.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from duan8.core.problems import WHOLE, Problem

ERROR = "error"  # the plan cannot be created until the file is corrected
WARNING = "warning"  # read with an assumption the user should check; the plan can be created


@dataclass(frozen=True)
class Where:
    """A place in the file: a line of a text file, a paragraph of a Word file, or a table cell;
    or an item of the plan built from the file (``item``, a dotted path in its data)."""

    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    column_label: str = ""
    item: str = ""

    def at_column(self, column: int, label: str = "") -> "Where":
        return Where(self.line, self.paragraph, self.table, self.row, column, label)

    @property
    def key(self) -> str:
        """The place as a problem's field: "table.2.row.6.column.3", "line.3", "plan.targets.4"."""
        if self.item:
            return "plan" if self.item == WHOLE else f"plan.{self.item}"
        parts = [
            f"{name}.{value}"
            for name, value in (
                ("table", self.table),
                ("row", self.row),
                ("column", self.column),
                ("line", self.line),
                ("paragraph", self.paragraph),
            )
            if value is not None
        ]
        return ".".join(parts) or WHOLE

    def __str__(self) -> str:
        if self.item:
            return str(_("The plan as a whole"))
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
class ImportProblem(Problem):
    severity: str = ERROR
    place: Where = Where()
    excerpt: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def where(self) -> str:
        """The place, named in the current language."""
        return str(self.place)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "ImportProblem":
        if "place" not in raw:  # a preview stored before problems were keyed: its place is lost
            return cls(
                field=WHOLE,
                message=raw["message"],
                severity=raw["severity"],
                excerpt=raw.get("excerpt", ""),
            )
        return cls(**{**raw, "place": Where(**raw["place"])})

    def __str__(self) -> str:
        """The problem on one line (the command's output): "Error — Line 3: … [excerpt]"."""
        label = _("Error") if self.is_error else _("Warning")
        text = f"{label} — {self.where}: {self.message}"
        return f"{text} [{self.excerpt}]" if self.excerpt else text


class Problems(list[ImportProblem]):
    """The problems of one import, in the order they were found."""

    def error(self, where: Where, message: str, excerpt: str = "") -> None:
        self.append(_problem(ERROR, where, message, excerpt))

    def warning(self, where: Where, message: str, excerpt: str = "") -> None:
        self.append(_problem(WARNING, where, message, excerpt))

    @property
    def errors(self) -> list[ImportProblem]:
        return [problem for problem in self if problem.is_error]


def _problem(severity: str, where: Where, message: str, excerpt: str) -> ImportProblem:
    return ImportProblem(
        field=where.key,
        message=str(message),
        row=where.row,
        severity=severity,
        place=where,
        excerpt=shorten(excerpt, 90),
    )


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
