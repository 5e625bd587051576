"""A base map and the edition's places in, a `MapDrawing` out: land, borders and labelled markers as SVG data;
and which of the glossary's places the map shows."""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .glossary import Entry, german_sort_key
from .paths import CODE

LonLat = tuple[float, float]  # degrees, in the order GeoJSON uses
Point = tuple[float, float]  # pixels, y downwards
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels
Segment = tuple[float, float, float, float]  # x1, y1, x2, y2 in pixels

# Of the places' extent, on each side; when a label finds no free spot, the next, wider margin is tried,
# since room for labels matters more than a close fit.
MARGINS = (0.1, 0.2, 0.3, 0.45)
MIN_SPAN = 15.0  # degrees of latitude (about 1,700 km): a cluster of places must not fill the map
# Between a banner and a square: a wide extent gets height for the labels, a tall one is not drawn taller
# than wide.
MIN_RATIO, MAX_RATIO = 0.5, 1.0  # height / width
PAD = 2.0  # land and borders run this far past the edge, so their strokes do not end inside the picture
TOLERANCE = 0.7  # pixels: what moves a line by less than this hardly shows, and costs bytes

FONT_SIZE = 12
# Label boxes are estimates, as there are no font metrics at build time. The widths (at 12 px, rounded up) are
# DejaVu Sans's, the widest font the edition's sans-serif stack falls back to; the system fonts elsewhere are
# narrower. Characters not named count 7.7 px; a label is never counted narrower than 7 px per character.
CHAR_WIDTH = 7.0
NARROW, WIDE, WIDEST = "fijlrtIJ.,:;!'’()- ", "ABCDGHNOQRSUVXZÄÖÜ", "mwMW"  # 4.8, 9.5 and 12 px
ASCENT, DESCENT = 11.0, 3.0  # above and below the baseline: the font's box
DOT_RADIUS = 3.5
GAP = 3.0  # between a dot and its label
SPACING = 2.0  # kept free between two labels, and between a label and the drawing's edge
# Kept free between a label and every dot but its own: three times the gap to its own dot, so that no label
# seems to belong to another place than the dot or leader it stands at.
CLEARANCE = 3 * GAP
# Where a label does not fit beside its dot, it moves away along a leader line, of one of these lengths and
# directions (degrees, y down).
LEADER_LENGTHS = (16.0, 24.0, 34.0, 46.0, 60.0, 76.0, 94.0, 114.0, 136.0, 160.0)
LEADER_ANGLES = (0, 180, -25, 25, 205, 155, -50, 50, 230, 130, -70, 70, 250, 110, -90, 90)
# A leader costs 10 + its length, plus up to SLANT the steeper it runs: sideways leaders let the labels of
# a cluster stand in a column beside it. Two labels colliding cost COLLISION.
SLANT = 6.0
COLLISION = 1000.0
# The search for the cheapest layout: steps per label that can move, and the temperatures it runs between.
ANNEAL_STEPS, ANNEAL_HOT, ANNEAL_COLD = 250, 60.0, 0.5
ANNEAL_SEEDS = (1, 2, 3, 4)
MAX_OPTIONS = 64  # spots per label the search considers, cheapest first: enough for a dense cluster


BASEMAP = CODE.basemap
# Labels need room: an archive naming hundreds of places shows the most often named on the map, all in the list.
MAP_PLACES = 40


@dataclass(frozen=True)
class Country:
    """One country's outline on the base map: its ISO 3166-1 numeric code, its (English) name, its rings."""

    id: str
    name: str
    rings: tuple[tuple[LonLat, ...], ...]


@dataclass(frozen=True)
class Basemap:
    """The extracted base map: the region it covers (west, south, east, north), countries, land borders."""

    bbox: tuple[float, float, float, float]
    countries: tuple[Country, ...]
    borders: tuple[tuple[LonLat, ...], ...]


@dataclass(frozen=True)
class Place:
    """A place to mark: the glossary entry's id, its German name, its position, the link to its page."""

    id: str
    name: str
    lat: float
    lon: float
    url: str


@dataclass(frozen=True)
class Marker:
    """A place as drawn: its dot at (x, y), its label's anchor point and `text-anchor`, and the leader line
    (x1, y1, x2, y2) from the dot to a label that had to move away from it, if any."""

    id: str
    name: str
    url: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # "start", "end" or "middle"
    leader: Segment | None = None


