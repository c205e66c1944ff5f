"""Clusters computed on the server: a view's points grouped by screen cell at its zoom."""

from __future__ import annotations

from maps.clusters import PointArrays, fit_zoom, in_bounds, view, view_box


def _points(coordinates, categories=None):
    n = len(coordinates)
    return PointArrays.of([c[0] for c in coordinates], [c[1] for c in coordinates], categories or [0] * n,
                          [f"a{i}" for i in range(n)], [f"Action {i}" for i in range(n)])


def test_far_apart_groups_become_clusters_with_counts_by_category_and_bounds():
    marseille = [(43.29 + i * 1e-5, 5.37 + i * 1e-5) for i in range(400)]
    avignon = [(43.94 + i * 1e-5, 4.80) for i in range(300)]
    points = _points(marseille + avignon + [(45.76, 4.84)], [i % 3 for i in range(701)])
    shown = view(points, (42.0, 3.0, 47.0, 7.0), zoom=7, categories=3, singles_up_to=100)
    assert shown.in_view == 701
    by_count = sorted(shown.clusters, key=lambda c: -c[2])
    assert [c[2] for c in by_count] == [400, 300]
    assert sum(by_count[0][3]) == 400 and by_count[0][3] == [134, 133, 133]
    south, west, north, east = by_count[0][4]
    assert (south, west) == (43.29, 5.37) and abs(north - 43.29399) < 1e-6 and abs(east - 5.37399) < 1e-6
    assert abs(by_count[0][0] - 43.291995) < 1e-4  # its centre of gravity
    assert shown.points == [[45.76, 4.84, "a700", 1, 0, "Action 700"]]  # alone in its cell: a point


def test_a_view_with_few_points_sends_every_one_and_nothing_outside():
    points = _points([(43.29, 5.37), (43.30, 5.38), (48.85, 2.35)])
    shown = view(points, (43.0, 5.0, 43.5, 5.5), zoom=12, categories=1)
    assert shown.clusters == [] and [row[2] for row in shown.points] == ["a0", "a1"] and shown.in_view == 2


def test_boxes_across_the_antimeridian_and_first_views():
    points = _points([(-17.5, -149.5), (-22.3, 166.4), (43.3, 5.4)])  # Tahiti, Nouméa, Marseille
    assert list(in_bounds(points, -30, 160, 0, -140)) == [0, 1]
    south, west, north, east = view_box(43.3, 5.4, 12)
    assert south < 43.3 < north and west < 5.4 < east and east - west < 0.5
    assert fit_zoom(41.3, -5.2, 51.1, 9.6) == 5  # mainland France on a 1000 × 600 screen
    assert fit_zoom(43.2, 5.3, 43.4, 5.5) >= 11
