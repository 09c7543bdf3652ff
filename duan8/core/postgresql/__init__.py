"""duan8's PostgreSQL backend: Django's (``django.db.backends.postgresql``), with timestamps read
by psycopg's compiled loader (``base.py``)."""
