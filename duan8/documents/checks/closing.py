"""Checks of the document's closing block: the signature of a collective body (TM. ỦY BAN NHÂN
DÂN / CHỦ TỊCH, or KT. CHỦ TỊCH / PHÓ CHỦ TỊCH) and the recipients (nơi nhận), ending with
"- Lưu: VT, …."."""

import re

from django.utils.translation import gettext as _

from duan8.documents.checks.problem import DocumentProblem, error, warning
from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import PlanText


def _norm(line: str) -> str:
    return " ".join(line.split()).upper()


def check_signature(text: PlanText, template: DocumentTemplate) -> list[DocumentProblem]:
    where = _("Signature block")
    lines = [_norm(line) for line in text.signature_lines]
    if not lines:
        return [
            error(
                "signature_lines",
                where,
                _("The signature block has no authority or title."),
                code="missing",
            )
        ]
    problems = []
    rules = (template.signature or {}).get("collective_bodies", [])
    rule = next(
        (r for r in rules if re.match(r["pattern"], text.issuing_body, flags=re.IGNORECASE)),
        None,
    )
    if rule is not None:
        authority = _norm(rule["authority"])
        titles = [[_norm(t) for t in option] for option in rule["titles"]]
        shown = _(" or ").join(f"“{' / '.join(option)}”" for option in titles)
        if lines[0] != authority:
            problems.append(
                error(
                    "signature_lines",
                    where,
                    _(
                        "%(body)s works as a collective body: the signature block must begin with"
                        " “%(authority)s”, then %(titles)s (it reads “%(found)s”)."
                    )
                    % {
                        "body": text.issuing_body,
                        "authority": authority,
                        "titles": shown,
                        "found": " / ".join(lines),
                    },
                    code="authority",
                )
            )
        elif lines[1:] not in titles:
            problems.append(
                error(
                    "signature_lines",
                    where,
                    _("After “%(authority)s” comes %(titles)s, not “%(found)s”.")
                    % {"authority": authority, "titles": shown, "found": " / ".join(lines[1:])},
                    code="title",
                )
            )
    if not text.signer_name:
        problems.append(
            warning("signer_name", where, _("The signer's name is missing."), code="missing")
        )
    return problems


def check_recipients(text: PlanText, template: DocumentTemplate) -> list[DocumentProblem]:
    where = _("Recipients (nơi nhận)")
    lines = text.recipients
    if not lines:
        return [error("recipients", where, _("The document names no recipients."), code="missing")]
    archive = re.compile(
        (template.checks or {}).get("archive_line") or r"^-?\s*Lưu\s*:\s*VT\b", re.IGNORECASE
    )
    problems = []
    if not archive.search(lines[-1]):
        if any(archive.search(line) for line in lines):
            problems.append(
                error(
                    "recipients",
                    where,
                    _("The line “- Lưu: VT, …” must be the last one."),
                    code="archive_last",
                )
            )
        else:
            problems.append(
                error(
                    "recipients",
                    where,
                    _(
                        "The recipients must end with the archive line “- Lưu: VT, …” (the"
                        " clerical office and the drafting unit)."
                    ),
                    code="archive_missing",
                )
            )
    for number, line in enumerate(lines, start=1):
        field = f"recipients.{number}"
        line_where = _("%(section)s, line %(line)s") % {"section": where, "line": number}
        if not line.startswith("-"):
            problems.append(
                warning(field, line_where, _("A recipient line begins with “-”."), code="dash")
            )
        last = number == len(lines)
        if last and not line.endswith("."):
            problems.append(
                warning(
                    field, line_where, _("The last line ends with a full stop."), code="full_stop"
                )
            )
        elif not last and not line.endswith(";"):
            problems.append(
                warning(field, line_where, _("A recipient line ends with “;”."), code="semicolon")
            )
    return problems
