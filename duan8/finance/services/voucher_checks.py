"""The checks a voucher passes before it is written (issue 14, point 4, and its bad input): the
fields, the plan's activity, the locked periods, the receipt's size and type, and — under a row
lock on the holder's allocations of the year and source — the remaining allocation.

Each check adds its problems, keyed by field, to a ``Problems``; nothing is written before all
of them pass.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.activities.models import Event
from duan8.activities.services.attachments import attachment_type
from duan8.activities.services.shared import data_lock_covering, lock_message
from duan8.core.problems import Problems
from duan8.finance.balance import allocated, allocations_of
from duan8.finance.models import Allocation, Source, Voucher
from duan8.finance.money import money
from duan8.finance.services.settlement import settlement_locked
from duan8.finance.spent import spent
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

# The budget year's accounts stay open for corrections until 31 January of the next year
# (chỉnh lý quyết toán, Luật Ngân sách nhà nước 2015, Art. 65).
LAST_MONTH_AFTER = 1
LAST_DAY_AFTER = 31
ACTIVITY_KINDS = (ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR)
RECEIPT_TYPES = ("image/jpeg", "image/png", "application/pdf")
LIMITS = {"number": 40, "payee": 255, "content": 255}


def text_checks(values: dict[str, str], problems: Problems) -> None:
    for name, value in values.items():
        if not value:
            problems.add(name, _("This field is required."), "required")
        elif len(value) > LIMITS[name]:
            message = _("At most %(limit)s characters.") % {"limit": LIMITS[name]}
            problems.add(name, message, "max_length")


def date_check(paid_on: datetime.date | None, year: int, problems: Problems) -> None:
    """A date of the budget year (or its January of corrections), never in the future."""
    if paid_on is None:
        problems.add("paid_on", _("This field is required."), "required")
        return
    last = datetime.date(year + 1, LAST_MONTH_AFTER, LAST_DAY_AFTER)
    if paid_on > timezone.localdate():
        problems.add("paid_on", _("The date is in the future."), "future")
    elif not datetime.date(year, 1, 1) <= paid_on <= last:
        message = _("The date is outside the budget year %(year)s (1/1/%(year)s–%(last)s).") % {
            "year": year,
            "last": last.strftime("%d/%m/%Y"),
        }
        problems.add("paid_on", message, "outside_year")


def lock_check(holder: OrgUnit, paid_on: datetime.date | None, problems: Problems) -> None:
    """The activities' data lock (set when a report is approved) covers vouchers too."""
    lock = data_lock_covering(holder, paid_on) if paid_on is not None else None
    if lock is not None:
        problems.add("paid_on", lock_message(lock), "locked")


def settled_check(holder: OrgUnit, year: int | None, problems: Problems) -> None:
    """An approved settlement closes the holder's budget year: no voucher nor reversal of that
    year any more (``services.settlement.settlement_locked``)."""
    if year is not None and settlement_locked(holder, year):
        message = _("The settlement of %(year)s is approved: that year's spending is closed.")
        problems.add("paid_on", message % {"year": year}, "settled")


def in_plan(activity: ProgramElement, plan: Plan) -> bool:
    return activity.kind in ACTIVITY_KINDS and activity.code.startswith(f"{plan.project.code}.")


def plan_check(
    holder: OrgUnit, plan: Plan | None, activity: ProgramElement | None, problems: Problems
) -> None:
    if plan is None:
        problems.add("plan", _("Choose the plan."), "required")
    elif plan.issuing_unit_id != holder.pk or plan.status == Plan.Status.SUPERSEDED:
        message = _("%(plan)s is not a plan in force of %(holder)s.") % {
            "plan": plan.reference,
            "holder": holder.full_name,
        }
        problems.add("plan", message, "invalid_choice")
    if activity is None:
        problems.add("activity", _("Choose the plan's activity."), "required")
    elif plan is not None and not in_plan(activity, plan):
        message = _("%(code)s is not an activity of the plan %(plan)s.") % {
            "code": activity.outline_number or activity.code,
            "plan": plan.reference,
        }
        problems.add("activity", message, "not_in_plan")


def source_check(source: str, problems: Problems) -> bool:
    if source not in Source.values:
        problems.add("source", _("Choose the source."), "invalid_choice")
        return False
    return True