@dataclass(frozen=True)
class MapDrawing:
    """Everything a template needs to write the map's `<svg>`: its size, path data, markers, and the places that
    lie beyond the base map (to be listed in words). Labels were placed for `font_size` and `dot_radius`."""

    width: int
    height: int
    land: tuple[str, ...]
    borders: tuple[str, ...]
    markers: tuple[Marker, ...]
    outside: tuple[Place, ...]
    font_size: int = FONT_SIZE
    dot_radius: float = DOT_RADIUS
    # The region most of the places lie in, drawn on its own and small enough to show at a phone's width
    # with labels at their size; None when every place lies in it anyway.
    region: MapDrawing | None = None


@dataclass(frozen=True)
class View:
    """The drawn window: its west and north edge in projected units, the longitude factor, pixels per unit."""

    west: float
    north: float
    k: float
    scale: float
    width: int
    height: int


def load_basemap(path: Path) -> Basemap:
    """Read the base map that `tools/extract_map.py` wrote."""
    return parse_basemap(json.loads(path.read_text(encoding="utf-8")))


def parse_basemap(data: Mapping[str, Any]) -> Basemap:
    """The base map's JSON as frozen data."""
    west, south, east, north = (float(value) for value in data["bbox"])
    countries = tuple(
        Country(
            str(c["id"]), str(c["name"]), tuple(tuple((float(x), float(y)) for x, y in ring) for ring in c["rings"])
        )
        for c in data["countries"]
    )
    borders = tuple(tuple((float(x), float(y)) for x, y in line) for line in data["borders"])
    return Basemap((west, south, east, north), countries, borders)


# The region map: places within this many degrees (longitude scaled by latitude) of the place that has the
# most named places around it (about 1,700 km: Korea, Primorje and the Amur together), drawn this wide.
REGION_RADIUS = 15.0
REGION_WIDTH = 340


@lru_cache(maxsize=4)
def map_of(basemap: bytes, places: tuple[Place, ...]) -> MapDrawing:
    """`draw_map` for a base map's JSON, kept per process: laying out the labels takes most of a second, and a
    process that builds again (the preview) mostly asks for the same map."""
    return draw_map(parse_basemap(json.loads(basemap)), places)


def draw_map(basemap: Basemap, places: Sequence[Place], *, width: int = 720) -> MapDrawing:
    """The map of the places that lie on the base map, fitted to them, and a map of the region where most of
    them lie; earlier places get the better labels."""
    whole = draw_view(basemap, places, width)
    inside = [place for place in places if covers(basemap.bbox, place)]
    region = find_region(inside)
    if len(region) < 2 or len(region) == len(inside):
        return whole
    return replace(whole, region=draw_view(basemap, region, REGION_WIDTH))


def degrees_apart(a: Place, b: Place) -> float:
    """The distance between two places in degrees of latitude, longitude scaled to their middle latitude."""
    k = math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(a.lat - b.lat, (a.lon - b.lon) * k)


def find_region(places: Sequence[Place], radius: float = REGION_RADIUS) -> list[Place]:
    """The places around the one with the most others near it (earlier, more often named places weigh more),
    in their order."""
    if not places:
        return []
    weight = {place.id: len(places) - index for index, place in enumerate(places)}

    def near(centre: Place) -> list[Place]:
        return [place for place in places if degrees_apart(centre, place) <= radius]

    centre = max(places, key=lambda c: (sum(weight[p.id] for p in near(c)), weight[c.id]))
    return near(centre)


def draw_view(basemap: Basemap, places: Sequence[Place], width: int) -> MapDrawing:
    """One map of the places that lie on the base map, fitted to them, `width` pixels wide."""
    inside = tuple(place for place in places if covers(basemap.bbox, place))
    outside = tuple(place for place in places if not covers(basemap.bbox, place))
    tries = []
    for margin in MARGINS:
        view = fit_view(inside, basemap.bbox, width, margin)
        markers, crowded = place_labels(view, inside)
        tries.append((crowded, view, markers))
        if not crowded:
            break
    _, view, markers = min(tries, key=lambda found: found[0])  # the first of the least crowded
    land = tuple(d for d in (draw_country(view, country) for country in basemap.countries) if d)
    borders = tuple(d for d in (draw_line(view, line) for line in basemap.borders) if d)
    return MapDrawing(view.width, view.height, land, borders, markers, outside)


