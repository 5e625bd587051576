"""world-atlas's `countries-50m.json` (TopoJSON) in, the edition's small base map `data/map/ostasien.json` out.

A one-off developer tool, not part of the build; `data/map/README.md` says how to run it. Plain Python, no
dependencies: the build reads only the extract this writes, so nobody needs npm to build the edition.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from edition.geomap import bounds, clip_line, clip_ring, ring_area, simplify
from edition.paths import CODE

Point = tuple[float, float]  # (lon, lat) in degrees, the order TopoJSON and GeoJSON use
Line = tuple[Point, ...]

# The region holds every place of the edition except Washington: Moscow in the west, the Pacific coast in the
# east, Korea in the south, Russia's Arctic coast in the north.
REGION = (20.0, 10.0, 180.0, 75.0)  # west, south, east, north
# 0.05° is about 5 km, under half a pixel at the scale the edition draws (Moscow to Vladivostok in 720 px)
# and still under 3 px at the closest zoom the map allows.
TOLERANCE = 0.05
GRID = 20  # coordinates are written as multiples of 1/GRID degree, i.e. 0.05°
# Islands smaller than this (in square degrees, before clipping) are specks at the edition's scale.
MIN_RING_AREA = 0.02
# world-atlas names Natural Earth's countries in English; the edition writes German, but nothing prints these
# names, so they stay as the source has them.
SOURCE = "Natural Earth 1:50m Cultural Vectors (Admin 0 – Countries) via world-atlas 2.0.2, countries-50m.json"


@dataclass(frozen=True)
class Country:
    """One country's outline: its ISO 3166-1 numeric code, its English name, its rings."""

    id: str
    name: str
    rings: tuple[Line, ...]


def decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Every arc of a topology as absolute positions in degrees (undoing quantisation and delta encoding)."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def stitch_ring(indices: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """A ring's positions from its arc indices; `~i` (that is, `-i - 1`) walks arc `i` backwards."""
    ring: list[Point] = []
    for index in indices:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining position; keep it once.
        ring.extend(arc[1:] if ring else arc)
    return ring


def polygons_of(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings of arc indices (empty for anything but polygons)."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def arc_indices(geometry: Mapping[str, Any]) -> set[int]:
    """The arcs a geometry uses, as non-negative indices."""
    return {index if index >= 0 else ~index for polygon in polygons_of(geometry) for ring in polygon for index in ring}


def shared_arcs(geometries: Sequence[Mapping[str, Any]]) -> list[int]:
    """The arcs two different geometries use: the land borders (topojson's `mesh` with `a !== b`)."""
    users: dict[int, int] = {}
    for geometry in geometries:
        for index in arc_indices(geometry):
            users[index] = users.get(index, 0) + 1
    return sorted(index for index, count in users.items() if count >= 2)


def snap(value: float) -> float:
    """A coordinate on the 0.05° grid, as the shortest float that prints it (131.85, not 131.85000000000002)."""
    return round(value * GRID) / GRID


def snap_line(points: Iterable[Point]) -> list[Point]:
    """Positions on the grid, with repeats that snapping creates removed."""
    out: list[Point] = []
    for x, y in points:
        point = (snap(x), snap(y))
        if not out or out[-1] != point:
            out.append(point)
    return out


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two rectangles (west, south, east, north) share any point."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def extract_countries(
    topology: Mapping[str, Any], arcs: Sequence[Sequence[Point]], region: tuple[float, float, float, float]
) -> list[Country]:
    """Every country that reaches into the region, its rings clipped to it, on the grid."""
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings: list[Line] = []
        for polygon in polygons_of(geometry):
            for indices in polygon:
                ring = unwrap(stitch_ring(indices, arcs))
                if len(ring) < 4 or ring_area(ring) < MIN_RING_AREA:
                    continue
                for copy in copies_in(ring[:-1], region):
                    clipped = snap_line(clip_ring(copy, region))
                    if len(clipped) > 1 and clipped[0] == clipped[-1]:
                        clipped.pop()
                    if len(clipped) >= 3 and ring_area(clipped) > 0:
                        rings.append(tuple(clipped))
        if rings:
            countries.append(
                Country(str(geometry.get("id", "")), geometry.get("properties", {}).get("name", ""), tuple(rings))
            )
    return sorted(countries, key=lambda c: (c.id, c.name))


def extract_borders(
    topology: Mapping[str, Any], arcs: Sequence[Sequence[Point]], region: tuple[float, float, float, float]
) -> list[Line]:
    """The land borders inside the region, joined into as few lines as their ends allow, on the grid."""
    lines: list[list[Point]] = []
    for index in shared_arcs(topology["objects"]["countries"]["geometries"]):
        for copy in copies_in(arcs[index], region):
            for piece in clip_line(copy, region):
                snapped = snap_line(piece)
                if len(snapped) >= 2:
                    lines.append(snapped)
    return sorted(tuple(line) for line in join_lines(lines))


