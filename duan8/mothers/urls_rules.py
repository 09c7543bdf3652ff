"""URLs of the registry's rules part (merged in mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_rules as v

urlpatterns: list[URLPattern] = [
    path("ho-so/<int:pk>/che-do/", v.case_entitlement_view, name="case_entitlement"),
    path("xa/<int:pk>/phe-duyet/", v.approve_list_view, name="approve_list"),
    path("quy-tac/", v.rule_list_view, name="rule_list"),
    path("quy-tac/dieu-kien/<int:pk>/sua/", v.rule_edit_view, name="rule_edit"),
    path(
        "quy-tac/dieu-kien/<int:pk>/giai-doan-moi/",
        v.rule_new_period_view,
        name="rule_new_period",
    ),
    path("quy-tac/khoan/<int:pk>/sua/", v.item_edit_view, name="item_edit"),
    path("quy-tac/khoan/<int:pk>/giai-doan-moi/", v.item_new_period_view, name="item_new_period"),
]