def covers(bbox: tuple[float, float, float, float], place: Place) -> bool:
    """Whether a place lies on the base map."""
    west, south, east, north = bbox
    return west <= place.lon <= east and south <= place.lat <= north


def fit_view(
    places: Sequence[Place], bbox: tuple[float, float, float, float], width: int, margin: float = MARGINS[0]
) -> View:
    """The window around the places: their extent plus margins, at least `MIN_SPAN`, never beyond the base map."""
    west, south, east, north = bbox
    lats = [p.lat for p in places] or [south, north]
    lons = [p.lon for p in places] or [west, east]
    # Equirectangular, longitude scaled by the cosine of the places' middle latitude: the base map is a lat/lon
    # rectangle, so the window is an exact part of it (nothing beyond the extract comes into view), parallels
    # stay straight for the labels, and scale is true along the middle parallel. A conic would bend Russia's
    # Arctic coast less, but its window's corners would reach past the extract.
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    low_x, high_x, low_y, high_y = min(lons) * k, max(lons) * k, min(lats), max(lats)
    span_x = max((high_x - low_x) * (1 + 2 * margin), MIN_SPAN)
    span_y = max((high_y - low_y) * (1 + 2 * margin), MIN_SPAN)
    span_y = max(span_y, span_x * MIN_RATIO)
    span_x = max(span_x, span_y / MAX_RATIO)
    span_x, span_y = min(span_x, (east - west) * k), min(span_y, north - south)
    centre_x = clamp((low_x + high_x) / 2, west * k + span_x / 2, east * k - span_x / 2)
    centre_y = clamp((low_y + high_y) / 2, south + span_y / 2, north - span_y / 2)
    scale = width / span_x
    height = round(span_y * scale)
    return View(centre_x - span_x / 2, centre_y + height / scale / 2, k, scale, width, height)


def clamp(value: float, low: float, high: float) -> float:
    """Value kept between low and high."""
    return max(low, min(high, value))


def project(view: View, lon: float, lat: float) -> Point:
    """A position on the map, in pixels from the top left corner."""
    return (lon * view.k - view.west) * view.scale, (view.north - lat) * view.scale


def draw_country(view: View, country: Country) -> str:
    """A country's rings inside the window as one path (empty where none shows)."""
    box = (-PAD, -PAD, view.width + PAD, view.height + PAD)
    parts = []
    for ring in country.rings:
        points = [project(view, lon, lat) for lon, lat in ring]
        if not overlaps(bounds(points), box):
            continue  # most of the base map lies outside a close view; skip it before clipping
        clipped = thin(clip_ring(points, box), closed=True)
        if len(clipped) >= 3 and ring_area(clipped) >= 1.0:
            parts.append(path_data(clipped) + "Z")
    return "".join(parts)


def draw_line(view: View, line: Sequence[LonLat]) -> str:
    """A border's pieces inside the window as one path (empty where none shows)."""
    box = (-PAD, -PAD, view.width + PAD, view.height + PAD)
    points = [project(view, lon, lat) for lon, lat in line]
    if not overlaps(bounds(points), box):
        return ""
    pieces = (thin(piece, closed=False) for piece in clip_line(points, box))
    return "".join(path_data(piece) for piece in pieces if len(piece) >= 2)


