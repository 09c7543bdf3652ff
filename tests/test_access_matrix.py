"""Every URL of the project, for every role: outsiders get 403/404 and none of the data.

The walker lists every URL pattern from the resolver. Each one must have an entry in SAMPLES
(how to point it at Ba Trang's data) or in PUBLIC; a URL added without either fails the first
test, and a view added without an access rule fails the outsider tests.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Attachment, Event, Participant
from duan8.core.models import AuditEvent
from duan8.jobs.tests.samples import done_job
from duan8.orgunits.access import holds_somewhere
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.programs.models import AllocationCell, Plan, Target
from duan8.reports.models import Report
from duan8.supervision.tests.samples import supervision_samples
from tests.finance_samples import finance_samples
from tests.mothers_samples import mothers_samples

# Reachable without login, and showing no project data.
PUBLIC = {"login", "language", "logout", "set_language"}
# the offline page's service worker and manifest (issue 17) name static files only
PUBLIC |= {"offline_worker", "offline_manifest"}
# /healthz (issue 18) answers only check names, ok/ms and fixed reasons (core/tests/test_health.py)
PUBLIC |= {"healthz"}
# Django's own admin is for superusers only (staff flag); it is not part of the walk.
SKIPPED_NAMESPACES = {"admin"}
# The API (/api/v1/) has its own walk: tests/test_api_access_matrix.py.
SKIPPED_NAMESPACES |= {"api"}
# Words that only Ba Trang's data contains, per outsider: the head of thôn Nước Đang may read
# the name of their own village and commune, but nothing of the plan or of the other villages.
MARKERS = {
    "other_commune_officer": ("Ba Trang", "87/KH-UBND", "Nước Đang", "Bùi Hui", "Kon Riêng"),
    "village_head": ("87/KH-UBND", "Bùi Hui", "Kon Riêng"),
}


@dataclass
class Sample:
    kwargs: Callable[[dict], dict]
    owner: str  # a persona who may open it (proves the sample points at real data)
    lists_data: bool = False  # a list page: outsiders get 200 but must see none of the data
    only: str = ""  # a list page for holders of this permission: 403 for outsiders without it


def _token(d: dict, persona: str = "commune_officer"):  # an API token of the persona, made once
    from duan8.api.tokens import api_token_create

    if f"token:{persona}" not in d:
        d[f"token:{persona}"] = api_token_create(actor=d["personas"][persona], name="matrix")[0]
    return d[f"token:{persona}"]


SAMPLES: dict[str, Sample] = {
    "home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    # one's own API tokens (issue 16): every signed-in user has the page, showing only their own
    "api_tokens": Sample(lambda d: {}, "commune_officer", lists_data=True),
    # the offline entry page and the data it keeps (issue 17): one's own villages and plans only
    "offline:entry": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "offline:data": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "api_token_revoke": Sample(lambda d: {"prefix": _token(d).prefix}, "commune_officer"),
    "user_api_token_revoke": Sample(
        lambda d: {"pk": _head(d).pk, "prefix": _token(d, "village_head").prefix},
        "commune_officer",
    ),
    "orgunits:unit_detail": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:village_create": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:village_mark_difficult": Sample(
        lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"
    ),
    "orgunits:village_rename": Sample(
        lambda d: {"pk": d["villages"]["Kon Riêng"].pk}, "commune_officer"
    ),
    "orgunits:village_split": Sample(
        lambda d: {"pk": d["villages"]["Kon Riêng"].pk}, "commune_officer"
    ),
    "orgunits:villages_merge": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    # a merged commune takes over its predecessors' villages (Ba Trang: nothing to take over)
    "orgunits:villages_take_over": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:villages_template": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:villages_upload": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "programs:plan_detail": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_targets_edit": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_allocation_edit": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_approve": Sample(lambda d: {"pk": d["plan"].pk}, "commune_leader"),
    **{
        f"programs:{name}": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer")
        for name in (
            "plan_text_edit",
            "plan_legal_bases_edit",
            "plan_focus_edit",
            "plan_responsibilities_edit",
        )
    },
    "programs:plan_new": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    # amendments of an approved plan (issue 12, point 4)
    "programs:plan_amend": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_changes": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    # discarding a draft amendment: POST only (the owner's GET answers 405)
    "programs:plan_amendment_discard": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    # the district's table of its communes against what it assigned (issue 12, point 3)
    "programs:assignment_table": Sample(
        lambda d: {"pk": d["ba_trang"].parent_id}, "district_reviewer"
    ),
    "documents:plan_docx": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "documents:plan_pdf": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "documents:plan_check": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    # plan import: the preview of an unknown token answers with the upload form (200)
    "documents:plan_import": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    **{
        f"documents:{name}": Sample(
            lambda d: {"pk": d["ba_trang"].pk, "token": "0123456789abcdef"}, "commune_officer"
        )
        for name in ("plan_import_preview", "plan_import_confirm")
    },
    # the audit trail: holders of audit.view only (403 for the others, issue 10)
    "trail:audit_list": Sample(lambda d: {}, "commune_leader"),
    "trail:plan_history": Sample(lambda d: {"pk": d["plan"].pk}, "commune_leader"),
    "trail:unit_history": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_leader"),
    "user_list": Sample(lambda d: {}, "commune_officer", lists_data=True, only="users.manage"),
    "user_create": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "user_detail": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "role_grant": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "role_end": Sample(
        lambda d: {"pk": _head(d).pk, "membership_pk": _head(d).memberships.get().pk},
        "commune_officer",
    ),
    "password_reset": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "user_update": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    # one's own password: every signed-in user (the page shows nothing of anyone else)
    "password_change": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "user_deactivate": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    # community groups, women cadres, difficulties: samples in thôn Bùi Hui (issue 4)
    **{
        f"activities:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer")
        for name in (
            "community_group_list",
            "community_group_create",
            "cadre_list",
            "cadre_create",
            "difficulty_list",
            "difficulty_create",
        )
    },
    **{
        f"activities:{name}": Sample(lambda d, key=key: {"pk": d["community"][key].pk}, owner)
        for name, key, owner in (
            ("community_group_detail", "group", "commune_officer"),
            ("community_group_edit", "group", "commune_officer"),
            ("community_group_status", "group", "commune_officer"),
            ("community_group_members_add", "group", "commune_officer"),
            ("community_member_leave", "member", "commune_officer"),
            ("cadre_edit", "cadre", "commune_officer"),
            ("difficulty_detail", "difficulty", "commune_officer"),
            ("difficulty_escalate", "difficulty", "commune_officer"),
            ("difficulty_answer", "difficulty", "commune_officer"),
        )
    },
    # events: a dialogue in thôn Bùi Hui with a list of persons and its minutes (issue 4)
    "activities:event_list": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "activities:plan_event_list": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "activities:event_create": Sample(
        lambda d: {"pk": d["villages"]["Bùi Hui"].pk}, "bui_hui_head"
    ),
    **{
        f"activities:{name}": Sample(lambda d, key=key: {"pk": d["events"][key].pk}, owner)
        for name, key, owner in (
            ("event_detail", "event", "commune_officer"),
            ("event_saved", "event", "commune_officer"),
            ("event_edit", "event", "bui_hui_head"),
            ("event_delete", "event", "commune_officer"),
            ("event_participants", "event", "commune_officer"),
            ("event_attachment_add", "event", "commune_officer"),
            ("attachment_download", "attachment", "commune_officer"),
            ("attachment_delete", "attachment", "commune_officer"),
        )
    },
    # the request to unlock a locked period, from a record's banner (issue 10): POST only
    "activities:data_unlock_request": Sample(
        lambda d: {"pk": d["villages"]["Bùi Hui"].pk}, "commune_officer"
    ),
    # Excel templates, uploads and exports of Ba Trang (issue 4); the preview without a waiting
    # upload answers 200 with "nothing is waiting"
    "activities:excel_home": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    **{
        f"activities:excel_{name}": Sample(
            lambda d: {"pk": d["ba_trang"].pk, "kind": "thanh-vien"}, "commune_officer"
        )
        for name in ("template", "upload", "preview", "export")
    },
    **{
        f"activities:excel_participants_{name}": Sample(
            lambda d: {"pk": d["events"]["event"].pk}, "commune_officer"
        )
        for name in ("template", "upload", "preview", "export")
    },
    "activities:participant_remove": Sample(
        lambda d: {"pk": d["events"]["event"].pk, "person_pk": d["events"]["person"].pk},
        "commune_officer",
    ),
    # progress and the work hub (issue 4); the two header pages show the user's own unit
    "activities:plan_progress": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "activities:unit_progress": Sample(
        lambda d: {"pk": d["ba_trang"].pk, "year": 2023}, "commune_officer"
    ),
    "activities:unit_work": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "activities:work_hub": Sample(
        lambda d: {"pk": d["ba_trang"].pk, "year": 2023}, "commune_leader"
    ),
    "activities:progress_home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "activities:work_home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    # reports to the level above (issue 6): Ba Trang's 15/9/2023 report, a draft; the POST-only
    # actions answer 405 to the owner's GET
    "reports:report_home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    **{
        f"reports:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer")
        for name in ("unit_reports", "report_open")
    },
    **{
        f"reports:{name}": Sample(lambda d: {"pk": d["ba_trang"].parent_id}, "district_reviewer")
        for name in ("completeness", "report_request")
    },
    **{
        f"reports:{name}": Sample(lambda d: {"pk": d["reports"]["report"].pk}, owner)
        for name, owner in (
            ("report_detail", "commune_officer"),
            ("report_edit", "commune_officer"),
            ("report_submit", "commune_officer"),
            ("report_return", "district_reviewer"),
            ("report_approve", "district_reviewer"),
            ("report_unlock", "district_reviewer"),
            ("report_xlsx", "district_reviewer"),
            ("report_docx", "commune_officer"),
            ("report_pdf", "commune_officer"),
        )
    },
    # aggregate data of Ba Trang and its downloads (issue 6); units are named by stable code
    **{
        f"reports:{name}": Sample(lambda d: {"code": "VN-QD124-21520"}, "commune_officer")
        for name in ("data_rollup", "data_export")
    },
    # dashboards (issue 6): Ba Trang's page and one of its chart images; the header page shows
    # the user's own unit
    "reports:dashboard_home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "reports:dashboard": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "reports:dashboard_chart": Sample(
        lambda d: {"pk": d["ba_trang"].pk, "chart": "units"}, "commune_officer"
    ),
    # the mothers' registry (issue 13): a case, its mother, a likely duplicate, an approved and
    # paid list, the packages' rules; built on first use (_mothers) for these samples only
    "mothers:home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk}, owner)
        for name, owner in (
            ("case_list", "commune_officer"),
            ("case_propose", "health_station"),
            ("duplicate_list", "commune_officer"),
            ("approve_list", "commune_leader"),
            ("payment_lists", "accountant"),
            ("payment_list_create", "accountant"),
            ("proposal_upload", "health_station"),
            ("proposal_template", "health_station"),
            ("proposal_preview", "health_station"),
            ("counts", "commune_officer"),
        )
    },
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["case"].pk}, owner)
        for name, owner in (
            ("case_detail", "commune_officer"),
            ("case_edit", "health_station"),
            ("case_verify", "commune_officer"),
            ("case_reject", "commune_officer"),
            ("case_entitlement", "commune_officer"),
        )
    },
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["case"].mother_id}, owner)
        for name, owner in (
            ("consents", "health_station"),
            ("consent_form", "health_station"),
            ("subject_export", "commune_officer"),
        )
    },
    "mothers:consent_withdraw": Sample(
        lambda d: {"pk": _mothers(d)["consent"].pk}, "commune_officer"
    ),
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["pair"].pk}, "commune_officer")
        for name in ("duplicate_confirm", "duplicate_dismiss")
    },
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["list"].pk}, owner)
        for name, owner in (
            ("payment_list_detail", "accountant"),
            ("payment_list_approve", "commune_leader"),
        )
    },
    "mothers:payment_list_download": Sample(
        lambda d: {"pk": _mothers(d)["list"].pk, "file_format": "xlsx"}, "accountant"
    ),
    "mothers:payment_record": Sample(lambda d: {"pk": _mothers(d)["entry"].pk}, "accountant"),
    "mothers:payment_reverse": Sample(lambda d: {"pk": _mothers(d)["payment"].pk}, "accountant"),
    # the packages' rules: the administrator's (every other user 403)
    "mothers:rule_list": Sample(
        lambda d: {}, "system_admin", lists_data=True, only="mothers.rules"
    ),
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["rule"].pk}, "system_admin")
        for name in ("rule_edit", "rule_new_period")
    },
    **{
        f"mothers:{name}": Sample(lambda d: {"pk": _mothers(d)["item"].pk}, "system_admin")
        for name in ("item_edit", "item_new_period")
    },
    # the money (issue 14): Ba Trang's 2023 allocation, estimate, voucher, request; the norms
    **{
        f"finance:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk}, owner)
        for name, owner in (
            ("allocations", "accountant"),
            ("allocation_record", "accountant"),
            ("vouchers", "accountant"),
            ("voucher_record", "accountant"),
            ("requests", "commune_officer"),
            ("request_propose", "commune_officer"),
            ("disbursement", "commune_leader"),
            ("disbursement_chart", "commune_leader"),
        )
    },
    "finance:disbursement_file": Sample(
        lambda d: {"pk": d["ba_trang"].pk, "year": 2023, "fmt": "xlsx"}, "commune_leader"
    ),
    **{
        f"finance:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk, "year": 2023}, owner)
        for name, owner in (
            ("settlement", "commune_leader"),
            ("settlement_draft", "accountant"),
            ("settlement_approve", "commune_leader"),
        )
    },
    "finance:settlement_file": Sample(
        lambda d: {"pk": _finance(d) and d["ba_trang"].pk, "year": 2023, "fmt": "xlsx"},
        "commune_leader",
    ),
    **{
        f"finance:{name}": Sample(lambda d: {"pk": _finance(d) and d["plan"].pk}, owner)
        for name, owner in (
            ("estimate", "commune_officer"),
            ("estimate_line_add", "commune_officer"),
            ("estimate_approve", "commune_leader"),
        )
    },
    "finance:estimate_line_remove": Sample(
        lambda d: {"pk": _finance(d)["line"].pk}, "commune_officer"
    ),
    **{
        f"finance:{name}": Sample(lambda d: {"pk": _finance(d)["voucher"].pk}, "accountant")
        for name in ("voucher_reverse", "voucher_receipt")
    },
    "finance:request_refuse": Sample(lambda d: {"pk": _finance(d)["request"].pk}, "accountant"),
    # the norms: readers of the money anywhere; the administrator edits (others 403)
    "finance:norms": Sample(lambda d: {}, "system_admin", lists_data=True, only="finance.view"),
    **{
        f"finance:{name}": Sample(lambda d: {"pk": _finance(d)["norm"].pk}, "system_admin")
        for name in ("norm_edit", "norm_new_period")
    },
    "finance:home": Sample(lambda d: {}, "accountant", lists_data=True, only="finance.view"),
    # supervision (issue 15): Ba Trang's MTTQ session, its finding, recommendation, plan comment
    **{
        f"supervision:{name}": Sample(lambda d: {"pk": d["ba_trang"].pk}, "fatherland_front")
        for name in ("session_list", "session_create")
    },
    "supervision:year_report": Sample(
        lambda d: {"pk": d["ba_trang"].pk, "year": 2023, "file_format": "xlsx"}, "fatherland_front"
    ),
    **{
        f"supervision:{name}": Sample(
            lambda d: {"pk": _supervision(d)["session"].pk}, "fatherland_front"
        )
        for name in (
            "session_detail",
            "session_edit",
            "minutes_upload",
            "minutes_download",
            "finding_create",
            "recommendation_create",
        )
    },
    "supervision:finding_edit": Sample(
        lambda d: {"pk": _supervision(d)["finding"].pk}, "fatherland_front"
    ),
    "supervision:recommendation_answer": Sample(
        lambda d: {"pk": _supervision(d)["recommendation"].pk}, "commune_leader"
    ),
    "supervision:recommendation_review": Sample(
        lambda d: {"pk": _supervision(d)["recommendation"].pk}, "fatherland_front"
    ),
    "supervision:plan_comment_create": Sample(lambda d: {"pk": d["plan"].pk}, "fatherland_front"),
    "supervision:plan_comment_handle": Sample(
        lambda d: {"pk": _supervision(d)["comment"].pk}, "commune_officer"
    ),
    # jobs (issue 18): one's own recent jobs; a job, its status, its file and its retry are the
    # actor's only (404 for anyone else, whatever their rights on the unit)
    "jobs:job_list": Sample(lambda d: {}, "commune_officer", lists_data=True),
    **{
        f"jobs:{name}": Sample(lambda d: {"job_id": _job(d).pk}, "commune_officer")
        for name in ("job_detail", "job_status", "job_download", "job_retry")
    },
}


def _job(d: dict):
    """A finished PDF job of Ba Trang's officer, with its file, made once per test."""
    if "job" not in d:
        plan = d["plan"]
        d["job"] = done_job(
            d["personas"]["commune_officer"], params={"plan": plan.pk, "version": plan.version}
        )
    return d["job"]


