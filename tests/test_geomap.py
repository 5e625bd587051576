"""The map of places: TopoJSON decoding in the extract tool, projection, clipping, label placement, the real map."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT

from edition.geomap import (
    Basemap,
    Country,
    MapDrawing,
    Marker,
    Place,
    draw_map,
    line_distance,
    load_basemap,
    parse_basemap,
    simplify,
    write_tenths,
)
from edition.glossary import load_glossary
from tools.extract_map import decode_arcs, extract, shared_arcs, stitch_ring

BASEMAP = ROOT / "data/map/ostasien.json"
# The test's own estimate of a label's box, independent of the module's: 7 px per character at 12 px, from
# 80 % of the font size above the baseline to 25 % below it.
CHAR, ABOVE, BELOW = 7.0, 9.6, 3.0

# A square of quantized positions 0…4, split down the middle by a shared arc: two countries, one border.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [100.0, 40.0]},
    "arcs": [
        [[2, 0], [0, 4]],  # 0: the shared middle line, (2,0) → (2,4)
        [[2, 4], [-2, 0], [0, -4], [2, 0]],  # 1: the west country's outer edge, (2,4) → (0,4) → (0,0) → (2,0)
        [[2, 0], [2, 0], [0, 4], [-2, 0]],  # 2: the east country's outer edge, (2,0) → (4,0) → (4,4) → (2,4)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "West"}},
                {"type": "MultiPolygon", "arcs": [[[2, ~0]]], "id": "002", "properties": {"name": "East"}},
            ],
        }
    },
}


def edition_places() -> list[Place]:
    """Every place of the real glossary that has coordinates, as the build would pass them."""
    glossary, problems = load_glossary(ROOT / "glossary.yaml", ROOT)
    assert glossary is not None, problems
    return [Place(e.id, e.term, *e.coordinates, e.url) for e in glossary.entries if e.kind == "place" and e.coordinates]


@pytest.fixture(scope="module")
def edition_map() -> MapDrawing:
    """The edition's map, drawn once for the tests that only look at it."""
    return draw_map(load_basemap(BASEMAP), edition_places())


def small_basemap() -> Basemap:
    """A base map of one big square country with a border through it, for tests that need no real coasts."""
    ring = ((95.0, 15.0), (165.0, 15.0), (165.0, 65.0), (95.0, 65.0))
    return Basemap((90.0, 10.0, 170.0, 70.0), (Country("1", "Land", (ring,)),), (((130.0, 15.0), (130.0, 65.0)),))


def label_box(marker: Marker) -> tuple[float, float, float, float]:
    """A label's box as the test estimates it: left, top, right, bottom."""
    width = CHAR * len(marker.name)
    left = {"start": marker.label_x, "end": marker.label_x - width, "middle": marker.label_x - width / 2}[marker.anchor]
    return left, marker.label_y - ABOVE, left + width, marker.label_y + BELOW


def boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_labels_readable(drawing: MapDrawing) -> None:
    """No two labels overlap, none covers another place's dot, all stay inside the drawing."""
    boxes = [label_box(marker) for marker in drawing.markers]
    for marker, box in zip(drawing.markers, boxes, strict=True):
        assert box[0] >= 0 and box[2] <= drawing.width and box[1] >= 0 and box[3] <= drawing.height, marker
        for other in drawing.markers:
            r = drawing.dot_radius
            apart = abs(other.x - marker.x) > 2 * r + 1 or abs(other.y - marker.y) > 2 * r + 1
            if other is not marker and apart:
                assert not boxes_overlap(box, (other.x - r, other.y - r, other.x + r, other.y + r)), (marker, other)
    for i in range(len(boxes)):
        for j in range(i):
            assert not boxes_overlap(boxes[i], boxes[j]), (drawing.markers[i].name, drawing.markers[j].name)


def absolute_points(d: str) -> list[tuple[float, float]]:
    """The positions a path of `M x y l dx dy … Z` commands visits."""
    points: list[tuple[float, float]] = []
    for command, numbers in re.findall(r"([MlZ])([^MlZ]*)", d):
        values = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", numbers)]
        pairs = list(zip(values[::2], values[1::2], strict=True))
        if command == "M":
            points.append(pairs[0])
        elif command == "l":
            for dx, dy in pairs:
                x, y = points[-1]
                points.append((round(x + dx, 1), round(y + dy, 1)))
    return points


def test_decodes_delta_encoded_arcs() -> None:
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0] == [(101.0, 40.0), (101.0, 41.0)]
    assert arcs[1] == [(101.0, 41.0), (100.0, 41.0), (100.0, 40.0), (101.0, 40.0)]