def bounds(points: Sequence[Point]) -> Box:
    """The smallest box around some points."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def clip_ring(ring: Sequence[Point], box: Box) -> list[Point]:
    """A ring cut to a box (Sutherland–Hodgman); what lies outside is replaced by a run along the edge."""
    left, top, right, bottom = box
    edges = (
        (lambda p: p[0] >= left, lambda p, q: (left, p[1] + (q[1] - p[1]) * (left - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= right, lambda p, q: (right, p[1] + (q[1] - p[1]) * (right - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= top, lambda p, q: (p[0] + (q[0] - p[0]) * (top - p[1]) / (q[1] - p[1]), top)),
        (lambda p: p[1] <= bottom, lambda p, q: (p[0] + (q[0] - p[0]) * (bottom - p[1]) / (q[1] - p[1]), bottom)),
    )
    points = list(ring)
    for inside, cross in edges:
        clipped: list[Point] = []
        for p, q in zip(points[-1:] + points[:-1], points, strict=True):
            if inside(q):
                if not inside(p):
                    clipped.append(cross(p, q))
                clipped.append(q)
            elif inside(p):
                clipped.append(cross(p, q))
        points = clipped
    return points


def clip_line(line: Sequence[Point], box: Box) -> list[list[Point]]:
    """The pieces of a polyline inside a box (Liang–Barsky per segment, joined where they meet)."""
    pieces: list[list[Point]] = []
    for p, q in itertools.pairwise(line):
        segment = clip_segment(p, q, box)
        if segment is None:
            continue
        start, end = segment
        if pieces and pieces[-1][-1] == start:
            pieces[-1].append(end)
        else:
            pieces.append([start, end])
    return pieces


def clip_segment(p: Point, q: Point, box: Box) -> tuple[Point, Point] | None:
    """The part of segment p–q inside a box, or None."""
    left, top, right, bottom = box
    dx, dy = q[0] - p[0], q[1] - p[1]
    low, high = 0.0, 1.0
    for step, room in ((-dx, p[0] - left), (dx, right - p[0]), (-dy, p[1] - top), (dy, bottom - p[1])):
        if step == 0:
            if room < 0:
                return None
            continue
        t = room / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    start = p if low == 0 else (p[0] + low * dx, p[1] + low * dy)
    end = q if high == 1 else (p[0] + high * dx, p[1] + high * dy)
    return start, end


def thin(points: Sequence[Point], *, closed: bool) -> list[Point]:
    """Points rounded to 0.1 px, with those that change the line by less than `TOLERANCE` left out."""
    if closed and len(points) >= 3:
        # Douglas–Peucker needs two fixed ends; a ring's first point and the point furthest from it will do.
        far = max(range(len(points)), key=lambda i: distance(points[0], points[i]))
        kept = simplify([*points[: far + 1]], TOLERANCE)[:-1] + simplify([*points[far:], points[0]], TOLERANCE)[:-1]
    else:
        kept = simplify(points, TOLERANCE)
    out: list[Point] = []
    for x, y in kept:
        point = (round(x, 1), round(y, 1))
        if not out or out[-1] != point:
            out.append(point)
    if closed and len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def distance(p: Point, q: Point) -> float:
    """Straight-line distance between two points."""
    return math.hypot(q[0] - p[0], q[1] - p[1])


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: keep the ends and every point further than `tolerance` from the simplified line.

    The one implementation, for the base map's extraction (in degrees) and for drawing (in pixels)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, furthest = first, 0.0
        for i in range(first + 1, last):
            d = line_distance(points[i], points[first], points[last])
            if d > furthest:
                far, furthest = i, d
        if furthest > tolerance:
            keep[far] = True
            stack.extend(((first, far), (far, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def line_distance(p: Point, a: Point, b: Point) -> float:
    """Distance from `p` to the line through `a` and `b`; to `a` itself where the two coincide (a closed arc,
    an island, starts and ends at the same position)."""
    (ax, ay), (bx, by), (px, py) = a, b, p
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    if not length:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    return abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length


def ring_area(ring: Sequence[Point]) -> float:
    """The unsigned area of a ring (shoelace formula)."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


