"""Writes to what is carried out, one module per subject (the selectors are split the same way).

Every function checks the actor's right, the plan's year and the locks that approved reports put on
a unit's period, validates everything (problems keyed by field, ``core.problems``), then writes.
The records services take batches (``events_save_many``, ``community_groups_save_many``,
``members_save_many``, ``woman_cadres_save_many``, ``difficulties_save_many``): rights, checks,
locks and versions, then bulk writes and the audit, in one transaction, so a file is saved whole
or not at all. Imports (Excel) call the ``*_check`` and ``*_lock_problems`` functions for every
row to preview it, then hand the rows to the batch service.

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
