from django.urls import path

from duan8.orgunits import views, villages_views

app_name = "orgunits"
urlpatterns = [
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/them-thon/", views.village_create_view, name="village_create"),
    path("don-vi/<int:pk>/thon-dbkk/", views.village_mark_difficult, name="village_mark_difficult"),
    path("don-vi/<int:pk>/doi-ten/", villages_views.village_rename_view, name="village_rename"),
    path("don-vi/<int:pk>/tach-thon/", villages_views.village_split_view, name="village_split"),
    path("don-vi/<int:pk>/gop-thon/", villages_views.villages_merge_view, name="villages_merge"),
    path(
        "don-vi/<int:pk>/thon-mau.xlsx",
        villages_views.villages_template_view,
        name="villages_template",
    ),
    path("don-vi/<int:pk>/nap-thon/", villages_views.villages_upload_view, name="villages_upload"),
    path(
        "don-vi/<int:pk>/nhan-thon/",
        villages_views.villages_take_over_view,
        name="villages_take_over",
    ),
]
