"""An uploaded file kept between the preview and the confirmation.

The file goes to MEDIA_ROOT/uploads/<random>.xlsx (never served: MEDIA_ROOT has no URL for it)
with the check's summary beside it (<random>.json). The session keeps only the random name and
what the upload is for, so the confirmation saves exactly the file that was checked — a new
upload is never trusted in its place. Files are removed after the confirmation or when the user
abandons; ones left by expired sessions are removed a day later, at the next upload.

A file of more rows than ``settings.UPLOAD_ROWS_IN_REQUEST`` is saved by a job
(``activities/jobs.py``): the confirmation hands the file over (``pending_hand_over``), the session
then remembers only the job, so a second tap leads to the same job, and the job removes the file
once it has saved it.
"""

import json
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile

SESSION_KEY = "activities_excel_upload"
JOB_SESSION_KEY = "activities_excel_upload_job"
MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Pending:
    token: str
    target: str  # what the upload is for: "unit:<pk>:<kind>:<plan pk>" or "event:<pk>"
    user_id: int
    name: str  # the file's name as uploaded, for the pages
    size: int

    @property
    def path(self) -> Path:
        return _folder() / f"{self.token}.xlsx"

    @property
    def summary_path(self) -> Path:
        return _folder() / f"{self.token}.json"

    def summary(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def summary_save(self, data: dict[str, Any]) -> None:
        self.summary_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _clean_old() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in _folder().glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def pending_store(
    session: SessionBase, *, upload: UploadedFile, target: str, user_id: int
) -> Pending:
    pending_discard(session)
    _clean_old()
    pending = Pending(
        token=secrets.token_urlsafe(24),
        target=target,
        user_id=user_id,
        name=(upload.name or "upload.xlsx")[:255],
        size=upload.size or 0,
    )
    with pending.path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    session[SESSION_KEY] = asdict(pending)
    return pending


def pending_get(session: SessionBase, *, target: str, user_id: int) -> Pending | None:
    """The upload waiting for this target, by this user, whose file still exists."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        pending = Pending(**data)
    except TypeError:
        return None
    if pending.target != target or pending.user_id != user_id:
        return None
    if not pending.token.replace("-", "").replace("_", "").isalnum() or not pending.path.exists():
        return None
    return pending


def _token_ok(token: str) -> bool:
    return bool(token) and token.replace("-", "").replace("_", "").isalnum()


def pending_files_remove(token: str) -> None:
    """Remove a kept file and its summary (the job, after saving)."""
    if not _token_ok(token):
        return
    for suffix in (".xlsx", ".json"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def pending_path(token: str) -> Path | None:
    """The kept file of ``token`` if it is still there (the job reads it)."""
    if not _token_ok(token):
        return None
    path = _folder() / f"{token}.xlsx"
    return path if path.exists() else None


def pending_discard(session: SessionBase) -> None:
    session.pop(JOB_SESSION_KEY, None)
    data = session.pop(SESSION_KEY, None)
    if not isinstance(data, dict) or not isinstance(data.get("token"), str):
        return
    pending_files_remove(data["token"])


def pending_hand_over(session: SessionBase, pending: Pending, job_id: str) -> None:
    """The file now belongs to the job: forget it here without removing it, remember the job."""
    session.pop(SESSION_KEY, None)
    session[JOB_SESSION_KEY] = {"target": pending.target, "user_id": pending.user_id, "job": job_id}


def pending_job(session: SessionBase, *, target: str, user_id: int) -> str | None:
    """The job saving the file last confirmed for this target by this user."""
    data = session.get(JOB_SESSION_KEY)
    if not isinstance(data, dict) or data.get("target") != target:
        return None
    if data.get("user_id") != user_id or not isinstance(data.get("job"), str):
        return None
    return str(data["job"])
