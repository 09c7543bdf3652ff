"""Ba Trang's supervision data for the access matrix (tests/test_access_matrix.py): a session of
the Fatherland Front with its minutes, a finding, a recommendation to the commune and a comment
on the draft plan, written through the services. ``supervision_samples(d)`` takes the matrix's
world dict (``ba_trang``, ``plan``, ``events``, ``personas``)."""

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from duan8.supervision.feedback import plan_comment_create
from duan8.supervision.follow_up import recommendation_create
from duan8.supervision.models import Session
from duan8.supervision.services import (
    FindingInput,
    SessionInput,
    finding_create,
    session_create,
    session_minutes_add,
)
from duan8.testing import SAMPLE_PDF


def supervision_samples(d: dict[str, Any]) -> dict[str, Any]:
    front = d["personas"]["fatherland_front"]
    session = session_create(
        actor=front,
        unit=d["ba_trang"],
        data=SessionInput(
            body=Session.Body.FATHERLAND_FRONT,
            title="Giám sát đối thoại chính sách thôn Bùi Hui",
            subject=Session.Subject.EVENT,
            event=d["events"]["event"],
            starts_on=datetime.date(2023, 11, 20),
            members=["Đinh Văn Mặt"],
            methods=["documents"],
        ),
    )
    session = session_minutes_add(
        actor=front,
        session=session,
        upload=SimpleUploadedFile("bien-ban.pdf", SAMPLE_PDF, "application/pdf"),
        expected_version=session.version,
    )
    finding = finding_create(
        actor=front,
        session=session,
        data=FindingInput(topic="records", text="Thôn Bùi Hui: danh sách thiếu chữ ký"),
    )
    recommendation = recommendation_create(
        actor=front,
        session=session,
        finding=finding,
        text="Bổ sung chữ ký",
        addressee=d["ba_trang"],
        due_on=datetime.date(2030, 1, 31),
        today=datetime.date(2023, 11, 20),
    )
    comment = plan_comment_create(
        actor=front, plan=d["plan"], body="fatherland_front", text="Góp ý dự thảo 87/KH-UBND"
    )
    return {
        "session": session,
        "finding": finding,
        "recommendation": recommendation,
        "comment": comment,
    }
