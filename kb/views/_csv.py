"""CSV downloads that a French spreadsheet opens right and cannot mistake for formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response


def spreadsheet_safe(text: object) -> str:
    """A cell a spreadsheet reads as text: one starting with = + - @, a tab or a carriage return (a formula, for
    Excel or LibreOffice) gets a leading apostrophe. Names and terms are typed by users."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return str(text)  # a number stays a number (a longitude west of Greenwich is negative)
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, header: Iterable[object], lines: Iterable[Iterable[object]]) -> Response:
    """`;`-separated CSV, UTF-8 with a BOM (so that a double click reads the accents right), as an attachment."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(map(spreadsheet_safe, header))
    writer.writerows([map(spreadsheet_safe, line) for line in lines])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