def receipt_check(receipt: UploadedFile | None, problems: Problems) -> str:
    """The receipt's content type once its first bytes and name agree and its size is within
    the attachments' limit (checked before anything is stored); "" when there is none."""
    if receipt is None:
        return ""
    name = receipt.name or "file"
    head = receipt.read(16)
    receipt.seek(0)
    detected = attachment_type(head, name)
    if detected is None or detected[0] not in RECEIPT_TYPES:
        message = _(
            "File “%(name)s”: this type of file is not accepted. Accepted: photos (JPG, PNG), PDF."
        ) % {"name": name}
        problems.add("receipt", message, "type")
        return ""
    limit = settings.ATTACHMENT_MAX_BYTES
    if (receipt.size or 0) > limit:
        message = _("File “%(name)s” is %(size)s; the limit is %(limit)s.") % {
            "name": name,
            "size": _size_text(receipt.size or 0),
            "limit": _size_text(limit),
        }
        problems.add("receipt", message, "size")
    return detected[0]


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def lock_allocations(*, holder: OrgUnit, year: int, source: str) -> list[int]:
    """Lock the holder's allocation rows of the year and source until the transaction ends (in a
    fixed order, so two writers never deadlock): a second voucher of the same money waits here
    for the first to commit, then reads its spending. Returns the rows' ids."""
    rows = (
        Allocation.objects.filter(holder=holder, year=year, source=source)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    return list(rows.values_list("pk", flat=True))


def _scopes(activity: ProgramElement, holder: OrgUnit, year: int, source: str) -> list:
    """The elements the allocation is checked on: the whole year's source, then each content
    or project above the activity that has allocations of its own (an allocation by content)."""
    codes = activity.code.split(".")
    above = [".".join(codes[:n]) for n in range(len(codes) - 1, 0, -1)]
    booked = set(
        Allocation.objects.filter(
            holder=holder, year=year, source=source, element__code__in=above
        ).values_list("element__code", flat=True)
    )
    elements = ProgramElement.objects.filter(code__in=booked).order_by("-code")
    return [None, *elements]


def allocation_check(
    *,
    holder: OrgUnit,
    year: int,
    source: str,
    activity: ProgramElement,
    amount: Decimal,
    problems: Problems,
) -> None:
    """Refuse a source with no allocation for the activity, and an amount above what is left of
    it (for the year and source, and for the content when the allocation is by content). Call
    after ``lock_allocations`` in the same transaction."""
    label = Source(source).label
    if not allocations_of(holder=holder, year=year, source=source, element=activity).exists():
        message = _("%(holder)s has no allocation from the %(source)s for %(year)s.") % {
            "holder": holder.full_name,
            "source": label,
            "year": year,
        }
        problems.add("source", message, "not_allocated")
        return
    for element in _scopes(activity, holder, year, source):
        given = allocated(holder=holder, year=year, source=source, element=element)
        left = given - spent(holder=holder, year=year, source=source, element=element)
        if amount > left:
            message = _(
                "%(amount)s đ is more than the %(left)s đ left of the allocation "
                "(%(source)s, %(year)s%(scope)s)."
            ) % {
                "amount": money(amount),
                "left": money(max(left, Decimal(0))),
                "source": label,
                "year": year,
                "scope": f", {element.number or element.code}" if element is not None else "",
            }
            problems.add("amount", message, "above_allocation")
            return


def event_paid(event: Event) -> Decimal:
    total = Voucher.objects.filter(event=event).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def event_check(
    event: Event,
    *,
    plan: Plan | None,
    amount: Decimal,
    problems: Problems,
    activity: ProgramElement | None = None,
) -> Event:
    """The event of the plan, read under a row lock; its vouchers may not pay more than its
    cost (the cost is entered once, on the event)."""
    event = (
        Event.objects.select_for_update(of=("self",)).select_related("activity").get(pk=event.pk)
    )
    if plan is not None and event.plan_id != plan.pk:
        problems.add("event", _("This event belongs to another plan."), "invalid_choice")
        return event
    if activity is not None and event.activity_id != activity.pk:
        message = _("The event was held under activity %(code)s; choose that activity.") % {
            "code": event.activity.outline_number or event.activity.code
        }
        problems.add("activity", message, "event_activity")
        return event
    left = event.cost - event_paid(event)
    if amount > left:
        message = _(
            "%(amount)s đ is more than the event's cost still unpaid (%(left)s đ of "
            "%(cost)s đ); correct the event's cost first if it cost more."
        ) % {
            "amount": money(amount),
            "left": money(max(left, Decimal(0))),
            "cost": money(event.cost),
        }
        problems.add("amount", message, "above_cost")
    return event