def path_data(points: Sequence[Point]) -> str:
    """Points (already on the 0.1 px grid) as SVG path data: an absolute move, then relative line-tos, which
    take about half the bytes of absolute ones."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in points]
    steps = [(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in itertools.pairwise(tenths)]
    text = "M" + join_numbers(tenths[0])
    return text + ("l" + join_numbers(n for step in steps for n in step) if steps else "")


def join_numbers(tenths: Iterable[int]) -> str:
    """Numbers given in tenths, as short as SVG allows: `12.3`, `-.5`, `4`, a space only where no `-` separates."""
    text = ""
    for n in tenths:
        number = write_tenths(n)
        text += number if not text or number.startswith("-") else " " + number
    return text


def write_tenths(n: int) -> str:
    """A number of tenths as decimal text without a trailing `.0` or a leading `0`: 123 → `12.3`, -5 → `-.5`."""
    whole, tenth = divmod(abs(n), 10)
    sign = "-" if n < 0 else ""
    if tenth == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{tenth}"


@dataclass(frozen=True)
class Option:
    """A spot for a label: its anchor point and `text-anchor`, the box it covers, its leader, and its price."""

    x: float
    y: float
    anchor: str
    box: Box
    leader: Segment | None
    cost: float
    extent: Box  # the box around label and leader


def make_option(x: float, y: float, anchor: str, width: float, leader: Segment | None, cost: float) -> Option:
    """A spot for a label, its box and extent worked out."""
    box = label_box(x, y, anchor, width)
    if leader is None:
        return Option(x, y, anchor, box, None, cost, box)
    x1, y1, x2, y2 = leader
    extent = (min(box[0], x1, x2), min(box[1], y1, y2), max(box[2], x1, x2), max(box[3], y1, y2))
    return Option(x, y, anchor, box, leader, cost, extent)


def place_labels(view: View, places: Sequence[Place]) -> tuple[tuple[Marker, ...], int]:
    """A marker per place with its label beside the dot, or along a leader line where that is cheaper than
    every collision; also how many labels still collide (none, unless the drawing is too small for them)."""
    dots = [(round(x, 1), round(y, 1)) for x, y in (project(view, p.lon, p.lat) for p in places)]
    frame = (SPACING, SPACING, view.width - SPACING, view.height - SPACING)
    options = [usable_options(i, dots, frame, label_width(place.name)) for i, place in enumerate(places)]
    search = LabelSearch(options)
    start = start_layout(search)
    # Annealing may settle in a different valley from each start of its generator; a few runs find the best
    # one far more often than one long run, and share the clashes already worked out.
    found = [improve(search, start)] + [improve(search, anneal(search, start, seed)) for seed in ANNEAL_SEEDS]
    layout = min(found, key=search.total)  # the first of the cheapest
    chosen = [options[i][a] for i, a in enumerate(layout)]
    crowded = sum(
        1
        for i, option in enumerate(chosen)
        if not fits_alone(option, i, dots, frame) or any(clash(option, other) for other in chosen[:i])
    )
    markers = tuple(
        Marker(place.id, place.name, place.url, *dots[i], option.x, option.y, option.anchor, option.leader)
        for i, (place, option) in enumerate(zip(places, chosen, strict=True))
    )
    return markers, crowded


def label_width(name: str) -> float:
    """A label's estimated width in pixels."""
    widths = (4.8 if c in NARROW else 12.0 if c in WIDEST else 9.5 if c in WIDE else 7.7 for c in name)
    return round(max(CHAR_WIDTH * len(name), sum(widths)), 1)


def label_box(x: float, y: float, anchor: str, width: float) -> Box:
    """The box a label with this anchor point, `text-anchor` and width covers."""
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return left, y - ASCENT, left + width, y + DESCENT


def label_options(dot: Point, width: float) -> list[Option]:
    """Every spot a label may take, cheapest first: right, left, above, below the dot, then along leaders,
    which cost their length and a fixed price (so that one long leader does not beat two short ones), and a
    little more the steeper they run."""
    x, y = dot
    near = DOT_RADIUS + GAP
    middle = (ASCENT - DESCENT) / 2  # baseline offset that centres the text on a point's height
    beside = [
        (x + near, y + middle, "start"),
        (x - near, y + middle, "end"),
        (x, y - near - DESCENT, "middle"),
        (x, y + near + ASCENT, "middle"),
    ]
    options = [
        make_option(round(lx, 1), round(ly, 1), anchor, width, None, float(rank))
        for rank, (lx, ly, anchor) in enumerate(beside)
    ]
    for length in LEADER_LENGTHS:
        for degrees in LEADER_ANGLES:
            dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
            end_x, end_y = round(x + length * dx, 1), round(y + length * dy, 1)
            if dx > 0.3:
                lx, ly, anchor = end_x + GAP, end_y + middle, "start"
            elif dx < -0.3:
                lx, ly, anchor = end_x - GAP, end_y + middle, "end"
            elif dy < 0:
                lx, ly, anchor = end_x, end_y - GAP - DESCENT, "middle"
            else:
                lx, ly, anchor = end_x, end_y + GAP + ASCENT, "middle"
            lx, ly = round(lx, 1), round(ly, 1)
            start = (round(x + DOT_RADIUS * dx, 1), round(y + DOT_RADIUS * dy, 1))
            options.append(make_option(lx, ly, anchor, width, (*start, end_x, end_y), 10.0 + length + SLANT * abs(dy)))
    return sorted(options, key=lambda option: option.cost)


def usable_options(index: int, dots: Sequence[Point], frame: Box, width: float) -> list[Option]:
    """A label's cheapest spots that lie in the frame and clear of every other dot; just the first if none does."""
    options = label_options(dots[index], width)
    return [option for option in options if fits_alone(option, index, dots, frame)][:MAX_OPTIONS] or options[:1]