def _supervision(d: dict) -> dict:
    """Ba Trang's supervision data (duan8/supervision/tests/samples.py), made once per test."""
    if "supervision" not in d:
        d["supervision"] = supervision_samples(d)
    return d["supervision"]


def _finance(d: dict) -> dict:
    """Ba Trang's money for the finance samples, made once per test on first use."""
    if "finance" not in d:
        d["finance"] = finance_samples(d["ba_trang"], d["plan"], d["personas"])
    return d["finance"]


def _mothers(d: dict) -> dict:
    """Ba Trang's registry data for the mothers' samples, made once per test on first use."""
    if "mothers" not in d:
        d["mothers"] = mothers_samples(d["ba_trang"], d["villages"], d["personas"])
    return d["mothers"]


def _head(d: dict):  # the head of thôn Nước Đang, a user Ba Trang's officer manages
    return d["personas"]["village_head"]


def _walk(patterns, namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))
GUARDED = [name for name in URL_NAMES if name not in PUBLIC and name in SAMPLES]


def test_every_url_has_an_access_sample_or_is_public():
    missing = [name for name in URL_NAMES if name not in PUBLIC and name not in SAMPLES]

    assert not missing, f"URLs without an access rule sample in this test: {missing}"


def _fingerprint() -> tuple:
    return (
        tuple(Target.objects.order_by("pk").values_list("pk", "kind", "value", "text")),
        tuple(AllocationCell.objects.order_by("pk").values_list("pk", "value")),
        tuple(Plan.objects.order_by("pk").values_list("pk", "status", "version", "title")),
        OrgUnit.objects.count(),
        OrgUnitAttribute.objects.count(),
        tuple(Report.objects.order_by("pk").values_list("pk", "status", "version")),
        tuple(Event.objects.order_by("pk").values_list("pk", "version")),
        Participant.objects.count(),
        Attachment.objects.count(),
    )


