from django.urls import path

from duan8.documents import views, views_import

app_name = "documents"
urlpatterns: list = [
    path("ke-hoach/<int:pk>/tai-ve.docx", views.plan_docx_download, name="plan_docx"),
    path("ke-hoach/<int:pk>/tai-ve.pdf", views.plan_pdf_download, name="plan_pdf"),
    path("ke-hoach/<int:pk>/kiem-tra-van-ban/", views.plan_check_view, name="plan_check"),
    path("don-vi/<int:pk>/nhap-ke-hoach/", views_import.plan_import, name="plan_import"),
    path(
        "don-vi/<int:pk>/nhap-ke-hoach/<slug:token>/",
        views_import.plan_import_preview,
        name="plan_import_preview",
    ),
    path(
        "don-vi/<int:pk>/nhap-ke-hoach/<slug:token>/xac-nhan/",
        views_import.plan_import_confirm,
        name="plan_import_confirm",
    ),
]
