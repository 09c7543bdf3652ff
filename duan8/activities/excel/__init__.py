"""Excel in and out for what is carried out: templates, uploads and exports.

- ``kinds``: the columns of each kind of record (one definition serves the template, the reader,
  the preview and the export, so an export can be edited and uploaded again); ``columns``: the
  column types and the columns several kinds share.
- ``scope``: where an upload or export applies (a commune or a village, a plan, an event) and who
  may use it; ``lists``: the drop-down lists of the "Danh mục" sheet and how cell text is parsed.
- ``workbook``: writing templates and exports, reading and checking uploaded files.
- ``importing`` (what every import shares), ``import_events``, ``import_community`` (each kind)
  and ``importers`` (the entry points) only parse, validate and preview: every row is validated
  first (parsing, then the services' ``*_check`` and ``*_lock_problems`` functions, rights,
  repeats); rows are saved only when all pass, by the services' batch writers
  (``events_save_many`` …) in one transaction with bulk writes, with one audit event per upload.
- ``exports``: each list as .xlsx, personal columns only for ``records.personal``, audited.
- ``pending``: the uploaded file kept privately between the preview and the confirmation.
"""
