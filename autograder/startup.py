"""What the grader's own processes (the command line, the test suite) skip to start fast."""
from __future__ import annotations

import sys


def skip_iri_checker() -> None:
    """Keep jsonschema from loading its checker of the "iri" format; call it before nbformat is imported.

    nbformat imports jsonschema, which imports ``rfc3987_syntax`` when it is installed (it comes
    with jupyter's packages): that compiles ~35 grammars at import, 2 s on an idle 2-core
    machine and 6-15 s on a loaded one, and no notebook schema uses the format (jsonschema issue
    #1428). A process that calls this goes without it; nothing else changes.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
