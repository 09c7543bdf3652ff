"""Reports to the level above (read), a plan's aggregate values, and the exchange formats.

- ``reports/``, ``reports/<pk>/``: the reports of the units whose records the caller reads
  (``reports.selectors.report_get``'s rule), with their figures as the report page shows them
  (frozen at submission);
- ``values/?plan=``: the plan's indicators, for the commune and each village, from the one
  engine (``activities.values.indicator_values``, called as the plan's progress page calls it);
- ``dataValueSets`` and ``dataValueSets/adx``: DHIS2 dataValueSets JSON and ADX XML, the bytes
  ``reports.exports.data_export`` writes (the ``data_export`` command's and the download page's
  function), on the map of ``as_of``. Like DHIS2's own paths, they have no trailing slash (only
  that form is registered; nothing redirects to it).
"""

from django.urls import path

from duan8.api.endpoints.reports.exchange import DataValueSetsAdxApi, DataValueSetsApi
from duan8.api.endpoints.reports.reports import ReportDetailApi, ReportListApi
from duan8.api.endpoints.reports.values import ValueListApi

urlpatterns = [
    path("reports/", ReportListApi.as_view(), name="report_list"),
    path("reports/<int:pk>/", ReportDetailApi.as_view(), name="report_detail"),
    path("values/", ValueListApi.as_view(), name="value_list"),
    path("dataValueSets", DataValueSetsApi.as_view(), name="data_value_sets"),
    path("dataValueSets/adx", DataValueSetsAdxApi.as_view(), name="data_value_sets_adx"),
]