OUTSIDERS = list(MARKERS)


@pytest.mark.parametrize("name", GUARDED)
def test_the_owner_can_open_the_page(client, world, name):
    sample = SAMPLES[name]
    client.force_login(world["personas"][sample.owner])

    # a list page may send one on to one's own page (/me-an-toan/: the role's page): follow
    response = client.get(reverse(name, kwargs=sample.kwargs(world)), follow=sample.lists_data)

    assert response.status_code in (200, 405), response.status_code


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("name", GUARDED)
def test_a_user_of_another_commune_or_village_gets_nothing(client, world, name, outsider):
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    client.force_login(world["personas"][outsider])
    before = _fingerprint()

    # a list page may send one on to one's own page (home: a village head's entry page): follow
    got = client.get(url, follow=sample.lists_data)
    posted = client.post(url, {"name": "Thôn Giả", "cell-1-1": "9", "version": "1"})

    body = got.content.decode() + posted.content.decode()
    if sample.only and not holds_somewhere(world["personas"][outsider], sample.only):
        assert got.status_code == 403
    elif sample.lists_data:
        assert got.status_code == 200
    else:
        assert got.status_code in (403, 404, 405)  # 405: a POST-only action
        assert posted.status_code in (403, 404, 405)
    assert not [m for m in MARKERS[outsider] if m in body]
    assert _fingerprint() == before


