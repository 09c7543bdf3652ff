"""Building blocks of an administrative document in Word (NĐ 30/2020/NĐ-CP, Phụ lục I).

- ``layout``: the measures of the page and its elements, as data read from the template;
- ``fonts``: text widths (Times New Roman metrics), for lines drawn as long as a text;
- ``builder``: ``DocxBuilder`` and its blocks (``Line``, ``TableCell``).

It knows nothing about plans: ``plan_document`` assembles a Kế hoạch from these blocks, and the
reports app assembles its documents from the same ones (importing them from here).
"""

from duan8.documents.docx_builder.builder import DocxBuilder, Line, TableCell
from duan8.documents.docx_builder.fonts import text_width_pt
from duan8.documents.docx_builder.layout import Layout

__all__ = ["DocxBuilder", "Layout", "Line", "TableCell", "text_width_pt"]
