"""``{{ amount|vnd }}``: an amount in đồng as Vietnamese documents write it, "2.200.000" (the
grouping does not depend on the page's language, as the printed list does not)."""

from decimal import Decimal

from django import template

from duan8.mothers.services.payments import money

register = template.Library()


@register.filter
def vnd(amount: Decimal | int | None) -> str:
    return "" if amount is None else money(amount)
