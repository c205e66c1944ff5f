"""Distances on the globe and a coarse "is this in France?" test, for radius searches and input checks.

Distances are great-circle (haversine) on a sphere of the Earth's mean radius: within 0.5 % of the
ellipsoid, far better than what a commune's centre or a hand-placed marker is worth. The radius
helpers take any objects with `lat`/`lon` attributes (`MapPoint`, `Commune`) or a `position`
function, and skip those without coordinates.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# A point computed to lie exactly on the circle may come out a few ulps beyond it: count it in.
_EDGE_TOLERANCE_KM = 1e-9

T = TypeVar("T")
Position = Callable[[T], tuple[float | None, float | None] | None]


class Near(NamedTuple, Generic[T]):
    """An item and its distance in kilometres from the search centre."""

    item: T
    distance_km: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _attributes(item: object) -> tuple[float | None, float | None]:
    return getattr(item, "lat", None), getattr(item, "lon", None)


def nearest_first(items: Iterable[T], lat: float, lon: float, *, limit: int | None = None,
                  position: Position[T] = _attributes) -> list[Near[T]]:
    """Every item with coordinates and its distance from (lat, lon), nearest first, ties in input order."""
    found = [Near(item, haversine_km(lat, lon, *where)) for item in items
             if (where := position(item)) is not None and None not in where]
    found.sort(key=lambda near: near.distance_km)  # sort is stable: equal distances keep input order
    return found if limit is None else found[:limit]


def within_radius(items: Iterable[T], lat: float, lon: float, radius_km: float, *,
                  position: Position[T] = _attributes) -> list[Near[T]]:
    """Items at most `radius_km` from (lat, lon) (the edge included), nearest first, ties in input order."""
    if radius_km < 0 or math.isnan(radius_km):
        raise ValueError(f"Rayon invalide : {radius_km} km")
    # A degree of latitude is the same length everywhere: a cheap filter before the trigonometry.
    max_dlat = radius_km / _KM_PER_DEGREE + 1e-9
    found = []
    for item in items:
        where = position(item)
        if where is None or None in where:
            continue
        item_lat, item_lon = where
        if abs(item_lat - lat) > max_dlat:
            continue
        distance = haversine_km(lat, lon, item_lat, item_lon)
        if distance <= radius_km + _EDGE_TOLERANCE_KM:
            found.append(Near(item, distance))
    found.sort(key=lambda near: near.distance_km)
    return found


def bounds(positions: Iterable[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """South-west and north-east corners around (lat, lon) pairs, or None when there are none."""
    lats, lons = [], []
    for lat, lon in positions:
        lats.append(lat)
        lons.append(lon)
    if not lats:
        return None
    return (min(lats), min(lons)), (max(lats), max(lons))


# Mainland France as a coarse polygon (lat, lon), drawn about 5-15 km outside the border and the
# coast so that islands (Ouessant, Yeu, Porquerolles) are in, while Turin, Brussels, Luxembourg,
# Jersey, Andorra and the Val d'Aran are out. Border towns (Geneva, Basel) may still count as in.
_MAINLAND = (
    # North Sea, Belgium, Luxembourg, Saarland, Rhine
    (51.20, 2.45), (50.80, 3.30), (50.45, 3.75), (50.33, 4.20), (50.00, 4.25), (49.95, 4.60), (50.20, 4.80),
    (50.17, 4.95), (49.80, 5.05), (49.72, 5.40), (49.55, 5.50), (49.55, 5.85), (49.50, 6.40), (49.45, 6.56),
    (49.38, 6.63), (49.26, 6.74), (49.235, 6.86), (49.22, 6.97), (49.17, 7.07), (49.20, 7.45), (49.07, 7.95),
    (48.98, 8.28), (48.60, 7.85), (48.00, 7.62), (47.62, 7.62),
    # Switzerland: Sundgau, Ajoie bulge (Porrentruy is Swiss), Doubs, Jura, Lake Geneva, Mont Blanc
    (47.52, 7.56), (47.48, 7.52), (47.41, 7.46), (47.40, 7.22), (47.44, 7.15), (47.47, 7.06), (47.38, 7.08),
    (47.27, 6.99), (47.17, 6.87), (47.08, 6.76), (46.90, 6.50), (46.75, 6.45), (46.45, 6.10), (46.45, 6.50),
    (46.40, 6.85), (46.10, 7.05),
    # Italy
    (45.85, 7.05), (45.50, 7.20), (45.30, 7.15), (45.15, 6.95), (45.05, 6.75), (44.85, 6.95), (44.70, 7.10),
    (44.40, 7.00), (44.15, 7.60), (44.05, 7.75), (43.75, 7.56),
    # Mediterranean (Corsica is a box of its own)
    (43.50, 7.60), (42.85, 6.55), (43.05, 5.30), (43.25, 4.10), (42.85, 3.35), (42.40, 3.30),
    # Spain and Andorra
    (42.40, 2.90), (42.33, 2.50), (42.36, 2.10), (42.37, 1.96), (42.42, 1.88), (42.45, 1.80), (42.62, 1.75),
    (42.68, 1.45), (42.70, 1.15), (42.80, 0.90), (42.86, 0.76), (42.83, 0.70), (42.75, 0.66), (42.68, 0.60),
    (42.68, 0.30), (42.75, 0.00), (42.78, -0.50), (42.93, -0.95), (43.00, -1.30), (43.05, -1.48),
    (43.25, -1.45), (43.29, -1.62), (43.31, -1.74), (43.36, -1.80), (43.40, -1.90),
    # Atlantic and Channel (Jersey and Alderney left out)
    (44.60, -1.45), (45.95, -1.60), (46.30, -1.80), (46.55, -2.00), (46.70, -2.55), (47.25, -3.40),
    (47.75, -4.50), (48.00, -5.00), (48.45, -5.25), (48.85, -4.00), (48.95, -3.40), (48.75, -2.20),
    (48.90, -1.95), (49.75, -2.00), (49.78, -1.20), (49.55, 0.00), (49.80, 0.15), (50.05, 1.20),
    (50.40, 1.45), (50.75, 1.45), (50.95, 1.50), (51.05, 1.75),
)
# Corsica and the overseas départements (DROM): bounding boxes (south, west, north, east) suffice.
_BOXES = {
    "Corse": (41.32, 8.50, 43.05, 9.60),
    "Guadeloupe": (15.80, -61.85, 16.55, -60.95),
    "Martinique": (14.35, -61.25, 14.90, -60.80),
    "Guyane": (2.10, -54.65, 5.80, -51.55),
    "La Réunion": (-21.42, 55.20, -20.85, 55.85),
    "Mayotte": (-13.05, 44.95, -12.60, 45.35),
    # Collectivités d'outre-mer: the gazetteer holds their communes, so a national file has rows there.
    "Saint-Pierre-et-Miquelon": (46.70, -56.45, 47.15, -56.10),
    "Saint-Barthélemy": (17.85, -62.95, 17.98, -62.78),
    "Saint-Martin": (18.04, -63.16, 18.13, -62.96),
    "Wallis-et-Futuna": (-14.50, -178.30, -13.00, -176.00),
    "Polynésie française": (-28.00, -155.00, -7.00, -134.00),
    "Nouvelle-Calédonie": (-23.00, 158.00, -17.50, 168.50),  # with the Chesterfield and Belep islands
}


def _in_polygon(lat: float, lon: float, polygon: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting: count the polygon edges crossed by a ray going east from the point."""
    inside = False
    last_lat, last_lon = polygon[-1]
    for edge_lat, edge_lon in polygon:
        if (edge_lat > lat) != (last_lat > lat):
            crossing_lon = edge_lon + (lat - edge_lat) * (last_lon - edge_lon) / (last_lat - edge_lat)
            if lon < crossing_lon:
                inside = not inside
        last_lat, last_lon = edge_lat, edge_lon
    return inside


def in_france(lat: float, lon: float) -> bool:
    """True for coordinates in mainland France, Corsica, an overseas département or collectivité (coarse outlines)."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    if any(south <= lat <= north and west <= lon <= east for south, west, north, east in _BOXES.values()):
        return True
    return 41.3 <= lat <= 51.2 and -5.3 <= lon <= 8.3 and _in_polygon(lat, lon, _MAINLAND)
