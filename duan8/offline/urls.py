from django.urls import path

from duan8.offline import views

app_name = "offline"

urlpatterns = [
    path("nhap-ngoai-tuyen/", views.entry_view, name="entry"),
    path("nhap-ngoai-tuyen/du-lieu.json", views.data_view, name="data"),
]

# At the site's root, outside the app's namespace: a worker controls the paths below its own.
root_urlpatterns = [
    path("sw.js", views.worker_view, name="offline_worker"),
    path("manifest.webmanifest", views.manifest_view, name="offline_manifest"),
]
