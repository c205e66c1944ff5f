"""Clusters computed on the server: the points of a view, grouped on a grid of screen cells at its zoom.

A national map (100,000 organisations, 50,000 actions) cannot travel to the browser point by point: 4.4 MB
and a second of JSON at 50,000. The page sends instead what the current view shows, at its zoom: every
cell of ``cell_px`` screen pixels holding several points becomes one cluster (its count, the count of
each category, its centre of gravity and its bounds, to zoom into on a click), a cell with one point that
point. Once few points remain in view, they go one by one (the browser clusters them as before). Pure
numpy over arrays built once per data set: a few milliseconds per view.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TILE = 256  # Web Mercator: the world is TILE * 2**zoom pixels wide


@dataclass(frozen=True)
class PointArrays:
    """Points as columns: positions and category indices as arrays, ids and titles as lists (a row is built
    only for a point a view shows: 150,000 rows kept as lists would weigh tens of megabytes per data set)."""

    lat: np.ndarray
    lon: np.ndarray
    category: np.ndarray
    ids: Sequence[str]
    titles: Sequence[str]

    @classmethod
    def of(cls, lat: Sequence[float], lon: Sequence[float], category: Sequence[int], ids: Sequence[str],
           titles: Sequence[str]) -> PointArrays:
        """Columns of equal length."""
        return cls(np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64),
                   np.asarray(category, dtype=np.int32), list(ids), list(titles))

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, index: int) -> list:
        """The compact row the browser draws: [lat, lon, id, category index, layer 0, title]."""
        return [round(float(self.lat[index]), 6), round(float(self.lon[index]), 6), self.ids[index],
                int(self.category[index]), 0, self.titles[index]]


@dataclass(frozen=True)
class ViewPoints:
    """What one view shows: single points (rows), clusters, and how many points lie in the view."""

    points: list[list]
    clusters: list[list]  # [lat, lon, count, [count per category], [south, west, north, east]]
    in_view: int
    indices: np.ndarray  # indices of the points in the view, in their rows' order


def _pixels(lat: np.ndarray, lon: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    scale = TILE * 2.0 ** zoom
    sin = np.sin(np.radians(np.clip(lat, -85.0511, 85.0511)))
    x = (lon + 180.0) / 360.0 * scale
    y = (0.5 - np.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * scale
    return x, y


def in_bounds(points: PointArrays, south: float, west: float, north: float, east: float) -> np.ndarray:
    """Indices of the points inside the box (west > east: the box crosses the antimeridian)."""
    lat_ok = (points.lat >= south) & (points.lat <= north)
    lon_ok = ((points.lon >= west) & (points.lon <= east)) if west <= east else \
        ((points.lon >= west) | (points.lon <= east))
    return np.flatnonzero(lat_ok & lon_ok)


def view(points: PointArrays, box: tuple[float, float, float, float], zoom: int, categories: int,
         cell_px: int = 80, singles_up_to: int = 600) -> ViewPoints:
    """The points and clusters of a view; every point in it when there are at most ``singles_up_to``."""
    indices = in_bounds(points, *box)
    if len(indices) <= singles_up_to:
        return ViewPoints([points.row(i) for i in indices], [], len(indices), indices)
    lat, lon, category = points.lat[indices], points.lon[indices], points.category[indices]
    x, y = _pixels(lat, lon, zoom)
    cells = (np.floor(x / cell_px).astype(np.int64) << 32) + np.floor(y / cell_px).astype(np.int64)
    keys, inverse, counts = np.unique(cells, return_inverse=True, return_counts=True)
    n = len(keys)
    sum_lat = np.bincount(inverse, weights=lat, minlength=n)
    sum_lon = np.bincount(inverse, weights=lon, minlength=n)
    by_category = np.bincount(inverse * categories + np.clip(category, 0, categories - 1),
                              minlength=n * categories).reshape(n, categories)
    south = np.full(n, np.inf)
    north = np.full(n, -np.inf)
    west = np.full(n, np.inf)
    east = np.full(n, -np.inf)
    np.minimum.at(south, inverse, lat)
    np.maximum.at(north, inverse, lat)
    np.minimum.at(west, inverse, lon)
    np.maximum.at(east, inverse, lon)
    singles = counts == 1
    # A cell's single point: the first index of that cell (there is only one).
    first = np.full(n, -1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    single_rows = [points.row(indices[first[c]]) for c in np.flatnonzero(singles)]
    clusters = [[round(float(sum_lat[c] / counts[c]), 5), round(float(sum_lon[c] / counts[c]), 5), int(counts[c]),
                 by_category[c].tolist(), [round(float(south[c]), 5), round(float(west[c]), 5),
                                           round(float(north[c]), 5), round(float(east[c]), 5)]]
                for c in np.flatnonzero(~singles)]
    return ViewPoints(single_rows, clusters, len(indices), indices)


def view_box(lat: float, lon: float, zoom: int, width_px: int = 1400, height_px: int = 900) -> tuple[float, ...]:
    """(south, west, north, east) of a screen of that size centred on a point at a zoom (a first view)."""
    scale = TILE * 2.0 ** zoom
    x, y = _pixels(np.array([lat]), np.array([lon]), zoom)
    half_w, half_h = width_px / 2, height_px / 2
    west = (x[0] - half_w) / scale * 360.0 - 180.0
    east = (x[0] + half_w) / scale * 360.0 - 180.0

    def latitude(pixel_y: float) -> float:
        n = math.pi - 2 * math.pi * pixel_y / scale
        return math.degrees(math.atan(math.sinh(n)))

    return (max(-85.0, latitude(y[0] + half_h)), max(-180.0, west), min(85.0, latitude(y[0] - half_h)),
            min(180.0, east))


def fit_zoom(south: float, west: float, north: float, east: float, width_px: int = 1000, height_px: int = 600,
             max_zoom: int = 13) -> int:
    """The largest zoom at which the box fits a screen of that size."""
    for zoom in range(max_zoom, 0, -1):
        x, y = _pixels(np.array([south, north]), np.array([west, east]), zoom)
        if abs(x[1] - x[0]) <= width_px and abs(y[1] - y[0]) <= height_px:
            return zoom
    return 1


def distances_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine, km) from one point to many."""
    phi1, phi2 = math.radians(lat), np.radians(lats)
    dphi, dlambda = phi2 - phi1, np.radians(lons - lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
