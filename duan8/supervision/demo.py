"""The demo's supervision (issue 15, point 5): xã Ba Trang's Fatherland Front supervises, in
December 2023, the communication team of thôn Nước Đang and the lists of nominees sent to the
district's trainings. Two findings cite those records; of the two recommendations, the WU's is
answered and accepted, the commune's is still open past its deadline (overdue).

Called by ``seed_demo`` after the year of work is loaded; written through the services, as the
users would. Safe to run again: a session already there is kept as it is.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, Event
from duan8.orgunits.models import OrgUnit
from duan8.supervision.follow_up import (
    recommendation_answer,
    recommendation_create,
    recommendation_review,
)
from duan8.supervision.models import Session
from duan8.supervision.services import (
    FindingInput,
    SessionInput,
    finding_create,
    session_create,
    session_minutes_add,
)

TITLE = (
    "Giám sát hoạt động Tổ truyền thông cộng đồng thôn Nước Đang và danh sách cử tham gia "
    "tập huấn năm 2023"
)
HELD_ON = datetime.date(2023, 12, 6)
TEAM = "Tổ truyền thông cộng đồng thôn Nước Đang"
MEMBERS = [
    "Đinh Văn Bình – Chủ tịch Ủy ban MTTQ Việt Nam xã",
    "Phạm Thị Sương – Ủy viên Ban Thường trực Ủy ban MTTQ xã",
    "Đinh Văn Hơn – Trưởng Ban công tác Mặt trận thôn Nước Đang",
]
# The minutes: a one-page PDF (its first bytes are what the upload check reads).
MINUTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@dataclass
class SupervisionTally:
    session: Session
    created: bool

    def lines(self) -> list[str]:
        recommendations = list(self.session.recommendations.all())
        today = timezone.localdate()
        overdue = sum(1 for r in recommendations if r.is_overdue(today))
        return [
            _(
                "%(title)s (%(day)s): %(findings)s findings, %(recs)s recommendations, "
                "%(overdue)s overdue"
            )
            % {
                "title": self.session.title,
                "day": self.session.starts_on.strftime("%d/%m/%Y"),
                "findings": self.session.findings.count(),
                "recs": len(recommendations),
                "overdue": overdue,
            }
            + ("" if self.created else " — " + _("already there"))
        ]


def demo_supervision_load(
    *, commune: OrgUnit, villages: dict[str, OrgUnit], actors: dict[str, User]
) -> SupervisionTally:
    """``actors``: "fatherland_front" (mttq.batrang), "commune_wu_officer" (hlhpn.batrang),
    "commune_leader" (ct.batrang, who may answer the open recommendation in the UI)."""
    existing = Session.objects.filter(org_unit=commune, title=TITLE).first()
    if existing is not None:
        return SupervisionTally(existing, created=False)
    mttq = actors["fatherland_front"]
    wu = actors["commune_wu_officer"]
    nuoc_dang = villages["Nước Đang"]
    team = CommunityGroup.objects.filter(name=TEAM, org_unit=nuoc_dang).first()
    launch = (
        Event.objects.filter(org_unit=nuoc_dang, group=team).order_by("held_on").first()
        if team is not None
        else None
    )
    nominations = list(
        Event.objects.filter(
            org_unit__path__startswith=commune.path, kind=Event.Kind.NOMINATION
        ).order_by("held_on", "id")
    )
    session = session_create(
        actor=mttq,
        unit=commune,
        data=SessionInput(
            body=Session.Body.FATHERLAND_FRONT,
            title=TITLE,
            subject=Session.Subject.ACTIVITY if launch else Session.Subject.POLICY,
            activity=launch.activity if launch else None,
            policy="Mô hình tổ truyền thông cộng đồng; cử người tham gia tập huấn (Dự án 8)",
            starts_on=HELD_ON,
            members=MEMBERS,
            methods=[
                Session.Method.DOCUMENTS,
                Session.Method.FIELD_VISIT,
                Session.Method.INTERVIEWS,
            ],
        ),
    )
    session = session_minutes_add(
        actor=mttq,
        session=session,
        upload=SimpleUploadedFile(
            "bien-ban-giam-sat-nuoc-dang-2023.pdf", MINUTES, "application/pdf"
        ),
        expected_version=session.version,
    )
    team_finding = finding_create(
        actor=mttq,
        session=session,
        data=FindingInput(
            topic="activities",
            text=(
                "Tổ truyền thông cộng đồng thôn Nước Đang đã ra mắt và sinh hoạt đúng nội dung; "
                "chưa có sổ ghi biên bản các buổi sinh hoạt định kỳ, tài liệu sinh hoạt chưa "
                "được nhân bản cho thành viên."
            ),
            events=[launch] if launch else [],
            groups=[team] if team else [],
        ),
    )
    list_finding = finding_create(
        actor=mttq,
        session=session,
        data=FindingInput(
            topic="targeting",
            text=(
                "Danh sách cử tham gia tập huấn được gửi đúng hạn; việc rà soát, lựa chọn người "
                "được cử chưa được niêm yết công khai tại nhà văn hóa thôn."
            ),
            events=nominations,
        ),
    )
    answered = recommendation_create(
        actor=mttq,
        session=session,
        finding=team_finding,
        text="Lập sổ biên bản sinh hoạt tổ và nhân bản tài liệu sinh hoạt cho các thành viên.",
        addressee=commune,
        addressee_body="Hội LHPN xã",
        due_on=datetime.date(2023, 12, 31),
        today=HELD_ON,
    )
    answered = recommendation_answer(
        actor=wu,
        recommendation=answered,
        answer=(
            "Đã lập sổ biên bản sinh hoạt tổ từ ngày 15/12/2023 và phát 12 bộ tài liệu sinh "
            "hoạt cho thành viên tổ."
        ),
        expected_version=answered.version,
        today=datetime.date(2023, 12, 20),
    )
    recommendation_review(
        actor=mttq,
        recommendation=answered,
        accept=True,
        note="Đã kiểm tra sổ biên bản tại thôn.",
        expected_version=answered.version,
        today=datetime.date(2023, 12, 27),
    )
    recommendation_create(
        actor=mttq,
        session=session,
        finding=list_finding,
        text=(
            "Niêm yết công khai danh sách người được cử tham gia tập huấn tại nhà văn hóa các "
            "thôn trước khi gửi lên huyện."
        ),
        addressee=commune,
        addressee_body="UBND xã",
        due_on=datetime.date(2024, 3, 31),
        today=HELD_ON,
    )
    return SupervisionTally(session, created=True)
