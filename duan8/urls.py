from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("duan8.accounts.urls")),
    path("", include("duan8.orgunits.urls")),
    path("", include("duan8.programs.urls")),
]
