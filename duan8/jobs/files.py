"""Where a job's result file lives: under MEDIA_ROOT/jobs/, which no URL serves. It is written to
a temporary name beside its place and moved there in one step (``os.replace``), so a reader never
sees half a file and a killed worker leaves at most a ``.part`` file behind."""

import os
from pathlib import Path

from django.conf import settings

FOLDER = "jobs"


def jobs_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def part_path(job_id: str, attempt: int) -> Path:
    return jobs_folder() / f".{job_id}.{attempt}.part"


def result_relative(job_id: str) -> str:
    return f"{FOLDER}/{job_id}"


def absolute(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def result_move(part: Path, job_id: str) -> str:
    """Move the finished temporary file into place; returns its path under MEDIA_ROOT."""
    relative = result_relative(job_id)
    os.replace(part, absolute(relative))
    return relative
