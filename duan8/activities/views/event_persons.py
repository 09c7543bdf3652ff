"""The named persons of an event (trainees, nominees): adding them, removing one. Its counts
then come from the list; the services check and write (``event_update``)."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.activities.forms.events import (
    BasePersonFormSet,
    PersonFormSet,
    ReplaceCountsForm,
    grid_message,
)
from duan8.activities.reference import ethnic_group_by_code
from duan8.activities.selectors.count_grids import count_grid, people_grid
from duan8.activities.selectors.events import (
    event_input_from,
    event_participants,
)
from duan8.activities.services.events import event_update
from duan8.activities.views.events import editable_event, event_locked, int_or_none
from duan8.core.problems import problems_of


def event_participants_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add named persons (trainees, nominees) to an event; its counts then come from the list."""
    actor = request.user
    event = editable_event(request, pk)
    if request.method != "POST" and (locked := event_locked(request, event)):
        return locked
    current = event_input_from(event)
    groups = sorted(ethnic_group_by_code().values(), key=lambda g: g.code)
    counted_only = bool(current.counts) and not current.participants
    # formset_factory's type loses the subclass that reads the persons.
    formset = cast(
        BasePersonFormSet,
        PersonFormSet(request.POST or None, form_kwargs={"ethnic_groups": groups}, prefix="person"),
    )
    replace = ReplaceCountsForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid() and replace.is_valid():
        people = formset.people()
        listed = current.participants + people
        typed = count_grid(current.counts)
        if not people:
            problems.append(_("Persons: fill in at least one person."))
        elif (
            counted_only
            and people_grid(listed, event.held_on) != typed
            and not replace.cleaned_data["replace_counts"]
        ):
            problems.append(
                _(
                    "Participants: %(typed)s people were typed as numbers; the list would make "
                    "%(listed)s. Tick the box below to replace the numbers with the list."
                )
                % {"typed": typed.total, "listed": len(listed)}
            )
        else:
            current.participants, current.counts = listed, []
            try:
                event_update(
                    actor=actor,
                    event=event,
                    data=current,
                    expected_version=int_or_none(request.POST.get("version")),
                )
            except ValidationError as exc:
                problems += [grid_message(p) for p in problems_of(exc)]
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(added)s person added; the list has %(count)s people.",
                        "%(added)s persons added; the list has %(count)s people.",
                        len(people),
                    )
                    % {"added": len(people), "count": len(listed)},
                )
                return redirect(reverse("activities:event_detail", args=[event.pk]) + "#persons")
    return render(
        request,
        "activities/events_participants.html",
        {
            "event": event,
            "formset": formset,
            "replace": replace,
            "problems": problems,
            "counted_only": counted_only,
            "typed": count_grid(current.counts),
            "participants": event_participants(actor=actor, event=event),
        },
    )


@require_POST
def participant_remove_view(request: AuthedRequest, pk: int, person_pk: int) -> HttpResponse:
    event = editable_event(request, pk)
    ids = list(event.participants.order_by("pk").values_list("pk", flat=True))
    if person_pk not in ids:
        raise Http404(_("Person not found."))
    current = event_input_from(event)
    removed = current.participants.pop(ids.index(person_pk))
    current.counts = []
    try:
        event_update(
            actor=request.user,
            event=event,
            data=current,
            expected_version=int_or_none(request.POST.get("version")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(name)s was removed from the list.") % {"name": removed.full_name}
        )
    return redirect(reverse("activities:event_detail", args=[event.pk]) + "#persons")
