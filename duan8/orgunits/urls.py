from django.urls import path

from duan8.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/them-thon/", views.village_create_view, name="village_create"),
    path("don-vi/<int:pk>/thon-dbkk/", views.village_mark_difficult, name="village_mark_difficult"),
]
