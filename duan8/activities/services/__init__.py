"""Writes to what is carried out, one module per subject (the selectors are split the same way).

Every function checks the actor's right, the plan's year and the locks that approved reports put on
a unit's period, validates everything, then writes. Imports (Excel) call the ``*_check`` functions
for every row first, then the writers inside one transaction, so a file is saved whole or not at
all.

- ``shared``: the right to edit records, lock checks, the version check, date and length limits
- ``events``: events and their participants (counts or named lists), a plan's activities
- ``groups``: community groups and their statuses
- ``members``: members of a group joining and leaving
- ``cadres``: ethnic-minority women cadres
- ``difficulties``: difficulties raised, escalated and answered
- ``attachments``: files of events and groups
- ``locks``: locks on a unit's period and requests to unlock them

Import from the module: ``from duan8.activities.services.events import event_create``.
"""
