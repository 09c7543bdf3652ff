"""Events (Kết quả thực hiện): the list with participant counts, recording one, one event with
its ETag, its change and deletion, and the named participants for holders of personal data.

Everything goes through the pages' selectors and services (``activities.selectors.events``,
``activities.services.events``): the same access function, checks, locks and versions.

- Counts are the cells the model keeps: sex (``F``/``M``) × ethnic minority (true/false) × age
  group (``adult``/``child``). An event given a named list has its counts derived from the list.
- Problems of the n-th person of a list are keyed ``participants.<n>.<field>`` from 0 (the index
  in the array sent), like the serializer's own.
- A period locked by an approved report refuses the write as the pages do: the service raises
  its problem (code ``locked``, on ``held_on`` for a new or changed event, on ``__all__`` for a
  delete), which the API answers **409** with code ``locked`` and the lock's message
  (``api/errors.py``), nothing saved.
- An event that looks like one already recorded (same unit, day, activity and counts: the
  pages' second-save check) is refused 409 ``duplicate`` unless ``confirm_duplicate`` is true.
"""

from __future__ import annotations

from django.urls import path

from duan8.api.endpoints.events.detail import EventDetailApi, EventParticipantsApi
from duan8.api.endpoints.events.listing import EventListApi

urlpatterns = [
    path("events/", EventListApi.as_view(), name="event_list"),
    path("events/<int:pk>/", EventDetailApi.as_view(), name="event_detail"),
    path(
        "events/<int:pk>/participants/", EventParticipantsApi.as_view(), name="event_participants"
    ),
]