def fits_alone(option: Option, index: int, dots: Sequence[Point], frame: Box) -> bool:
    """Whether a label (and its leader) stays inside the frame and clear of the other places' dots."""
    box, own = option.box, dots[index]
    if not (frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]):
        return False
    for i, dot in enumerate(dots):
        if i == index:
            continue
        # A dot that touches the marker's own (Kreml on Moskau, Seoul beside the inner-Korean border) is as near
        # as the own dot: it must only not be covered. Every other dot keeps its distance from label and leader.
        touching = distance(dot, own) <= 2 * DOT_RADIUS + 1.0
        if overlaps(grow(box, 1.0 if touching else CLEARANCE), dot_box(dot)):
            return False
        if option.leader and not touching and segment_distance(dot, option.leader) <= DOT_RADIUS + 1.0:
            return False
    return True


def clash(a: Option, b: Option) -> bool:
    """Whether two labels collide: their boxes come too close, or a leader crosses a label or another leader."""
    if not overlaps(grow(a.extent, SPACING + GAP), b.extent):
        return False
    if overlaps(grow(a.box, SPACING), b.box):
        return True
    if a.leader and crosses_box(a.leader, grow(b.box, 1.0)):
        return True
    if b.leader and crosses_box(b.leader, grow(a.box, 1.0)):
        return True
    return bool(a.leader and b.leader and segments_cross(a.leader, b.leader))


class LabelSearch:
    """What the layout search works on: every label's spots, the weight of its price, the labels whose spots
    can reach each other's, and which pairs of spots clash (worked out once, then remembered)."""

    def __init__(self, options: Sequence[Sequence[Option]]) -> None:
        count = len(options)
        self.options = options
        # An earlier place's price counts up to half as much again as a later one's: the first get the best spots.
        self.weights = [1 + 0.5 * (count - 1 - i) / max(1, count - 1) for i in range(count)]
        reach = [envelope(own) for own in options]
        self.neighbours = [
            [j for j in range(count) if j != i and overlaps(grow(reach[i], SPACING), reach[j])] for i in range(count)
        ]
        self.known: dict[tuple[int, int, int, int], bool] = {}

    def clashes(self, i: int, a: int, j: int, b: int) -> bool:
        """Whether spot a of label i and spot b of label j collide."""
        key = (i, a, j, b) if i < j else (j, b, i, a)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = clash(self.options[i][a], self.options[j][b])
        return found

    def price(self, layout: Sequence[int], i: int, a: int) -> float:
        """What label i costs at spot a, the others where the layout has them."""
        # The search asks this some hundred thousand times: the cache lookup is written out here.
        known, options = self.known, self.options
        price = self.weights[i] * options[i][a].cost
        for j in self.neighbours[i]:
            b = layout[j]
            key = (i, a, j, b) if i < j else (j, b, i, a)
            found = known.get(key)
            if found is None:
                found = known[key] = clash(options[i][a], options[j][b])
            if found:
                price += COLLISION
        return price

    def total(self, layout: Sequence[int]) -> float:
        """What a layout costs: every label's spot, and every colliding pair once."""
        return sum(self.weights[i] * self.options[i][a].cost for i, a in enumerate(layout)) + COLLISION * sum(
            self.clashes(i, layout[i], j, layout[j]) for i in range(len(layout)) for j in self.neighbours[i] if i < j
        )


def start_layout(search: LabelSearch) -> list[int]:
    """Greedy, in the places' order: each label takes its cheapest spot that clashes with none taken before."""
    layout: list[int] = []
    for i, own in enumerate(search.options):
        layout.append(
            next((a for a in range(len(own)) if not any(search.clashes(i, a, j, b) for j, b in enumerate(layout))), 0)
        )
    return layout


def anneal(search: LabelSearch, layout: Sequence[int], seed: int) -> list[int]:
    """The cheapest layout simulated annealing finds from a start: move one label at a time to a random spot
    (cheap spots more often), keep the move if it is cheaper or, while the temperature is high, by chance.
    The generator is seeded, so the result is the same on every build."""
    layout = list(layout)
    movable = [i for i, own in enumerate(search.options) if search.neighbours[i] and len(own) > 1]
    rng = random.Random(seed)
    steps = ANNEAL_STEPS * len(movable)
    total = search.total(layout)
    best, best_total = list(layout), total
    for step in range(steps):
        temperature = ANNEAL_HOT * (ANNEAL_COLD / ANNEAL_HOT) ** (step / steps)
        i = rng.choice(movable)
        a = int(len(search.options[i]) * rng.random() ** 2)
        change = search.price(layout, i, a) - search.price(layout, i, layout[i])
        if change <= 0 or rng.random() < math.exp(-change / temperature):
            layout[i] = a
            total += change
            if total < best_total - 1e-9:
                best, best_total = list(layout), total
    return best


