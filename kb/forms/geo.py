"""Query strings of the map pages: the shared map view (centre, zoom) and the peers search."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from maps.geo import in_france

RADII = (5, 10, 20, 50)


@dataclass(frozen=True)
class MapView:
    """What /carte shows besides the filters: free text, the organisations layer, centre and zoom."""

    q: str | None = None
    organisations: bool = False
    center: tuple[float, float] | None = None
    zoom: int | None = None


@dataclass(frozen=True)
class PeerSearch:
    """Where to look for peers (a commune, an organisation or a point) and how far."""

    place: str | None = None
    org_id: int | None = None
    point: tuple[float, float] | None = None
    radius: int = 10


def _number(args: Mapping[str, Any], name: str) -> float | None:
    raw = (args.get(name) or "").strip().replace(",", ".")
    try:
        value = float(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _point(args: Mapping[str, Any], errors: dict[str, str], field: str) -> tuple[float, float] | None:
    lat, lon = _number(args, "lat"), _number(args, "lon")
    if lat is None and lon is None:
        if (args.get("lat") or args.get("lon")):
            errors[field] = "Coordonnées illisibles : utilisez des nombres comme 43.6766 et 4.6278."
        return None
    if lat is None or lon is None or not in_france(lat, lon):
        errors[field] = "Ce point est hors de France : choisissez un lieu en France."
        return None
    return lat, lon


def parse_map_view(args: Mapping[str, Any]) -> tuple[MapView, dict[str, str]]:
    """Read /carte's view; a broken centre or zoom is reported and ignored."""
    errors: dict[str, str] = {}
    center = _point(args, errors, "centre")
    zoom_raw = (args.get("z") or "").strip()
    zoom = int(zoom_raw) if zoom_raw.isdecimal() and 3 <= int(zoom_raw) <= 19 else None
    if zoom_raw and zoom is None:
        errors["z"] = "Le niveau de zoom doit être un entier entre 3 et 19."
    q = " ".join((args.get("q") or "").split())[:300] or None
    return MapView(q=q, organisations=args.get("orgs") in ("1", "on"), center=center,
                   zoom=zoom if center else None), errors


def parse_peer_search(args: Mapping[str, Any]) -> tuple[PeerSearch, dict[str, str]]:
    """Read /pairs' starting point and radius."""
    errors: dict[str, str] = {}
    raw_radius = (args.get("rayon") or "10").strip()
    radius = int(raw_radius) if raw_radius.isdecimal() and int(raw_radius) in RADII else 10
    if str(radius) != raw_radius:
        errors["rayon"] = "Choisissez un rayon de 5, 10, 20 ou 50 km."
    raw_org = (args.get("organisation") or "").strip()
    org_id = int(raw_org) if raw_org.isdecimal() and len(raw_org) <= 9 else None
    if raw_org and org_id is None:
        errors["organisation"] = "Organisation inconnue."
    place = (args.get("lieu") or "").strip()[:120] or None
    point = _point(args, errors, "lieu") if not place and not org_id else None
    return PeerSearch(place=place, org_id=org_id, point=point, radius=radius), errors


def parse_view_box(args: Mapping[str, Any]) -> tuple[tuple[float, float, float, float] | None, int | None,
                                                       dict[str, str]]:
    """Read the view a map asks points for: ``bbox`` (south,west,north,east in degrees) and ``z`` (0 to 19)."""
    errors: dict[str, str] = {}
    box = None
    parts = (args.get("bbox") or "").split(",")
    try:
        south, west, north, east = (float(part) for part in parts)
        if -90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180:
            box = (south, west, north, east)
    except ValueError:
        pass
    if box is None:
        errors["bbox"] = "La vue doit être « sud,ouest,nord,est » en degrés (sud ≤ nord)."
    zoom_raw = (args.get("z") or "").strip()
    zoom = int(zoom_raw) if zoom_raw.isdecimal() and int(zoom_raw) <= 19 else None
    if zoom is None:
        errors["z"] = "Le niveau de zoom doit être un entier entre 0 et 19."
    return box, zoom, errors