def test_stitches_rings_with_reversed_arcs() -> None:
    arcs = decode_arcs(TOPOLOGY)
    west = stitch_ring([0, 1], arcs)
    east = stitch_ring([2, ~0], arcs)
    assert west == [(101.0, 40.0), (101.0, 41.0), (100.0, 41.0), (100.0, 40.0), (101.0, 40.0)]
    assert east == [(101.0, 40.0), (102.0, 40.0), (102.0, 41.0), (101.0, 41.0), (101.0, 40.0)]


def test_a_border_is_an_arc_two_countries_share() -> None:
    assert shared_arcs(TOPOLOGY["objects"]["countries"]["geometries"]) == [0]


def test_extract_writes_a_basemap_the_module_reads() -> None:
    text = extract(TOPOLOGY, region=(100.0, 40.0, 101.5, 41.0))
    assert text == extract(TOPOLOGY, region=(100.0, 40.0, 101.5, 41.0))
    basemap = parse_basemap(json.loads(text))
    assert basemap.bbox == (100.0, 40.0, 101.5, 41.0)
    assert [(c.id, c.name) for c in basemap.countries] == [("001", "West"), ("002", "East")]
    east = basemap.countries[1].rings[0]
    assert max(x for x, _ in east) == 101.5  # clipped to the region
    assert basemap.borders == (((101.0, 40.0), (101.0, 41.0)),)


def test_an_outline_across_the_antimeridian_is_clipped_at_it() -> None:
    # Like Russia's: from 170° E over 180° to 175° W and back; the step from 180° to -180° must not become a
    # line across the whole map once clipped.
    arc = [[170, 60], [179, 60], [-175, 60], [-175, 65], [179, 65], [170, 65], [170, 60]]
    topology = {
        "type": "Topology",
        "arcs": [arc],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "643", "properties": {"name": "East"}}],
            }
        },
    }
    (ring,) = parse_basemap(json.loads(extract(topology, region=(160.0, 50.0, 180.0, 70.0)))).countries[0].rings
    assert min(x for x, _ in ring) == 170 and max(x for x, _ in ring) == 180
    assert sorted(set(ring)) == [(170, 60), (170, 65), (180, 60), (180, 65)]


def test_simplify_keeps_ends_and_corners() -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 1.0)]
    assert simplify(line, 0.05) == [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0)]


def test_simplify_keeps_an_island_whose_arc_is_closed() -> None:
    # First and last point coincide: distances are measured from that point, so the island keeps its shape.
    ring = [(0.0, 0.0), (1.0, 0.02), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    assert simplify(ring, 0.05) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]


coordinates = st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(coordinates, coordinates), min_size=2, max_size=40, unique=True), st.floats(0.01, 5))
def test_simplify_drops_only_points_within_tolerance(points: list[tuple[float, float]], tolerance: float) -> None:
    kept = simplify(points, tolerance)
    indices = []
    for point in kept:  # the result is a subsequence of the input (distinct points) with both ends
        indices.append(points.index(point, indices[-1] + 1 if indices else 0))
    assert indices[0] == 0 and indices[-1] == len(points) - 1
    for first, last in itertools.pairwise(indices):
        for dropped in points[first + 1 : last]:
            assert line_distance(dropped, points[first], points[last]) <= tolerance + 1e-9


@pytest.mark.parametrize("tenths, text", [(123, "12.3"), (-5, "-.5"), (0, "0"), (10, "1"), (-120, "-12"), (7, ".7")])
def test_numbers_are_written_short(tenths: int, text: str) -> None:
    assert write_tenths(tenths) == text


def test_places_keep_their_relative_positions(edition_map: MapDrawing) -> None:
    at = {marker.id: marker for marker in edition_map.markers}
    pyongyang = at["pjoengjang"]
    assert at["moskau"].x < pyongyang.x
    assert at["wladiwostok"].x > pyongyang.x and at["wladiwostok"].y < pyongyang.y
    assert at["seoul"].y > pyongyang.y
    assert at["peking"].x < pyongyang.x


def test_the_projection_scales_longitude_by_the_middle_latitude() -> None:
    # One degree east at 60° N is about half as wide as one degree north (the middle latitude is 60.5°).
    places = [
        Place("a", "A", 60.0, 120.0, "a/"),
        Place("b", "B", 60.0, 121.0, "b/"),
        Place("c", "C", 61.0, 120.0, "c/"),
    ]
    drawing = draw_map(small_basemap(), places)
    a, b, c = drawing.markers
    assert b.x - a.x == pytest.approx((a.y - c.y) * math.cos(math.radians(60.5)), abs=0.2)


def test_a_cluster_does_not_fill_the_map() -> None:
    places = [Place("a", "Aaa", 43.1, 131.9, "a/"), Place("b", "Bbb", 43.0, 131.8, "b/")]
    drawing = draw_map(small_basemap(), places)
    a, b = drawing.markers
    assert abs(a.x - b.x) < drawing.width / 20
    assert drawing.width / 3 < a.x < drawing.width * 2 / 3


