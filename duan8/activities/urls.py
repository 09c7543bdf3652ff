"""URLs of what is carried out. Each area keeps its routes in its own section."""

from django.urls import path  # noqa: F401

app_name = "activities"
urlpatterns: list = []

# --- events (views/events.py, lists: event_list.py), their persons (event_persons.py), files ---
from duan8.activities.views import attachments as files  # noqa: E402
from duan8.activities.views import event_list as evl  # noqa: E402
from duan8.activities.views import event_persons as persons  # noqa: E402
from duan8.activities.views import events as ev  # noqa: E402

urlpatterns += [
    path("don-vi/<int:pk>/su-kien/", evl.event_list_view, name="event_list"),
    path("don-vi/<int:pk>/su-kien/ghi/", ev.event_create_view, name="event_create"),
    path("ke-hoach/<int:pk>/su-kien/", evl.plan_event_list_view, name="plan_event_list"),
    path("su-kien/<int:pk>/", ev.event_detail_view, name="event_detail"),
    path("su-kien/<int:pk>/da-ghi/", ev.event_saved_view, name="event_saved"),
    path("su-kien/<int:pk>/sua/", ev.event_edit_view, name="event_edit"),
    path("su-kien/<int:pk>/xoa/", ev.event_delete_view, name="event_delete"),
    path("su-kien/<int:pk>/danh-sach/", persons.event_participants_view, name="event_participants"),
    path(
        "su-kien/<int:pk>/danh-sach/<int:person_pk>/xoa/",
        persons.participant_remove_view,
        name="participant_remove",
    ),
    path("su-kien/<int:pk>/tep/", files.attachment_add_view, name="event_attachment_add"),
    path("tep-dinh-kem/<int:pk>/", files.attachment_download_view, name="attachment_download"),
    path("tep-dinh-kem/<int:pk>/xoa/", files.attachment_delete_view, name="attachment_delete"),
]

# --- community groups, women cadres (views/community.py), difficulties (views/difficulties.py) ---
from duan8.activities.views import community as c  # noqa: E402
from duan8.activities.views import difficulties as d  # noqa: E402

urlpatterns += [
    path("don-vi/<int:pk>/mo-hinh/", c.community_group_list_view, name="community_group_list"),
    path(
        "don-vi/<int:pk>/mo-hinh/them/",
        c.community_group_create_view,
        name="community_group_create",
    ),
    path("mo-hinh/<int:pk>/", c.community_group_detail_view, name="community_group_detail"),
    path("mo-hinh/<int:pk>/sua/", c.community_group_edit_view, name="community_group_edit"),
    path(
        "mo-hinh/<int:pk>/trang-thai/", c.community_group_status_view, name="community_group_status"
    ),
    path(
        "mo-hinh/<int:pk>/them-thanh-vien/",
        c.community_group_members_add_view,
        name="community_group_members_add",
    ),
    path(
        "thanh-vien/<int:pk>/roi-nhom/",
        c.community_member_leave_view,
        name="community_member_leave",
    ),
    path("don-vi/<int:pk>/can-bo-nu/", c.cadre_list_view, name="cadre_list"),
    path("don-vi/<int:pk>/can-bo-nu/them/", c.cadre_create_view, name="cadre_create"),
    path("can-bo-nu/<int:pk>/sua/", c.cadre_edit_view, name="cadre_edit"),
    path("don-vi/<int:pk>/vuong-mac/", d.difficulty_list_view, name="difficulty_list"),
    path(
        "don-vi/<int:pk>/vuong-mac/them/",
        d.difficulty_create_view,
        name="difficulty_create",
    ),
    path("vuong-mac/<int:pk>/", d.difficulty_detail_view, name="difficulty_detail"),
    path(
        "vuong-mac/<int:pk>/chuyen-ubnd/",
        d.difficulty_escalate_view,
        name="difficulty_escalate",
    ),
    path("vuong-mac/<int:pk>/tra-loi/", d.difficulty_answer_view, name="difficulty_answer"),
]

# --- locked periods: the request to unlock (views/locks.py) ---
from duan8.activities.views import locks as lk  # noqa: E402

urlpatterns += [
    path(
        "don-vi/<int:pk>/yeu-cau-mo-khoa/", lk.data_unlock_request_view, name="data_unlock_request"
    ),
]

# --- progress and the commune's work page (views/progress.py) ---
from duan8.activities.views import progress as progress_views  # noqa: E402

urlpatterns += [
    path("tien-do/", progress_views.progress_home, name="progress_home"),
    path("thuc-hien/", progress_views.work_home, name="work_home"),
    path("ke-hoach/<int:pk>/tien-do/", progress_views.plan_progress_view, name="plan_progress"),
    path(
        "don-vi/<int:pk>/tien-do/<int:year>/",
        progress_views.unit_progress_view,
        name="unit_progress",
    ),
    path("don-vi/<int:pk>/thuc-hien/", progress_views.unit_work, name="unit_work"),
    path("don-vi/<int:pk>/thuc-hien/<int:year>/", progress_views.work_hub, name="work_hub"),
]

# --- Excel templates, uploads and exports (views/excel.py) ---
from duan8.activities.views import excel as xl  # noqa: E402

urlpatterns += [
    path("don-vi/<int:pk>/excel/", xl.excel_home, name="excel_home"),
    path("don-vi/<int:pk>/excel/<slug:kind>/mau/", xl.excel_template, name="excel_template"),
    path("don-vi/<int:pk>/excel/<slug:kind>/tai-len/", xl.excel_upload, name="excel_upload"),
    path("don-vi/<int:pk>/excel/<slug:kind>/xem-truoc/", xl.excel_preview, name="excel_preview"),
    path("don-vi/<int:pk>/excel/<slug:kind>/xuat/", xl.excel_export, name="excel_export"),
    path(
        "su-kien/<int:pk>/excel/mau/",
        xl.excel_participants_template,
        name="excel_participants_template",
    ),
    path(
        "su-kien/<int:pk>/excel/tai-len/",
        xl.excel_participants_upload,
        name="excel_participants_upload",
    ),
    path(
        "su-kien/<int:pk>/excel/xem-truoc/",
        xl.excel_participants_preview,
        name="excel_participants_preview",
    ),
    path(
        "su-kien/<int:pk>/excel/xuat/",
        xl.excel_participants_export,
        name="excel_participants_export",
    ),
]
