"""User management: who holds which role in which unit, kept by the units' administrators.

It sits in ``orgunits`` because it rests on the access function (``orgunits.access``): the
``accounts`` app holds the users, roles and role assignments as data, and imports no unit code.
"""