DRAW_IN_A_PROCESS = """
from pathlib import Path
from edition.geomap import Place, draw_map, load_basemap
from edition.glossary import load_glossary
root = Path.cwd()
glossary, _ = load_glossary(root / "glossary.yaml", root)
places = [Place(e.id, e.term, *e.coordinates, e.url) for e in glossary.entries if e.kind == "place" and e.coordinates]
print(repr(draw_map(load_basemap(root / "data/map/ostasien.json"), places)))
"""


def test_drawing_is_the_same_in_processes_with_different_hash_seeds(edition_map: MapDrawing) -> None:
    # Set and dict order of strings changes with PYTHONHASHSEED: the drawing, labels placed in turn, may not.
    drawings = {
        seed: subprocess.Popen(
            [sys.executable, "-c", DRAW_IN_A_PROCESS],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    }
    printed = {seed: process.communicate(timeout=120)[0].strip() for seed, process in drawings.items()}
    assert printed["1"] == printed["2"] == repr(edition_map)


def test_labels_of_the_edition_do_not_collide(edition_map: MapDrawing) -> None:
    assert_labels_readable(edition_map)


def test_leaders_run_from_the_dot_to_the_label(edition_map: MapDrawing) -> None:
    led = [marker for marker in edition_map.markers if marker.leader]
    assert led, "the Korean and Primorje clusters need leader lines"
    for marker in led:
        x1, y1, x2, y2 = marker.leader
        assert abs(x1 - marker.x) <= edition_map.dot_radius + 0.1 and abs(y1 - marker.y) <= edition_map.dot_radius + 0.1
        left, top, right, bottom = label_box(marker)
        assert left - 5 <= x2 <= right + 5 and top - 5 <= y2 <= bottom + 5, marker


def test_places_beyond_the_basemap_are_listed_apart() -> None:
    places = [
        Place("pjoengjang", "Pjöngjang", 39.02, 125.74, "p/"),
        Place("washington", "Washington", 38.9, -77.0, "w/"),
    ]
    drawing = draw_map(small_basemap(), places)
    assert [m.id for m in drawing.markers] == ["pjoengjang"]
    assert [p.id for p in drawing.outside] == ["washington"]


def test_the_edition_map_holds_every_place_but_washington(edition_map: MapDrawing) -> None:
    places = edition_places()
    west, south, east, north = load_basemap(BASEMAP).bbox
    beyond = {p.id for p in places if not (west <= p.lon <= east and south <= p.lat <= north)}
    assert "washington" in beyond  # the edition has a place beyond the base map, so the list apart is tested
    assert {p.id for p in edition_map.outside} == beyond
    assert {m.id for m in edition_map.markers} == {p.id for p in places} - beyond
    assert edition_map.width == 720 and 300 <= edition_map.height <= 720


def test_the_edition_map_stays_small(edition_map: MapDrawing) -> None:
    size = sum(map(len, edition_map.land)) + sum(map(len, edition_map.borders))
    assert size < 40_000
    assert BASEMAP.stat().st_size < 150_000


def test_paths_are_clipped_to_the_drawing(edition_map: MapDrawing) -> None:
    for d in (*edition_map.land, *edition_map.borders):
        for x, y in absolute_points(d):
            assert -2.1 <= x <= edition_map.width + 2.1 and -2.1 <= y <= edition_map.height + 2.1


def test_the_basemap_names_its_countries() -> None:
    basemap = load_basemap(BASEMAP)
    assert basemap.bbox == (20.0, 10.0, 180.0, 75.0)
    names = {c.id: c.name for c in basemap.countries}
    assert names["408"] == "North Korea" and names["643"] == "Russia" and names["156"] == "China"


NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß ", min_size=3, max_size=18).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(30.0, 55.0), st.floats(110.0, 150.0), NAMES), min_size=1, max_size=7))
def test_labels_never_collide_for_a_few_places(found: list[tuple[float, float, str]]) -> None:
    places = [Place(f"p{i}", name, lat, lon, f"p{i}/") for i, (lat, lon, name) in enumerate(found)]
    drawing = draw_map(small_basemap(), places)
    assert len(drawing.markers) == len(places)
    assert_labels_readable(drawing)


def test_the_region_of_the_articles_has_a_map_of_its_own(edition_map: MapDrawing) -> None:
    region = edition_map.region
    assert region is not None and region.width <= 360  # drawn for a phone's width, labels at their size
    names = {marker.name for marker in region.markers}
    assert {"Pjöngjang", "Wladiwostok", "Chassan", "Kosmodrom Wostotschny"} <= names
    assert "Moskau" not in names
    assert_labels_readable(region)


def test_places_all_in_one_region_get_no_second_map() -> None:
    places = [Place("a", "A", 40.0, 120.0, "a/"), Place("b", "B", 42.0, 125.0, "b/")]
    assert draw_map(small_basemap(), places).region is None
