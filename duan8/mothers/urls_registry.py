"""URLs of the registry's registry part (merged in mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_registry as v

urlpatterns: list[URLPattern] = [
    path("xa/<int:pk>/", v.case_list_view, name="case_list"),
    path("xa/<int:pk>/de-xuat/", v.case_propose_view, name="case_propose"),
    path("ho-so/<int:pk>/", v.case_detail_view, name="case_detail"),
    path("ho-so/<int:pk>/sua/", v.case_edit_view, name="case_edit"),
    path("ho-so/<int:pk>/xac-minh/", v.case_verify_view, name="case_verify"),
    path("ho-so/<int:pk>/tu-choi/", v.case_reject_view, name="case_reject"),
]
