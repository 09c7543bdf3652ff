"""``{{ amount|vnd }}``: an amount in đồng as Vietnamese documents write it, "2.200.000" (the
formatting lives in ``duan8.finance.money``; this library keeps the mothers' templates' name)."""

from django import template

from duan8.finance.money import vnd

register = template.Library()
register.filter("vnd", vnd)
