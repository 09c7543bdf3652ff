"""Text widths, for lines drawn as long as a text (the rules under the agency name and the motto).

Measured with the metrics of Times New Roman or its metric twin Liberation Serif, read with
fontTools, so a line is as long as its text in Word and in LibreOffice.
"""

import functools
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_FILES = {
    (False, False): ("LiberationSerif-Regular.ttf", "Times_New_Roman.ttf", "times.ttf"),
    (True, False): ("LiberationSerif-Bold.ttf", "Times_New_Roman_Bold.ttf", "timesbd.ttf"),
    (False, True): ("LiberationSerif-Italic.ttf", "Times_New_Roman_Italic.ttf", "timesi.ttf"),
    (True, True): (
        "LiberationSerif-BoldItalic.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
        "timesbi.ttf",
    ),
}
# Liberation 2.x first: 1.07 (fonts-liberation) lacks ơ, ư and the stacked Vietnamese marks.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/msttcorefonts"),
    Path("/usr/share/fonts/TTF"),
)
AVERAGE_EM = 0.5  # width of a character in em when no metrics are at hand


@functools.cache
def _advance_widths(bold: bool, italic: bool) -> tuple[dict[int, float], float] | None:
    """Advance widths in em per code point of Times New Roman or its metric twin Liberation Serif.

    Liberation Serif has the same metrics as Times New Roman, so a line drawn under a text is as
    long as the text in Word and in LibreOffice. Without either font an average width is used.
    """
    for directory in FONT_DIRS:
        for name in FONT_FILES[(bold, italic)]:
            path = directory / name
            if path.is_file():
                font = TTFont(path, lazy=True)
                em = font["head"].unitsPerEm
                metrics = font["hmtx"].metrics
                widths = {
                    code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()
                }
                font.close()
                return widths, metrics[".notdef"][0] / em
    return None


def text_width_pt(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    found = _advance_widths(bold, italic)
    if found is None:
        return len(text) * AVERAGE_EM * size
    widths, missing = found
    return sum(widths.get(ord(char), missing) for char in text) * size


# -- lines of text in a block ------------------------------------------------------------------
