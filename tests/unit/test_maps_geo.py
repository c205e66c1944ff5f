"""Distances, radius searches and the "in France" check."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from maps.gazetteer import Gazetteer
from maps.geo import EARTH_RADIUS_KM, Near, haversine_km, in_france, nearest_first, within_radius

MARSEILLE = (43.29695, 5.38107)  # town centres, as in the shipped gazetteer
ARLES = (43.67681, 4.63031)
PARIS = (48.85341, 2.3488)


@dataclass(frozen=True)
class Place:
    name: str
    lat: float | None
    lon: float | None


def law_of_cosines_km(lat1, lon1, lat2, lon2):
    """An independent formula for the same great-circle distance."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    return EARTH_RADIUS_KM * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))


def test_known_distances():
    assert haversine_km(*PARIS, *MARSEILLE) == pytest.approx(661, rel=0.01)
    assert haversine_km(*MARSEILLE, *ARLES) == pytest.approx(73.8, abs=0.5)
    assert haversine_km(*MARSEILLE, *ARLES) == pytest.approx(law_of_cosines_km(*MARSEILLE, *ARLES), rel=1e-9)
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert haversine_km(45, 0, 46, 0) == pytest.approx(111.19, abs=0.01)


def test_distance_is_symmetric_and_zero_on_the_spot():
    assert haversine_km(*MARSEILLE, *MARSEILLE) == 0
    assert haversine_km(*PARIS, *ARLES) == haversine_km(*ARLES, *PARIS)
    assert haversine_km(0, 179.9, 0, -179.9) == pytest.approx(22.24, abs=0.01)  # across the antimeridian


def test_gazetteer_coordinates_give_the_same_distance():
    gazetteer = Gazetteer.default()
    paris, marseille = gazetteer.lookup("Paris"), gazetteer.lookup("Marseille")
    assert haversine_km(paris.lat, paris.lon, marseille.lat, marseille.lon) == pytest.approx(661, rel=0.01)


def test_radius_edge_is_included_and_just_beyond_is_not():
    centre = MARSEILLE
    edge = Place("edge", 43.40, 5.38107)
    beyond = Place("beyond", 43.4001, 5.38107)
    radius = haversine_km(*centre, edge.lat, edge.lon)
    found = within_radius([beyond, edge], *centre, radius)
    assert [near.item.name for near in found] == ["edge"]
    assert found[0].distance_km == pytest.approx(radius)
    assert within_radius([edge], *centre, radius - 1e-6) == []


def test_radius_results_are_nearest_first_with_stable_ties():
    places = [Place("arles", *ARLES), Place("vieux-port-a", *MARSEILLE), Place("paris", *PARIS),
              Place("vieux-port-b", *MARSEILLE), Place("sans-coordonnees", None, None)]
    found = within_radius(places, *MARSEILLE, 100)
    assert [near.item.name for near in found] == ["vieux-port-a", "vieux-port-b", "arles"]
    assert all(isinstance(near, Near) for near in found)
    assert within_radius(places, *MARSEILLE, 0)[0].distance_km == 0


def test_nearest_first_sorts_everything_and_limits():
    places = [Place("paris", *PARIS), Place("arles", *ARLES), Place("marseille", *MARSEILLE), Place("nulle-part", None, 5)]
    assert [near.item.name for near in nearest_first(places, *MARSEILLE)] == ["marseille", "arles", "paris"]
    assert [near.item.name for near in nearest_first(places, *MARSEILLE, limit=1)] == ["marseille"]


def test_positions_can_come_from_a_function():
    rows = [("arles", ARLES), ("paris", PARIS)]
    found = within_radius(rows, *MARSEILLE, 80, position=lambda row: row[1])
    assert [near.item[0] for near in found] == ["arles"]


@pytest.mark.parametrize("radius", [-1, math.nan])
def test_invalid_radius_is_refused(radius):
    with pytest.raises(ValueError, match="Rayon invalide"):
        within_radius([], *MARSEILLE, radius)


@pytest.mark.parametrize(("lat", "lon"), [
    MARSEILLE, ARLES, PARIS, (43.949, 4.806),  # Avignon
    (48.58, 7.75), (48.39, -4.49), (48.46, -5.08),  # Strasbourg, Brest, Ouessant
    (42.70, 2.90), (43.36, -1.77), (50.95, 1.85), (49.72, -1.94),  # Perpignan, Hendaye, Calais, La Hague
    (41.93, 8.74), (42.70, 9.45),  # Ajaccio, Bastia
    (16.24, -61.53), (14.60, -61.07), (4.94, -52.33), (-20.88, 55.45), (-12.78, 45.23),  # DROM
    (46.78, -56.18), (17.90, -62.85), (18.07, -63.08), (-13.28, -176.17), (-17.54, -149.57), (-22.27, 166.44),  # COM
])
def test_in_france(lat, lon):
    assert in_france(lat, lon)


@pytest.mark.parametrize(("lat", "lon"), [
    (51.51, -0.13), (50.85, 4.35), (49.61, 6.13), (45.07, 7.69), (41.39, 2.17),  # London ... Barcelona
    (42.51, 1.52), (49.19, -2.11), (47.42, 7.08), (41.24, 9.19), (40.42, -3.70),  # Andorra, Jersey, ...
    (0, 0), (40.71, -74.01), (-20.16, 57.50), (math.nan, 2.0), (48.85, math.inf),
])
def test_not_in_france(lat, lon):
    assert not in_france(lat, lon)


def test_every_commune_of_the_gazetteer_is_in_france():
    # Except where the gazetteer has no true position: Polynesia's communes all share one placeholder from La
    # Poste's file (-16.69, -163.03, open sea west of the territory), Clipperton has no inhabitants.
    outside = [c.label for c in Gazetteer.default()
               if c.lat is not None and not c.departement.startswith(("987", "989")) and not in_france(c.lat, c.lon)]
    assert outside == []