@pytest.mark.parametrize("name", GUARDED)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name):
    url = reverse(name, kwargs=SAMPLES[name].kwargs(world))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_head_of_one_village_cannot_open_another_village(client, world):
    client.force_login(world["personas"]["bui_hui_head"])

    own = client.get(
        reverse("orgunits:unit_detail", kwargs={"pk": world["villages"]["Bùi Hui"].pk})
    )
    other = client.get(
        reverse("orgunits:unit_detail", kwargs={"pk": world["villages"]["Nước Đang"].pk})
    )

    assert own.status_code == 200
    assert other.status_code == 404
    assert "Nước Đang" not in other.content.decode()


def test_the_fatherland_front_reads_the_plan_but_cannot_change_it(client, world):
    client.force_login(world["personas"]["fatherland_front"])
    plan = world["plan"]
    before = _fingerprint()

    page = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk}))
    forged = client.post(
        reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}), {"version": plan.version}
    )
    approve = client.post(reverse("programs:plan_approve", kwargs={"pk": plan.pk}))

    assert page.status_code == 200 and "Nước Đang" in page.content.decode()
    assert reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}) not in (
        page.content.decode()
    )
    assert forged.status_code == 403
    assert approve.status_code == 403
    assert _fingerprint() == before
    assert AuditEvent.objects.filter(action="access.denied").count() == 2


