from django.contrib import admin
from django.urls import include, path

from duan8.core.health import healthz
from duan8.offline.urls import root_urlpatterns as offline_root
from duan8.programs.views import home

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),  # for load balancers and probes (docs/deploy.md)
    # The home page lists plans; its plain name "home" is what LOGIN_REDIRECT_URL refers to.
    path("", home, name="home"),
    path("", include("duan8.accounts.urls")),
    path("", include("duan8.orgunits.users.urls")),
    path("", include("duan8.api.urls_pages")),
    path("", include("duan8.orgunits.urls")),
    path("", include("duan8.programs.urls")),
    path("", include("duan8.trail.urls")),
    path("", include("duan8.documents.urls")),
    path("", include("duan8.activities.urls")),
    path("", include("duan8.reports.urls")),
    path("", include("duan8.jobs.urls")),
    path("me-an-toan/", include("duan8.mothers.urls")),
    path("giam-sat/", include("duan8.supervision.urls")),
    path("ngan-sach/", include("duan8.finance.urls")),
    path("api/v1/", include("duan8.api.urls")),
    path("", include("duan8.offline.urls")),
    *offline_root,
]
