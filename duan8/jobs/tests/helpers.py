"""For tests of pages that start a job: submit it as the button does, follow to the job's page,
download its file through the job's URL (as the user would)."""

from django.urls import reverse

from duan8.jobs.models import Job


class Downloaded:
    def __init__(self, job: Job, response) -> None:
        self.job = job
        self.response = response
        self.status_code = response.status_code
        self.content = b"".join(response.streaming_content) if response.streaming else b""

    def __getitem__(self, header: str) -> str:
        return self.response[header]


def download_through_job(client, url: str) -> Downloaded:
    page = client.post(url, follow=True)
    assert page.status_code == 200, page.status_code
    job_url = page.redirect_chain[-1][0]
    job = Job.objects.get(pk=job_url.rstrip("/").split("/")[-1])
    assert job.status == Job.Status.DONE, (job.status, job.error)
    download = reverse("jobs:job_download", kwargs={"job_id": job.pk})
    assert download in page.content.decode()
    return Downloaded(job, client.get(download))
