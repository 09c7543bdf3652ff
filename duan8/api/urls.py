"""``/api/v1/``: the schema and its documentation page, then each area's endpoints
(``endpoints/<area>.py``, each with its own ``urlpatterns``)."""

from importlib import import_module

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from duan8.api.base import ApiViewMixin

app_name = "api"

# The areas, in the order the documentation lists them. An area's module is added here when it
# lands (issue 16: "an issue that lands later adds its endpoints").
AREAS = [
    "orgunits",
    "programs",
    "community",
    "events",
    "reports",
    "finance",
    "mothers",
    "supervision",
]


class SchemaApi(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: public, like any API's documentation (it holds no data)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []


class DocsPage(ApiViewMixin, SpectacularSwaggerSplitView):
    """The documentation page (Swagger UI from the package's own files, nothing from the web)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    template_name = "api/docs.html"


urlpatterns = [
    path("schema/", SchemaApi.as_view(), name="schema"),
    path("docs/", DocsPage.as_view(url_name="api:schema"), name="docs"),
]
for area in AREAS:
    urlpatterns += import_module(f"duan8.api.endpoints.{area}").urlpatterns
