"""The registry's workflow over the API, as its pages allow it: recording the mother's consent
(health station, village health worker, commune WU officer), verifying or rejecting a case (the
commune WU officer), approving it (the commune leader), each through the pages' service.

Access before the body: a caller who may not read the case gets 404 (nothing confirms it
exists), a reader of the case without the right 403; only then is the body read. The services
check the rest (status, consent in force, likely duplicates, eligibility) and refuse by field;
a stale version is a 409 (``EditConflict``)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_VERIFY
from duan8.api.base import ApiView
from duan8.api.endpoints.mothers.shared import TAG, _reads_cases
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core import audit
from duan8.core.concurrency import EditConflict
from duan8.core.problems import Invalid
from duan8.mothers.models import Consent, Pregnancy
from duan8.mothers.services.approval import cases_approve
from duan8.mothers.services.consent import (
    consent_in_force,
    consent_record,
    consent_withdraw,
    may_record_consent,
)
from duan8.mothers.services.registry import pregnancy_reject, pregnancy_verify
from duan8.mothers.visibility import case_get, fields_visible
from duan8.orgunits.access import can


class ConsentIn(serializers.Serializer):
    """As on her consents page; the consent service checks it (problems keyed by these names)."""

    given_on = serializers.DateField(allow_null=True, default=None)
    channel = serializers.CharField(
        max_length=20,
        allow_blank=True,
        default="",
        help_text=doc(
            "Hình thức: " + ", ".join(Consent.Channel.values) + ".",
            "How it was given: " + ", ".join(Consent.Channel.values) + ".",
        ),
    )
    signer = serializers.CharField(
        max_length=20,
        allow_blank=True,
        default="",
        help_text=doc(
            "Người ký: " + ", ".join(Consent.Signer.values) + ".",
            "Who signed: " + ", ".join(Consent.Signer.values) + ".",
        ),
    )
    signer_name = serializers.CharField(
        max_length=120,
        allow_blank=True,
        default="",
        help_text=doc(
            "Họ tên cha, mẹ hoặc người giám hộ (khi họ ký).",
            "The parent's or guardian's name (when they signed).",
        ),
    )


class ConsentOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(source="text.version")
    given_on = serializers.DateField()
    channel = serializers.CharField()
    signer = serializers.CharField()
    withdrawn_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()
    in_force = serializers.BooleanField(
        help_text=doc(
            "Bà mẹ có sự đồng ý còn hiệu lực hôm nay.", "The mother has a consent in force today."
        )
    )


class WithdrawIn(serializers.Serializer):
    withdrawn_on = serializers.DateField(allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False,
        help_text=doc(
            "Phiên bản sự đồng ý đã đọc (hoặc gửi If-Match).",
            "The consent's version read (or send If-Match).",
        ),
    )


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        help_text=doc(
            "Phiên bản hồ sơ đã đọc (hoặc gửi If-Match).",
            "The case's version read (or send If-Match).",
        ),
    )


class RejectIn(VersionIn):
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, default="", help_text=doc("Lý do.", "Why.")
    )


class CaseStateOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    version = serializers.IntegerField()


def _case(user: User, pk: int) -> Pregnancy:
    """The case, for a reader of the registry there; 404 for anyone else."""
    try:
        case, visible = case_get(user, pk)
    except Http404:
        raise audit.NotVisible(_("Record not found.")) from None
    if not _reads_cases(visible):
        raise audit.NotVisible(_("Record not found."))
    return case


def _require(user: User, permission: str, case: Pregnancy) -> None:
    if not can(user, permission, case.commune):
        raise PermissionDenied(
            _("You may not do this with the cases of %(unit)s.") % {"unit": case.commune}
        )


def _state(case: Pregnancy) -> Response:
    answer = CaseStateOut({"id": case.pk, "status": case.status, "version": case.version}).data
    return with_etag(Response(answer), case.version)


_VERSION_VI = " Gửi phiên bản hồ sơ (If-Match hoặc “version”); phiên bản cũ: 409."
_VERSION_EN = " Send the case's version (If-Match or “version”); a stale one: 409."


class CaseConsentApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Ghi nhận sự đồng ý của bà mẹ · Record the mother's consent",
        description=doc(
            "Trạm y tế xã, nhân viên y tế thôn hoặc cán bộ Hội LHPN xã ghi nhận sự đồng ý xử lý"
            " dữ liệu cá nhân của bà mẹ của hồ sơ, theo văn bản đang dùng vào ngày đồng ý, qua"
            " cùng dịch vụ như trang web; lỗi theo trường, không lưu gì.",
            "The commune health station, a village health worker or the commune WU officer"
            " records the consent of the case's mother to the processing of her data, on the"
            " text in use that day, through the page's service; problems by field, nothing saved.",
        ),
        request=ConsentIn,
        responses={201: ConsentOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        case = _case(user, pk)
        mother = case.mother
        if not may_record_consent(user, mother):
            raise PermissionDenied(_("You may not record consents of this mother."))
        given = ConsentIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        consent = consent_record(
            actor=user,
            mother=mother,
            given_on=data["given_on"],
            channel=data["channel"],
            signer=data["signer"],
            signer_name=data["signer_name"],
        )
        return _consent_answer(consent, status=201)


def _consent_answer(consent: Consent, status: int = 200) -> Response:
    out = {
        "id": consent.pk,
        "text": consent.text,
        "given_on": consent.given_on,
        "channel": consent.channel,
        "signer": consent.signer,
        "withdrawn_on": consent.withdrawn_on,
        "version": consent.version,
        "in_force": consent_in_force(consent.mother),
    }
    return with_etag(Response(ConsentOut(out).data, status=status), consent.version)


class ConsentWithdrawApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Rút lại sự đồng ý · Withdraw a consent",
        description=doc(
            "Ghi nhận bà mẹ rút lại sự đồng ý (người được ghi nhận sự đồng ý, như trang của bà);"
            " từ ngày đó hồ sơ không được xử lý tiếp. Gửi phiên bản sự đồng ý (If-Match hoặc"
            " “version”); phiên bản cũ: 409.",
            "Records that the mother withdrew her consent (those who record consents, as on her"
            " page); from that day her record is not processed further. Send the consent's"
            " version (If-Match or “version”); a stale one: 409.",
        ),
        request=WithdrawIn,
        responses={200: ConsentOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        consent = (
            Consent.objects.select_related("text", "mother", "mother__village", "mother__commune")
            .filter(pk=pk)
            .first()
        )
        if consent is None or not _reads_cases(fields_visible(user, consent.mother.village)):
            raise audit.NotVisible(_("Record not found."))
        if not may_record_consent(user, consent.mother):
            raise PermissionDenied(_("You may not record consents of this mother."))
        version = expected_version(request)
        given = WithdrawIn(data=request.data)
        given.is_valid(raise_exception=True)
        consent = consent_withdraw(
            actor=user,
            consent=consent,
            withdrawn_on=given.validated_data["withdrawn_on"],
            note=given.validated_data["note"],
            expected_version=version,
        )
        return _consent_answer(consent)


class CaseVerifyApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Xác minh hồ sơ · Verify a case",
        description=doc(
            "Cán bộ Hội LHPN xã (mothers.verify) xác minh một hồ sơ đã đề nghị, qua cùng dịch vụ"
            " như trang web: từ chối (400) khi chưa có sự đồng ý còn hiệu lực, khi có hồ sơ có"
            " thể trùng chưa quyết định, hoặc khi hồ sơ không ở trạng thái đề nghị." + _VERSION_VI,
            "The commune WU officer (mothers.verify) verifies a proposed case through the page's"
            " service: refused (400) without a consent in force, with an undecided likely"
            " duplicate, or when the case is not proposed." + _VERSION_EN,
        ),
        request=VersionIn,
        responses={200: CaseStateOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        case = _case(user, pk)
        _require(user, MOTHERS_VERIFY, case)
        version = expected_version(request)
        case = pregnancy_verify(actor=user, pregnancy=case, expected_version=version)
        return _state(case)


class CaseRejectApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Từ chối hồ sơ · Reject a case",
        description=doc(
            "Cán bộ Hội LHPN xã (mothers.verify) từ chối một hồ sơ đã đề nghị hoặc đã xác minh,"
            " nói lý do (reason), qua cùng dịch vụ như trang web." + _VERSION_VI,
            "The commune WU officer (mothers.verify) rejects a proposed or verified case, saying"
            " why (reason), through the page's service." + _VERSION_EN,
        ),
        request=RejectIn,
        responses={200: CaseStateOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        case = _case(user, pk)
        _require(user, MOTHERS_VERIFY, case)
        version = expected_version(request)
        given = RejectIn(data=request.data)
        given.is_valid(raise_exception=True)
        case = pregnancy_reject(
            actor=user,
            pregnancy=case,
            expected_version=version,
            reason=given.validated_data["reason"],
        )
        return _state(case)


class CaseApproveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Phê duyệt hồ sơ · Approve a case",
        description=doc(
            "Chủ tịch UBND xã (mothers.approve) phê duyệt một hồ sơ đã xác minh và cố định mức"
            " hỗ trợ, qua cùng dịch vụ như trang phê duyệt (cases_approve): từ chối (400, trường"
            " cases.<id>) khi chưa xác minh, chưa có sự đồng ý còn hiệu lực, có hồ sơ có thể"
            " trùng chưa quyết định, hoặc không đủ điều kiện." + _VERSION_VI,
            "The commune leader (mothers.approve) approves a verified case and fixes its"
            " entitlement, through the approval page's service (cases_approve): refused (400,"
            " field cases.<id>) when not verified, without a consent in force, with an"
            " undecided likely duplicate, or not eligible." + _VERSION_EN,
        ),
        request=VersionIn,
        responses={200: CaseStateOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        case = _case(user, pk)
        _require(user, MOTHERS_APPROVE, case)
        version = expected_version(request)
        try:
            done = cases_approve(
                actor=user,
                commune=case.commune,
                pregnancies=[case],
                expected_versions={case.pk: version},
            )
        except Invalid as exc:
            _conflict_of(exc)
            raise
        return _state(done[0])


def _conflict_of(exc: Invalid) -> None:
    """The approval service reports a stale version as a problem (it checks a batch); one
    case's stale version is the API's 409."""
    if exc.problems and all(problem.code == "conflict" for problem in exc.problems):
        raise EditConflict([problem.message for problem in exc.problems]) from exc
