"""The maps' world outline: static/vendor/natural-earth/countries-110m.geojson."""

import json

from django.conf import settings

OUTLINE = (
    settings.BASE_DIR / "static" / "vendor" / "natural-earth" / "countries-110m.geojson"
)


def rings_by_country() -> dict[str, list[list]]:
    world = json.loads(OUTLINE.read_text(encoding="utf-8"))
    rings = {}
    for feature in world["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else geometry["coordinates"]
        )
        rings[feature["properties"]["iso"]] = [
            ring for polygon in polygons for ring in polygon
        ]
    return rings


def test_no_ring_jumps_across_the_antimeridian():
    # Leaflet joins a ring's points with straight lines: from 179.36° to -180° the
    # line ran across the whole map (Fiji at 17°S, Chukotka at 65°N to 71°N).
    # Only a ring round a pole may go from 180° to -180°, along the pole itself.
    rings = rings_by_country()
    jumps = [
        (code, a, b)
        for code, country_rings in rings.items()
        for ring in country_rings
        for a, b in zip(ring, ring[1:], strict=False)
        if abs(a[0] - b[0]) > 180 and not a[1] == b[1] == -90
    ]

    assert jumps == []
    for code in ("FJ", "RU"):  # cut at the meridian, still on both sides of it
        longitudes = [point[0] for ring in rings[code] for point in ring]
        assert min(longitudes) == -180 and max(longitudes) == 180
