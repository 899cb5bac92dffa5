"""The world outline as Leaflet draws it, in a real Chromium."""

import pytest

from tests.factories import UnitFactory

pytestmark = pytest.mark.browser

# The edges of the countries' paths as drawn, in pixels: "M x y L x y … z" for each
# ring (Leaflet's pointsToPath), the closing edge included.
DRAWN_EDGES = """(map) => {
  const edges = [];
  for (const path of map.querySelectorAll(".leaflet-overlay-pane path")) {
    for (const ring of path.getAttribute("d").split("M").slice(1)) {
      const points = ring.replace(/z/gi, "").split("L").map(
        (point) => point.trim().split(/\\s+/).map(Number)
      );
      points.forEach((point, i) => {
        edges.push([point, points[(i + 1) % points.length]]);
      });
    }
  }
  return edges;
}"""


def test_no_country_is_drawn_across_the_whole_world(page, external_requests):
    # Fiji's and Chukotka's rings crossed the ±180° meridian: Leaflet joined their
    # points at 179° and -180° with lines across the map at 17°S and 65°N to 71°N.
    UnitFactory(country="FJ")
    page.emulate_media(reduced_motion="reduce")  # no zoom animation to wait for
    page.goto("/fr/countries/")
    world_map = page.locator("#countries-map-map")
    world_map.locator(".leaflet-control-zoom-out").click()  # the whole world in view
    page.wait_for_function(
        "document.querySelectorAll('#countries-map-map .leaflet-overlay-pane path')"
        ".length > 150"
    )

    edges = world_map.evaluate(DRAWN_EDGES)

    xs = [x for edge in edges for x, _y in edge]
    bottom = max(y for edge in edges for _x, y in edge)
    world_width = max(xs) - min(xs)
    assert world_width > 400  # the whole world, Antarctica from -180° to 180°
    across = [
        (a, b)
        for a, b in edges
        if abs(a[0] - b[0]) > world_width / 2
        # Antarctica's edge along the South Pole, or where the view cuts it.
        and not (a[1] == b[1] and a[1] >= bottom - 1)
    ]
    assert across == []
    assert external_requests == []
