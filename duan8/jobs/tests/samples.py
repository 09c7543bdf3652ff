"""A finished job with its file, for the access matrix (tests/test_access_matrix.py)."""

from duan8.jobs import files
from duan8.jobs.models import Job
from duan8.jobs.services import idempotency_key


def done_job(actor, *, content: bytes = b"%PDF-1.4 Ba Trang 87/KH-UBND", params=None) -> Job:
    params = params or {"plan": 0, "version": 1}
    job = Job.objects.create(
        kind="documents.plan_pdf",
        params=params,
        actor=actor,
        idempotency_key=idempotency_key(actor=actor, kind="documents.plan_pdf", params=params),
        status=Job.Status.DONE,
        progress=100,
        attempts=1,
        result_name="ke-hoach.pdf",
        result_type="application/pdf",
    )
    part = files.part_path(str(job.pk), 1)
    part.write_bytes(content)
    job.result_path = files.result_move(part, str(job.pk))
    job.save(update_fields=["result_path"])
    return job
