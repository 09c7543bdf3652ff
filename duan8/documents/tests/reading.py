"""Reading generated documents back with real readers (python-docx, pdftotext, pdfinfo)."""

import io
import re
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table

WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def read_docx(content: bytes) -> DocumentObject:
    return Document(io.BytesIO(content))


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def rows(table: Table, skip: int = 0) -> list[list[str]]:
    """Every row's cells as text; a cell merged across columns repeats its text, as Word shows."""
    return [[cell.text for cell in row.cells] for row in table.rows[skip:]]


def drawn_lines(paragraph) -> list[int]:
    """Lengths (EMU) of the lines drawn as shapes in a paragraph."""
    found = []
    for shape in paragraph._p.iter(f"{WPS}wsp"):
        geometry = shape.find(f".//{A}prstGeom")
        if geometry is not None and geometry.get("prst") == "line":
            found.append(int(shape.find(f".//{A}ext").get("cx")))
    return found


def has_page_field(part) -> bool:
    return any(
        (node.text or "").strip() == "PAGE" for node in part._element.iter(qn("w:instrText"))
    )


def pdf_pages(pdf: bytes) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, check=True
        ).stdout.decode()
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def squash(text: str) -> str:
    """Text with runs of white space made one space (pdftotext -layout pads columns)."""
    return " ".join(text.split())


def pdf_fonts(pdf: bytes) -> list[str]:
    """The names of the fonts a PDF embeds or uses (``pdffonts``), subset prefixes removed:
    "LiberationSerif-Bold", "DejaVuSans"."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "document.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, check=True
        ).stdout.decode()
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    return [re.sub(r"^[A-Z]{6}\+", "", name) for name in names]


def pdf_font_families(pdf: bytes) -> set[str]:
    """The font families of a PDF: "LiberationSerif" for "LiberationSerif-BoldItalic"."""
    return {name.split("-")[0].split(",")[0] for name in pdf_fonts(pdf)}
