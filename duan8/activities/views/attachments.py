"""Files of an event (photos, video, documents): adding, downloading (audited by the selector)
and deleting them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.activities.forms.events import AttachmentForm
from duan8.activities.selectors.events import attachment_get, attachment_open
from duan8.activities.services.attachments import attachment_add, attachment_delete
from duan8.activities.views.events import editable_event, render_detail
from duan8.core.idempotency import create_once
from duan8.core.problems import on_form


@require_POST
def attachment_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    event = editable_event(request, pk)
    form = AttachmentForm(request.POST, request.FILES)

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            attachment = attachment_add(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                event=event,
            )
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(
            request, _("The file “%(name)s” was added.") % {"name": attachment.original_name}
        )
        return redirect(reverse("activities:event_detail", args=[event.pk]) + "#files")

    return create_once(request, create) or render_detail(
        request, event, attachment_form=form, status=400
    )


INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


@require_safe
def attachment_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    """A file of an event or a group, to those who may see it; each download is audited."""
    attachment = attachment_open(actor=request.user, attachment_id=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("File not found.")) from exc
    response = FileResponse(
        handle,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = attachment_get(actor=request.user, attachment_id=pk)
    event_id = attachment.event_id
    try:
        attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The file “%(name)s” was deleted.") % {"name": attachment.original_name}
        )
    if event_id is None:
        return redirect("home")
    return redirect(reverse("activities:event_detail", args=[event_id]) + "#files")
