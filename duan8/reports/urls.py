"""URLs of reports, dashboards and exports. Each area keeps its routes in its own section."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []

# --- reports: schedules, filling, approval, completeness (views/workflow.py) ---
from duan8.reports.views import workflow as wf  # noqa: E402

urlpatterns += [
    path("bao-cao/", wf.report_home, name="report_home"),
    path("don-vi/<int:pk>/bao-cao/", wf.unit_reports_view, name="unit_reports"),
    path("don-vi/<int:pk>/bao-cao/mo/", wf.report_open_view, name="report_open"),
    path("don-vi/<int:pk>/bao-cao/yeu-cau/", wf.report_request_view, name="report_request"),
    path("bao-cao/<int:pk>/", wf.report_detail_view, name="report_detail"),
    path("bao-cao/<int:pk>/sua/", wf.report_edit_view, name="report_edit"),
    path("bao-cao/<int:pk>/gui/", wf.report_submit_view, name="report_submit"),
    path("bao-cao/<int:pk>/tra-lai/", wf.report_return_view, name="report_return"),
    path("bao-cao/<int:pk>/phe-duyet/", wf.report_approve_view, name="report_approve"),
    path("bao-cao/<int:pk>/mo-khoa/", wf.report_unlock_view, name="report_unlock"),
    path("bao-cao/<int:pk>/tai/xlsx/", wf.report_xlsx_view, name="report_xlsx"),
    path("bao-cao/<int:pk>/tai/docx/", wf.report_docx_view, name="report_docx"),
    path("bao-cao/<int:pk>/tai/pdf/", wf.report_pdf_view, name="report_pdf"),
]

# --- completeness for the level above: summarised by unit, paged (views/completeness.py) ---
from duan8.reports.views import completeness as completeness_views  # noqa: E402

urlpatterns += [
    path(
        "don-vi/<int:pk>/bao-cao/tinh-hinh-nop/",
        completeness_views.completeness_view,
        name="completeness",
    ),
]

# --- aggregate data, dashboards and exports (views/data.py) ---
from duan8.reports.views import data as data_views  # noqa: E402

urlpatterns += [
    # <code>: the unit's stable code, e.g. VN-QD19-51 (reports/exports/codes.py).
    path("so-lieu/<str:code>/", data_views.data_rollup, name="data_rollup"),
    path("so-lieu/<str:code>/tai/", data_views.data_download, name="data_export"),
]

# --- dashboards (views/dashboards.py) ---
from duan8.reports.views import dashboards  # noqa: E402

urlpatterns += [
    path("tong-quan/", dashboards.dashboard_home, name="dashboard_home"),
    path("don-vi/<int:pk>/tong-quan/", dashboards.dashboard_view, name="dashboard"),
    path(
        "don-vi/<int:pk>/tong-quan/bieu-do/<slug:chart>.svg",
        dashboards.dashboard_chart,
        name="dashboard_chart",
    ),
]
