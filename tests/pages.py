"""Reading the HTML pages the grader writes, as a person would."""
from __future__ import annotations

import html
import re


def visible_text(page: str) -> str:
    """The text a reader sees in an HTML page: tags removed, entities decoded, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()