def test_a_commune_officer_cannot_see_the_district_table_of_the_communes(client, world):
    url = reverse("programs:assignment_table", kwargs={"pk": world["ba_trang"].parent_id})
    client.force_login(world["personas"]["commune_officer"])

    assert client.get(url).status_code == 404


def test_read_only_roles_cannot_start_a_new_plan(client, world):
    url = reverse("programs:plan_new", kwargs={"pk": world["ba_trang"].pk})
    before = _fingerprint()

    for reader in ("fatherland_front", "commune_leader"):
        client.force_login(world["personas"][reader])
        assert client.get(url).status_code == 403
        assert client.post(url, {"year": "2024", "source": "empty"}).status_code == 403

    assert _fingerprint() == before
    assert not Plan.objects.filter(issuing_unit=world["ba_trang"], year=2024).exists()


def test_read_only_roles_cannot_amend_an_approved_plan(client, world):
    plan = world["plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    url = reverse("programs:plan_amend", kwargs={"pk": plan.pk})
    before = Plan.objects.count()

    for reader in ("fatherland_front", "commune_leader", "district_reviewer"):
        client.force_login(world["personas"][reader])
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"reason": "Lý do", "in_force_from": "2023-11-01"}).status_code == 403
        )
    client.force_login(world["personas"]["other_commune_officer"])
    assert client.post(url, {"reason": "Lý do", "in_force_from": "2023-11-01"}).status_code == 404

    assert Plan.objects.count() == before


