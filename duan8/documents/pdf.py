"""PDF from .docx through LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs in its own temporary directory with its own LibreOffice profile
(``-env:UserInstallation``), so conversions running at the same time do not share or lock a
profile, and nothing is left behind. ``DOCUMENTS_SOFFICE`` (a setting) names the program when it
is not ``soffice`` on the PATH.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 120


class ConversionError(RuntimeError):
    """LibreOffice is missing or failed; the message says which, for the user."""


def soffice_path() -> str | None:
    return shutil.which(getattr(settings, "DOCUMENTS_SOFFICE", "soffice"))


def docx_to_pdf(content: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    program = soffice_path()
    if program is None:
        raise ConversionError(
            _(
                "PDF export needs LibreOffice, which is not installed on the server"
                " (program “soffice” not found). Download the Word file instead."
            )
        )
    with tempfile.TemporaryDirectory(prefix="duan8-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(content)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        # A session of its own, so a timeout ends LibreOffice's child processes too.
        process = subprocess.Popen(  # noqa: S603 - fixed program and arguments, no shell
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(
                _("LibreOffice did not finish the PDF within %(seconds)s seconds.")
                % {"seconds": timeout}
            ) from exc
        target = folder / "document.pdf"
        if process.returncode != 0 or not target.is_file():
            detail = (stderr or stdout).decode(errors="replace").strip()[-300:]
            raise ConversionError(
                _("LibreOffice could not convert the document to PDF: %(detail)s")
                % {"detail": detail or process.returncode}
            )
        return target.read_bytes()
