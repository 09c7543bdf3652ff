"""The first appendix tied to the program: each row is matched to a content, activity or indicator
of the project, first by its wording (case, quotes, punctuation and spacing ignored), then by its
number under the row above it when the wording is close enough."""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from duan8.documents.importing.problems import Problems
from duan8.documents.importing.reader import COUNT, DASHES, TargetRow
from duan8.documents.importing.wording import key, plain, similarity, spaces
from duan8.programs.models import ProgramElement

GOOD_MATCH = 0.5  # wording this close to the program's is taken without a warning


class TargetsMatch:
    """Matches the rows of the first appendix to the project's elements, noting problems."""

    def __init__(
        self, *, problems: Problems, project: ProgramElement, elements: list[ProgramElement]
    ) -> None:
        self.problems = problems
        self.project = project
        self.elements = elements

    def targets(self, rows: list[TargetRow]) -> list[dict[str, Any]]:
        """The rows with targets, as the plan's "targets" items."""
        kinds = {
            "content": ProgramElement.Kind.CONTENT,
            "activity": ProgramElement.Kind.ACTIVITY,
            "indicator": ProgramElement.Kind.INDICATOR,
        }
        by_wording: dict[str, list[ProgramElement]] = defaultdict(list)
        children: dict[int | None, list[ProgramElement]] = defaultdict(list)
        for known in self.elements:
            by_wording[key(known.title)].append(known)
            children[known.parent_id].append(known)
        content: ProgramElement | None = None
        activity: ProgramElement | None = None
        used: dict[int, TargetRow] = {}
        found = []
        for row in rows:
            kind = kinds[row.level]
            parent = {
                "content": self.project,
                "activity": content,
                "indicator": activity or content,
            }[row.level]
            element = self.element(row, kind, parent, by_wording, children)
            if row.level == "content":
                content, activity = element, None
            elif row.level == "activity":
                activity = element
            if element is None:
                continue
            if element.pk in used:
                self.problems.error(
                    row.where,
                    _("This row matches the same line of the program as %(other)s.")
                    % {"other": used[element.pk].where},
                    row.title,
                )
                continue
            used[element.pk] = row
            if not row.cells:
                continue
            if kind == ProgramElement.Kind.CONTENT:
                self.problems.error(
                    row.where, _("A “Nội dung” row cannot carry targets."), row.title
                )
                continue
            item: dict[str, Any] = {"element": element.code}
            for scope, (text, _where) in row.cells.items():
                item[scope] = target_cell(text)
            found.append(item)
        return found

    def element(
        self,
        row: TargetRow,
        kind: str,
        parent: ProgramElement | None,
        by_wording: dict[str, list[ProgramElement]],
        children: dict[int | None, list[ProgramElement]],
    ) -> ProgramElement | None:
        worded = [e for e in by_wording.get(key(row.title), []) if e.kind == kind]
        if parent is not None:
            worded.sort(key=lambda e: e.parent_id != parent.pk)
        placed = None
        if parent is not None:
            placed = next(
                (
                    e
                    for e in children.get(parent.pk, [])
                    if e.kind == kind and key(e.number) == key(row.number)
                ),
                None,
            )
        if worded:
            return worded[0]
        if placed is not None and similarity(row.title, placed.title) >= GOOD_MATCH:
            self.problems.warning(
                row.where,
                _(
                    "The wording differs from the program's “%(title)s”; the row is taken as"
                    " %(number)s by its place."
                )
                % {"title": placed.title, "number": placed.number},
                row.title,
            )
            return placed
        message = _("No line of the program matches this row (%(number)s).") % {
            "number": row.number
        }
        if placed is not None:
            message += " " + _("At this place the program has “%(title)s”.") % {
                "title": placed.title
            }
        if row.cells:
            self.problems.error(
                row.where, message + " " + _("Its targets are not imported."), row.title
            )
        else:
            self.problems.warning(row.where, message, row.title)
        return None


def target_cell(text: str) -> dict[str, str]:
    """A printed target: "-" none, "01" a number, "Tạm dừng …" a suspension, else a text."""
    text = spaces(text)
    if text in DASHES:
        return {"kind": "none"}
    if COUNT.match(text):
        return {"kind": "number", "value": text}
    if plain(text).startswith("tam dung"):
        return {"kind": "suspended", "text": text}
    return {"kind": "text", "text": text}
