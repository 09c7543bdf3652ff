"""What a document check finds: a problem keyed by where it is in the document, with its level.

A ``DocumentProblem`` is a ``core.problems.Problem``: ``field`` is where it is, as a key
(``number``, ``issued_on``, ``appendices.2.attached_line``, ``legal_bases.5``, ``body.12``,
``recipients.3``, ``signature_lines``, ``allocation.<row>.<column>``), ``code`` what is wrong,
``message`` the translated text without any place. Its ``level`` says whether it blocks approval
(error) or is only shown (warning), and ``place`` names the spot as a reader of the printed
document finds it ("2. Yêu cầu, paragraph 3"): the check page shows it in its own column, the
approval page before the message.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.core.problems import Problem
from duan8.documents.plan_document import Para


class Level(models.TextChoices):
    ERROR = "error", gettext_lazy("Error")
    WARNING = "warning", gettext_lazy("Warning")


@dataclass(frozen=True)
class DocumentProblem(Problem):
    level: str = Level.ERROR
    place: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == Level.ERROR

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def where(self) -> str:
        """The place, as the pages and ``programs.services.plan_approval_problems`` name it."""
        return self.place

    def __str__(self) -> str:
        """The problem in a flat list of messages (the approval's refusal): its place, then it."""
        if not self.place:
            return self.message
        return _("%(label)s: %(message)s") % {"label": self.place, "message": self.message}


def error(field: str, place: str, message: str, *, code: str) -> DocumentProblem:
    return DocumentProblem(field=field, message=message, code=code, level=Level.ERROR, place=place)


def warning(field: str, place: str, message: str, *, code: str) -> DocumentProblem:
    return DocumentProblem(
        field=field, message=message, code=code, level=Level.WARNING, place=place
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def place(para: Para) -> str:
    section = _short(para.section)
    if para.heading:
        return _("%(section)s (heading)") % {"section": section}
    return _("%(section)s, paragraph %(line)s") % {"section": section, "line": para.line}


def at(para: Para) -> tuple[str, str]:
    """The field and place of a problem in ``para``."""
    return para.key, place(para)
