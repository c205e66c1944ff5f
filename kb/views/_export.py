"""Streamed downloads of lists: CSV (for spreadsheets), GeoJSON (RFC 7946, for maps) and JSON.

Records are flat dicts (`kb.serializers.*_record`) produced one at a time from a batched query: the response is
written as it is read, so its size does not bound the memory it takes.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import chain, islice

from flask import Response, abort, stream_with_context

from kb.db import new_session
from kb.serializers import COLUMN_TITLES
from kb.views._csv import spreadsheet_safe

log = logging.getLogger(__name__)
FORMATS = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
LIST_SEPARATOR = " | "


def _csv(records: Iterable[dict]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = None
    for record in records:
        if columns is None:
            columns = list(record)
            writer.writerow([spreadsheet_safe(COLUMN_TITLES.get(c, c)) for c in columns])
        writer.writerow([spreadsheet_safe(LIST_SEPARATOR.join(v) if isinstance(v, list) else v)
                         for v in record.values()])
        if out.tell() > 64 * 1024:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _json(records: Iterable[dict]) -> Iterator[str]:
    yield '{"items": ['
    count = 0
    for record in records:
        yield ("," if count else "") + json.dumps(record, ensure_ascii=False)
        count += 1
    yield f'], "total": {count}}}'


def _feature(record: dict) -> dict:
    lat, lon = record.get("latitude"), record.get("longitude")
    properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": properties}


def _geojson(records: Iterable[dict]) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    for n, record in enumerate(records):
        yield ("," if n else "") + json.dumps(_feature(record), ensure_ascii=False)
    yield "]}"


def export_response(fmt: str, name: str, records: Callable[..., Generator[dict, None, None]]) -> Response:
    """The records as a download in ``fmt`` (csv, json or geojson), written while they are read.

    ``records(session)`` reads through a session of the download's own: the request's session is closed when the view
    returns (its app context is popped before the server reads the body), the download's when it ends.
    """
    if fmt not in FORMATS:
        abort(404)
    writer = {"csv": _csv, "json": _json, "geojson": _geojson}[fmt]
    session = new_session()
    source = records(session)

    def finish() -> None:
        source.close()  # on PostgreSQL, the batches' server-side cursor
        session.close()

    # The query runs and the first record is built before the answer starts: a failure there is a proper
    # error page, not a 200 cut short. A failure later can only end the download (and is logged).
    try:
        first = list(islice(source, 1))
    except BaseException:
        finish()
        raise

    def body() -> Iterator[bytes]:
        if fmt == "csv":
            yield "\ufeff".encode()  # a spreadsheet then reads the accents right
        try:
            for chunk in writer(chain(first, source)):
                yield chunk.encode()
        except Exception:
            log.exception("export interrupted")
            raise
        finally:
            finish()

    response = Response(stream_with_context(body()), mimetype=FORMATS[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                                 "Cache-Control": "private, no-store"})
    response.call_on_close(finish)  # a response closed unread (HEAD, a client gone) ends the reading too
    return response
