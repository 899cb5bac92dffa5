"""Cut the world outline's rings that cross the ±180° meridian, in place.

world-atlas's GeoJSON (static/vendor/natural-earth/countries-110m.geojson) joins
Fiji's and Chukotka's points on either side of the antimeridian (179.36° then
-180°): Leaflet draws such an edge straight across the whole map. Each such ring is
cut at the meridian into a ring on each side. Antarctica's ring goes round the
South Pole: it is closed along the pole instead of across the map at 84.7°S.

    .venv/bin/python scripts/split_antimeridian.py [FILE]

FILE is that outline unless given. A file already cut is left as it is. Rings
with holes are not cut (the 1:110m outline has none that cross).
"""

import json
import sys
from pathlib import Path

OUTLINE = (
    Path(__file__).resolve().parent.parent
    / "static/vendor/natural-earth/countries-110m.geojson"
)


def _degrees(value: float) -> float | int:
    # The file rounds to 0.01° and writes whole degrees without a decimal point.
    value = round(value, 2)
    return int(value) if value == int(value) else value


def crosses(a, b) -> bool:
    """Whether the edge from ``a`` to ``b`` jumps across the antimeridian."""
    return abs(a[0] - b[0]) > 180


def unwrapped(ring: list) -> list:
    """Return ``ring`` with its longitudes shifted by 360° wherever it jumps, so that
    it runs on past ±180° instead."""
    points = [list(ring[0])]
    for point in ring[1:]:
        longitude = point[0]
        while longitude - points[-1][0] > 180:
            longitude -= 360
        while longitude - points[-1][0] < -180:
            longitude += 360
        points.append([_degrees(longitude), point[1]])
    return points


def clipped(ring: list, meridian: int, side: int) -> list:
    """Return the part of ``ring`` east (``side`` 1) or west (-1) of ``meridian``."""
    part = []
    for a, b in zip(ring, ring[1:], strict=False):
        a_in = side * (a[0] - meridian) >= 0
        b_in = side * (b[0] - meridian) >= 0
        if a_in:
            part.append(a)
        if a_in != b_in and meridian not in (a[0], b[0]):
            share = (meridian - a[0]) / (b[0] - a[0])
            part.append([meridian, _degrees(a[1] + share * (b[1] - a[1]))])
    part = [point for i, point in enumerate(part) if i == 0 or point != part[i - 1]]
    if part and part[0] != part[-1]:
        part.append(part[0])
    return part


def shifted(ring: list, degrees: int) -> list:
    return [[_degrees(longitude + degrees), latitude] for longitude, latitude in ring]


def around_pole(ring: list) -> list:
    """Return ``ring``, which goes round a pole, closed along the pole."""
    [jump] = [i for i in range(len(ring) - 1) if crosses(ring[i], ring[i + 1])]
    a, b = ring[jump], ring[jump + 1]
    pole = -90 if a[1] < 0 else 90
    if a[1] == b[1] == pole:
        return ring
    return [*ring[: jump + 1], [a[0], pole], [b[0], pole], *ring[jump + 1 :]]


def cut(polygon: list) -> list:
    """Return the polygons ``polygon`` makes, cut at the antimeridian."""
    outer, *holes = polygon
    points = unwrapped(outer)
    if points[-1][0] != points[0][0]:  # round a pole: 360° further on
        return [[around_pole(outer), *holes]]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    if west >= -180 and east <= 180:
        return [[points, *holes]]
    if holes:
        raise ValueError("a ring with holes crosses the antimeridian")
    meridian = 180 if east > 180 else -180
    beyond = clipped(points, meridian, 1 if meridian == 180 else -1)
    within = clipped(points, meridian, -1 if meridian == 180 else 1)
    return [[within], [shifted(beyond, -2 * meridian)]]


def cut_feature(feature: dict) -> None:
    geometry = feature["geometry"]
    if geometry is None:
        return
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]
    )
    polygons = [part for polygon in polygons for part in cut(polygon)]
    if len(polygons) == 1 and geometry["type"] == "Polygon":
        geometry["coordinates"] = polygons[0]
    else:
        geometry["type"] = "MultiPolygon"
        geometry["coordinates"] = polygons


def main(path: str | Path = OUTLINE) -> None:
    file = Path(path)
    world = json.loads(file.read_text(encoding="utf-8"))
    for feature in world["features"]:
        cut_feature(feature)
    file.write_text(json.dumps(world, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