def join_lines(lines: Sequence[Sequence[Point]]) -> list[list[Point]]:
    """Lines joined where exactly two of them end at the same position, so a border is one path, not many."""
    pieces = [list(line) for line in lines]
    while True:
        ends: dict[Point, list[int]] = {}
        for i, line in enumerate(pieces):
            if line[0] != line[-1]:
                ends.setdefault(line[0], []).append(i)
                ends.setdefault(line[-1], []).append(i)
        # Where three borders meet (a tripoint) any pairing would do; leaving them apart keeps the result
        # independent of the order arcs come in.
        meeting = next(
            ((point, found) for point, found in sorted(ends.items()) if len(found) == 2 and found[0] != found[1]), None
        )
        if meeting is None:
            return pieces
        point, (i, j) = meeting
        first = pieces[i] if pieces[i][-1] == point else pieces[i][::-1]
        second = pieces[j] if pieces[j][0] == point else pieces[j][::-1]
        pieces[i] = first + second[1:]
        del pieces[j]


def simplify_arcs(arcs: Sequence[Sequence[Point]], tolerance: float) -> list[list[Point]]:
    """Every arc simplified on its own, so two countries that share a border keep sharing it exactly."""
    return [simplify(arc, tolerance) for arc in arcs]


def write_number(value: float) -> str:
    """A grid coordinate as short JSON: `130` rather than `130.0`."""
    return str(int(value)) if value == int(value) else repr(value)


def write_line(line: Sequence[Point]) -> str:
    """Positions as a JSON array of [lon, lat] pairs."""
    return "[" + ",".join(f"[{write_number(x)},{write_number(y)}]" for x, y in line) + "]"


def write_basemap(
    countries: Sequence[Country], borders: Sequence[Line], region: tuple[float, float, float, float]
) -> str:
    """The extract as JSON, keys sorted, one country or border per line so a regeneration diffs readably."""
    country_rows = [
        f'{{"id":{json.dumps(c.id)},"name":{json.dumps(c.name, ensure_ascii=False)},'
        f'"rings":[{",".join(write_line(ring) for ring in c.rings)}]}}'
        for c in countries
    ]
    border_rows = [write_line(line) for line in borders]
    tail = {"grid": 1 / GRID, "licence": "Natural Earth: public domain; world-atlas: ISC", "source": SOURCE}
    bbox = ",".join(write_number(value) for value in region)
    return (
        f'{{"bbox":[{bbox}],\n"borders":[\n'
        + ",\n".join(border_rows)
        + '\n],\n"countries":[\n'
        + ",\n".join(country_rows)
        + "\n],\n"
        + json.dumps(tail, ensure_ascii=False, sort_keys=True, separators=(",", ":"))[1:-1]
        + "}\n"
    )


def unwrap(points: Sequence[Point]) -> list[Point]:
    """Positions made continuous across the antimeridian: after 179.9° comes 180.1°, not -179.9°.

    Russia's outline crosses it (Chukotka reaches 169° W); left as it is, the step from 180° to -180° would
    run straight across the map once the outline is clipped, and cut a band out of Siberia."""
    out: list[Point] = []
    shift = 0.0
    for x, y in points:
        if out:
            while x + shift - out[-1][0] > 180:
                shift -= 360
            while x + shift - out[-1][0] < -180:
                shift += 360
        out.append((x + shift, y))
    return out


def copies_in(points: Sequence[Point], region: tuple[float, float, float, float]) -> list[list[Point]]:
    """The line, and its copies a turn east or west, that reach into the region (an unwrapped line may lie
    partly beyond ±180°)."""
    copies = [[(x + turn, y) for x, y in points] for turn in (-360.0, 0.0, 360.0)]
    return [copy for copy in copies if overlaps(bounds(copy), region)]


def extract(
    topology: Mapping[str, Any], region: tuple[float, float, float, float] = REGION, tolerance: float = TOLERANCE
) -> str:
    """The whole extraction: decode, unwrap and simplify per arc, clip, snap, write."""
    arcs = simplify_arcs([unwrap(arc) for arc in decode_arcs(topology)], tolerance)
    return write_basemap(extract_countries(topology, arcs, region), extract_borders(topology, arcs, region), region)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: `python tools/extract_map.py node_modules/world-atlas/countries-50m.json`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's countries-50m.json")
    parser.add_argument("--out", type=Path, default=CODE.basemap)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="Douglas–Peucker tolerance in degrees")
    args = parser.parse_args(argv)
    text = extract(json.loads(args.topojson.read_text(encoding="utf-8")), tolerance=args.tolerance)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.encode('utf-8')):,} Bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