def improve(search: LabelSearch, layout: Sequence[int]) -> list[int]:
    """A layout in which no label can move to a cheaper spot, not even when the labels it pushes away take their
    cheapest spots anew (so two labels can trade places, which moving one at a time cannot do)."""
    layout = list(layout)
    current = search.total(layout)
    improved = True
    while improved:
        improved = False
        for i, own in enumerate(search.options):
            best = min(range(len(own)), key=lambda a: (search.price(layout, i, a), a))
            if search.price(layout, i, best) < search.price(layout, i, layout[i]) - 1e-9:
                layout[i] = best
                current, improved = search.total(layout), True
                continue
            for a in range(len(own)):
                if own[a].cost >= own[layout[i]].cost:
                    continue
                trial = list(layout)
                trial[i] = a
                for j in [j for j in search.neighbours[i] if search.clashes(i, a, j, trial[j])]:
                    trial[j] = min(range(len(search.options[j])), key=lambda b: (search.price(trial, j, b), b))
                if search.total(trial) < current - 1e-9:
                    layout, current, improved = trial, search.total(trial), True
                    break
    return layout


def envelope(options: Sequence[Option]) -> Box:
    """The box around every spot (and leader) a label might take."""
    points = [corner for option in options for corner in (option.extent[:2], option.extent[2:])]
    return bounds(points)


def grow(box: Box, by: float) -> Box:
    """A box made larger on every side."""
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def dot_box(dot: Point) -> Box:
    """The box around a marker's dot."""
    return dot[0] - DOT_RADIUS, dot[1] - DOT_RADIUS, dot[0] + DOT_RADIUS, dot[1] + DOT_RADIUS


def crosses_box(segment: Segment, box: Box) -> bool:
    """Whether a segment passes through a box."""
    x1, y1, x2, y2 = segment
    return clip_segment((x1, y1), (x2, y2), box) is not None


def segments_cross(a: Segment, b: Segment) -> bool:
    """Whether two leaders cross or come so close that the eye could follow the wrong one: their far ends
    keep `GAP` from the other leader; their starts, at dots that may touch, only a pixel."""

    def side(p: Sequence[float], q: Sequence[float], r: Sequence[float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    a1, a2, b1, b2 = a[:2], a[2:], b[:2], b[2:]
    if side(b1, b2, a1) * side(b1, b2, a2) < 0 and side(a1, a2, b1) * side(a1, a2, b2) < 0:
        return True
    return (
        segment_distance(a2, b) < GAP
        or segment_distance(b2, a) < GAP
        or segment_distance(a1, b) < 1.0
        or segment_distance(b1, a) < 1.0
    )


def segment_distance(p: Iterable[float], segment: Segment) -> float:
    """Distance from a point to a segment."""
    px, py = p
    x1, y1, x2, y2 = segment
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else clamp(((px - x1) * dx + (py - y1) * dy) / length, 0.0, 1.0)
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def mapped_places(entries: Sequence[Entry], counts: Mapping[str, int]) -> list[Entry]:
    """The places the articles name (`counts`: how often) that have a point on the map (areas aside), most often
    named first."""
    places = [e for e in entries if e.kind == "place" and e.coordinates and not e.area and counts[e.id]]
    return sorted(places, key=lambda e: (-counts[e.id], german_sort_key(e.term)))


def places_to_draw(entries: Sequence[Entry], counts: Mapping[str, int]) -> list[Place]:
    """The places the map marks: the most often named, as many as it has room for."""
    return [
        Place(e.id, e.term, e.coordinates[0], e.coordinates[1], e.url)
        for e in mapped_places(entries, counts)[:MAP_PLACES]
        if e.coordinates
    ]


def places_listed(entries: Sequence[Entry], counts: Mapping[str, int]) -> tuple[list[Entry], list[Entry]]:
    """What the map page lists in words: the areas named, and the places beyond the map's capacity."""
    areas = [e for e in entries if e.kind == "place" and e.area and counts[e.id]]
    more = mapped_places(entries, counts)[MAP_PLACES:]
    return areas, sorted(more, key=lambda e: german_sort_key(e.term))