PLAN_TEXT_PAGES = (
    "programs:plan_text_edit",
    "programs:plan_legal_bases_edit",
    "programs:plan_focus_edit",
    "programs:plan_responsibilities_edit",
)


# Own-level planning rights (issue 12, point 3): a province's or district's reviewer holds
# plans.assign in that unit, for its own plan only; a commune's plan below is refused on every
# page that writes, approves, amends or starts one, and the plan page shows no such button.
COMMUNE_PLAN_WRITES = (
    *PLAN_TEXT_PAGES,
    "programs:plan_targets_edit",
    "programs:plan_allocation_edit",
    "programs:plan_approve",
    "programs:plan_amend",
)


@pytest.mark.parametrize("level", ["province_reviewer", "district_reviewer"])
def test_a_reviewer_above_cannot_write_approve_amend_or_start_a_communes_plan(client, world, level):
    plan, ba_trang = world["plan"], world["ba_trang"]
    reviewer = world["personas"]["district_reviewer"]
    if level == "province_reviewer":
        reviewer = UserFactory(username="matrix.province_planner")
        membership(reviewer, ba_trang.parent.parent, "province_reviewer")
    assert holds_somewhere(reviewer, "plans.assign")
    urls = [reverse(name, kwargs={"pk": plan.pk}) for name in COMMUNE_PLAN_WRITES]
    urls.append(reverse("programs:plan_new", kwargs={"pk": ba_trang.pk}))
    client.force_login(reviewer)
    before = _fingerprint()
    plans_before = Plan.objects.count()

    page = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    page += client.get(reverse("orgunits:unit_detail", kwargs={"pk": ba_trang.pk})).content.decode()
    got = {url: client.get(url).status_code for url in urls}
    posted = {
        url: client.post(
            url,
            {
                "version": plan.version,
                "place": "X",
                "cell-1-1": "9",
                "reason": "Lý do",
                "in_force_from": "2023-11-01",
                "year": "2024",
                "source": "empty",
            },
        ).status_code
        for url in urls
    }
    unchanged = _fingerprint() == before
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    amend = reverse("programs:plan_amend", kwargs={"pk": plan.pk})
    amend_posted = client.post(amend, {"reason": "Lý do", "in_force_from": "2023-11-01"})

    assert set(got.values()) == {403}, got
    assert set(posted.values()) == {403}, posted
    assert amend_posted.status_code == 403
    assert not [url for url in urls if url in page]
    assert unchanged and Plan.objects.count() == plans_before


