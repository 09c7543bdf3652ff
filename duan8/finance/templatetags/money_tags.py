"""``{{ amount|vnd }}``: an amount in đồng as Vietnamese documents write it, "2.200.000"; and
``{{ amount|in_words }}``: "Hai triệu hai trăm nghìn đồng"."""

from django import template

from duan8.finance import money

register = template.Library()
register.filter("vnd", money.vnd)
register.filter("in_words", money.amount_in_words)
