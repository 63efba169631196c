"""Self-contained HTML pages for the instructor tools (feedback, class report, similarity report).

A page embeds its style, its code highlighting and its figures; a Content-Security-Policy
forbids it to load anything, so it reads the same offline, from a file, a mail or an LMS.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

#: Nothing is fetched: styles inline, images only as data: URIs.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430;
       max-width: 1100px; margin: 2em auto; padding: 0 1.2em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #d8dde6; }
h3 { margin-bottom: .3em; }
.lead { color: #4a5568; margin-top: 0; }
.note { background: #f4f6fa; border-left: 4px solid #8aa0c8; padding: .6em 1em; }
table { border-collapse: collapse; margin: .8em 0; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35em .6em; border-bottom: 1px solid #e2e6ee; }
th { background: #f4f6fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
.pass { color: #17663a; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
.pending { color: #8a5a00; font-weight: 600; }
.message { white-space: pre-wrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .88em; }
pre, .highlight pre { background: #f7f8fa; border: 1px solid #e2e6ee; border-radius: 4px; padding: .7em;
       overflow-x: auto; font-size: .85em; line-height: 1.4; margin: .4em 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.pair > div { min-width: 0; }
mark { background: #fff1a8; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
.figures { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 1em; }
.figures figure { flex: 1 1 420px; margin: 0; }
.score { font-size: 1.3em; font-weight: 600; }
"""


_NUM = ' class="num"'


def escape(text: object) -> str:
    """Text for HTML: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape(str(text), quote=True)


def page(title: str, body: str, lead: str = "") -> str:
    """A whole HTML document: ``title`` as heading, a ``lead`` line under it, then ``body`` (HTML)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_POLICY}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>{_STYLE}{_code_style()}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n" + (f"<p class=\"lead\">{lead}</p>\n" if lead else "") + body + "\n</body>\n</html>\n"
    )


def code(source: str) -> str:
    """Python source as a highlighted ``<pre>`` block."""
    return highlight(source.rstrip() + "\n", PythonLexer(), HtmlFormatter(cssclass="highlight"))


def table(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    """An HTML table; cells are HTML already. Columns in ``numeric`` are right-aligned."""
    numeric = set(numeric)

    def cells(values: Iterable[str], tag: str) -> str:
        return "".join(f"<{tag}{_NUM if i in numeric else ''}>{v}</{tag}>" for i, v in enumerate(values))

    body = "\n".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f"<table>\n<thead><tr>{cells(header, 'th')}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def _code_style() -> str:
    return HtmlFormatter(cssclass="highlight").get_style_defs(".highlight")