@pytest.mark.parametrize("name", PLAN_TEXT_PAGES)
def test_readers_cannot_edit_the_plan_text_and_an_approved_plan_is_refused(client, world, name):
    plan = world["plan"]
    url = reverse(name, kwargs={"pk": plan.pk})
    before = _fingerprint()
    version = Plan.objects.get(pk=plan.pk).version

    for reader in ("fatherland_front", "commune_leader", "district_reviewer"):
        client.force_login(world["personas"][reader])
        got = client.get(url)
        assert got.status_code in (403, 404), (reader, got.status_code)
        assert client.post(url, {"version": version, "place": "X"}).status_code in (403, 404)
    assert _fingerprint() == before
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(world["personas"]["commune_officer"])
    refused = client.post(url, {"version": version, "place": "X"})

    assert refused.status_code == 302 and refused["Location"].endswith(f"/{plan.pk}/")
    assert Plan.objects.get(pk=plan.pk).version == version


# --- the audit trail must not leak persons (issue 10, point 1) ---------------------------------
# A cadre, a group member and an event participant are recorded through the services with names
# found nowhere else. Every persona walks every audit page (the trail, its kinds, the history of
# every unit and of the plan): only a holder of both audit.view and records.personal (the system
# administrator) may read the names; for every other reader they are masked or the page refused.

PLANTED = ("Hồ Thị Quýt", "Lò Thị Mận", "Vi Văn Ổi")


@pytest.fixture
def planted(world):
    import datetime

    from duan8.activities.models import EthnicGroup
    from duan8.activities.services.cadres import CadreInput, woman_cadre_save
    from duan8.activities.services.events import EventInput, PersonInput, event_create
    from duan8.activities.services.members import MemberInput, members_add
    from duan8.programs.models import ProgramElement

    officer, bui_hui = world["personas"]["commune_officer"], world["villages"]["Bùi Hui"]
    hre = EthnicGroup.objects.get(code="19")
    cadre, member, participant = PLANTED
    woman_cadre_save(
        actor=officer,
        data=CadreInput(
            org_unit=bui_hui,
            full_name=cadre,
            ethnic_group=hre,
            position="Tổ trưởng tổ phụ nữ",
            status="planned",
            since=datetime.date(2023, 6, 1),
            birth_year=1979,
        ),
    )
    members_add(
        actor=officer,
        group=world["community"]["group"],
        members=[MemberInput(member, "F", hre, datetime.date(2023, 10, 5), 1983)],
    )
    event_create(
        actor=officer,
        data=EventInput(
            plan=world["plan"],
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD1.2"),
            kind="dialogue",
            title="Đối thoại chính sách lần hai",
            held_on=datetime.date(2023, 11, 20),
            org_unit=bui_hui,
            participants=[PersonInput(participant, "M", hre, 1970, "Người có uy tín")],
        ),
    )
    return PLANTED


def _readers(world, quang_ngai) -> dict:
    readers = dict(world["personas"])
    for role, unit in (
        ("commune_accountant", world["ba_trang"]),
        ("commune_health_station", world["ba_trang"]),
        ("province_reviewer", quang_ngai),
        ("system_admin", quang_ngai),
    ):
        readers[role] = UserFactory(username=f"matrix.{role}")
        membership(readers[role], unit, role)
    return readers


def _audit_pages(world) -> list[str]:
    kinds = AuditEvent.objects.exclude(target_type="").values_list("target_type", flat=True)
    return [
        reverse("trail:audit_list"),
        *(f"{reverse('trail:audit_list')}?kind={kind}" for kind in sorted(set(kinds))),
        reverse("trail:plan_history", kwargs={"pk": world["plan"].pk}),
        *(
            reverse("trail:unit_history", kwargs={"pk": pk})
            for pk in OrgUnit.objects.values_list("pk", flat=True)
        ),
    ]


def test_no_audit_page_shows_a_persons_name_to_a_reader_without_records_personal(
    client, world, planted, quang_ngai
):
    readers = _readers(world, quang_ngai)
    pages = _audit_pages(world)
    admin = readers.pop("system_admin")

    for persona, user in readers.items():
        client.force_login(user)
        for url in pages:
            response = client.get(url)

            assert response.status_code in (200, 403, 404), (persona, url)
            leaked = [name for name in planted if name in response.content.decode()]
            assert not leaked, (persona, url, leaked)

    client.force_login(admin)  # the names are in the trail: the walk above could have found them
    trail = client.get(reverse("trail:audit_list")).content.decode()
    assert planted[0] in trail and planted[1] in trail


def test_only_holders_of_audit_view_open_the_audit_pages(client, world, quang_ngai):
    trail = reverse("trail:audit_list")
    history = reverse("trail:unit_history", kwargs={"pk": world["ba_trang"].pk})
    status = {}
    for persona, user in _readers(world, quang_ngai).items():
        client.force_login(user)
        status[persona] = (client.get(trail).status_code, client.get(history).status_code)

    for persona in ("commune_leader", "fatherland_front", "district_reviewer", "system_admin"):
        assert status[persona] == (200, 200), persona
    for persona in ("commune_officer", "commune_accountant", "commune_health_station"):
        assert status[persona] == (403, 403), persona  # they see Ba Trang, not its trail
    assert status["village_head"] == (403, 404)  # Ba Trang itself is not theirs to see
