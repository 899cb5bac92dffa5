/* Interactive maps with vendored Leaflet and a bundled world outline: no request
   leaves the site. Each <div class="map" data-map="ID"> reads its data from the
   <script type="application/json" id="ID"> written by the json_script filter:
   {"markers": [{"lat", "lng", "title", "url"}], "countries": {"JP": 3, ...},
    "focus": ["JP", ...], "names": {"KR": "Korea", ...}}.
   With data-markers-from="LIST", the items of #LIST that have data-lat and data-lng are
   markers too: their first link gives the address, the texts of their
   [data-marker-title] elements the title. Pages that list what they map say it once.
   The countries of "focus" (a country's page: the country; an office's: those it
   covers) are set apart, and the map frames them (landmassBounds) and the markers.
   With data-countries-from="TABLE", each country is named when hovered (a tooltip),
   and a click on one of the rows [data-country="JP"] of #TABLE follows the row's
   link, which names it; "names" names the others. The keyboard has the table: the
   countries are no Tab stops.
   data-zoom-in and data-zoom-out title the zoom buttons in the page's language, and
   data-popup-close names the popups' close button.
   Records at the same place (to about ten metres: a city's centre, a shared campus),
   or at places closer on screen than a pin's width at the map's zoom (two campuses
   of one town), share one marker, titled with all their titles, whose popup lists
   them all: one marker drawn over another could hardly be clicked. They are grouped
   again at each zoom: zooming in parts them.
   A marker opened with the keyboard (Enter or Space) puts the focus in its popup;
   Escape or the close button closes the popup and gives the focus back to the
   marker, Tab past the popup goes on to the next marker, Shift+Tab back to its own. A focused marker is
   drawn over the others, which may hide it otherwise. With prefers-reduced-motion the
   map neither fades, nor animates zooms and pans.
   The same data is always in the page as a list or table: the map is an addition. */
(function () {
  "use strict";
  if (typeof L === "undefined") {
    // Leaflet did not load: the maps are hidden again, as without JavaScript
    // (static/js/map-head.js), rather than left empty.
    document.documentElement.classList.remove("maps-drawn");
    return;
  }

  function shade(count, max) {
    if (!count) { return "#e8ebf0"; }
    var steps = ["#c6d6f0", "#8fb0e3", "#4f7fcc", "#0b3d91"];
    var index = Math.min(steps.length - 1, Math.floor((count / Math.max(max, 1)) * steps.length));
    return steps[index];
  }

  // The countries of the rows of #tableId: {code: {name, url}} from each row's link.
  function linkedCountries(tableId) {
    var table = tableId && document.getElementById(tableId);
    var linked = {};
    if (!table) { return linked; }
    table.querySelectorAll("[data-country]").forEach(function (row) {
      var link = row.querySelector("a[href]");
      linked[row.dataset.country] = {
        name: link.textContent.trim(),
        url: link.getAttribute("href"),
      };
    });
    return linked;
  }

  function listed(listId) {
    var list = listId && document.getElementById(listId);
    if (!list) { return []; }
    return Array.prototype.map.call(list.querySelectorAll("[data-lat][data-lng]"), function (item) {
      var link = item.querySelector("a[href]");
      var parts = Array.prototype.map.call(item.querySelectorAll("[data-marker-title]"), function (part) {
        return part.textContent.trim();
      });
      return {
        lat: parseFloat(item.dataset.lat),
        lng: parseFloat(item.dataset.lng),
        title: parts.length ? parts.join(" – ") : link.textContent.trim(),
        url: link.getAttribute("href"),
      };
    });
  }

  // The world's longitudes, from Alaska to New Zealand's east.
  var WORLD_WEST = -168;
  var WORLD_EAST = 180;
  // Leaflet's default marker: its point at the pin's foot.
  var PIN_WIDTH = 25;
  var PIN_HEIGHT = 41;

  // How near a country's polygon must be to its main landmass to be framed with it:
  // 5 pixels at zoom 0, about 7° of longitude at the equator (landmassBounds).
  var NEAR = 5;

  // Above every other marker of the map: their z-indexes differ by at most the
  // map's height in pixels.
  var FOCUSED_Z_INDEX_OFFSET = 10000;

  function focusWithoutScrolling(target) {
    // Scrolling the map's own box to show the target would shift the map's panes.
    target.focus({ preventScroll: true });
  }

  // The world's width at any width, up to zoom 2 (at zoom 2 a phone showed Europe
  // and Africa only), every marker in view (Umeå's, at 64° N, stood above the map
  // centred on 20° N): zoomed out if they are too far apart north to south, moved
  // north or south as little as they need.
  function worldView(map, points) {
    var size = map.getSize();
    var span = (WORLD_EAST - WORLD_WEST) / 360;
    var zoom = Math.log2((size.x - 16) / 256 / span);
    var room = size.y - PIN_HEIGHT - 16;
    var heights = points.map(function (point) { return map.project(point, 0).y; });
    if (heights.length) {
      var tall = Math.max.apply(null, heights) - Math.min.apply(null, heights);
      if (tall > 0) { zoom = Math.min(zoom, Math.log2(room / tall)); }
    }
    zoom = Math.min(2, Math.floor(zoom * 4) / 4);
    var center = map.project([20, (WORLD_EAST + WORLD_WEST) / 2], zoom);
    if (heights.length) {
      var scale = Math.pow(2, zoom);
      var top = Math.min.apply(null, heights) * scale - PIN_HEIGHT - 8;
      var bottom = Math.max.apply(null, heights) * scale + 8;
      var half = size.y / 2;
      if (top < center.y - half) {
        center.y = top + half;
      } else if (bottom > center.y + half) {
        center.y = bottom - half;
      }
    }
    map.setView(map.unproject(center, zoom), zoom);
    return zoom;
  }

  // Whether `point` ([lng, lat]) lies inside `ring` (a polygon's outer ring of
  // [lng, lat] points): a ray from it crosses the ring an odd number of times.
  function inside(point, ring) {
    var within = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      var a = ring[i];
      var b = ring[j];
      if ((a[1] > point[1]) !== (b[1] > point[1])
          && point[0] < ((b[0] - a[0]) * (point[1] - a[1])) / (b[1] - a[1]) + a[0]) {
        within = !within;
      }
    }
    return within;
  }

  // The smallest distance between two polygons' points (projected), or NEAR if
  // their boxes are that far apart already.
  function gap(one, other) {
    var boxes = one.box.intersects(other.box) ? 0 : Math.max(
      one.box.min.x - other.box.max.x, other.box.min.x - one.box.max.x,
      one.box.min.y - other.box.max.y, other.box.min.y - one.box.max.y
    );
    if (boxes >= NEAR) { return NEAR; }
    var least = NEAR;
    one.points.forEach(function (point) {
      other.points.forEach(function (otherPoint) {
        least = Math.min(least, point.distanceTo(otherPoint));
      });
    });
    return least;
  }

  // The bounds of the polygons of `feature` (a country of the world outline) that
  // hold its main landmass or one of `points` (the markers, [lat, lng]). Its main
  // landmass is its largest polygon (on the map, in Mercator's projection) and the
  // polygons within NEAR of it, or of another polygon so taken: Japan's four main
  // islands, Indonesia's, Great Britain with Northern Ireland, France with Corsica.
  // Land far across the sea is left out, unless a marker is there: the United
  // States' Alaska and Hawaii (their whole would be the North Pacific), France's
  // Guiana, Norway's Svalbard, and the ends of Russia and Fiji cut at the
  // antimeridian (scripts/split_antimeridian.py), which framed would be the world.
  function landmassBounds(map, feature, points) {
    var geometry = feature.geometry;
    var rings = geometry.type === "Polygon" ? [geometry.coordinates[0]]
      : geometry.coordinates.map(function (polygon) { return polygon[0]; });
    var polygons = rings.map(function (ring) {
      var projected = ring.map(function (point) { return map.project([point[1], point[0]], 0); });
      var area = 0;
      projected.forEach(function (point, index) {
        var next = projected[(index + 1) % projected.length];
        area += point.x * next.y - next.x * point.y;
      });
      return {
        ring: ring,
        points: projected,
        box: L.bounds(projected),
        area: Math.abs(area) / 2,
        taken: points.some(function (point) { return inside([point[1], point[0]], ring); }),
      };
    });
    var largest = polygons.reduce(function (one, other) { return other.area > one.area ? other : one; });
    var landmass = [largest];
    var grown = true;
    while (grown) {
      grown = false;
      polygons.forEach(function (polygon) {
        if (landmass.indexOf(polygon) >= 0) { return; }
        if (landmass.some(function (part) { return gap(part, polygon) < NEAR; })) {
          landmass.push(polygon);
          grown = true;
        }
      });
    }
    var bounds = L.latLngBounds([]);
    polygons.forEach(function (polygon) {
      if (polygon.taken || landmass.indexOf(polygon) >= 0) {
        polygon.ring.forEach(function (point) { bounds.extend([point[1], point[0]]); });
      }
    });
    return bounds;
  }

  function linkTo(marker) {
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.title;
    return link;
  }

  // The markers at one place, in the order given, keyed by their rounded position.
  function byPlace(markers) {
    var places = [];
    var index = {};
    markers.forEach(function (marker) {
      var key = marker.lat.toFixed(4) + "," + marker.lng.toFixed(4);
      if (!(key in index)) {
        index[key] = places.length;
        places.push([]);
      }
      places[index[key]].push(marker);
    });
    return places;
  }

  // The places (lists of markers, from byPlace) closer to one another than a pin's
  // width at `zoom`, grouped greedily in the order given: a place joins the first
  // group whose marker is that close, or leads a group of its own. A group's marker
  // stands at its first place rather than at the mean of its places: on a record's
  // real place (the mean of two towns across a bay lies in the water), every place
  // of the group within a pin's width of it, and still while places join the group
  // or leave it at other zooms. Markers are then at least a pin's width apart.
  // Each group lists the indexes of its places.
  function nearby(map, places, zoom) {
    var groups = [];
    places.forEach(function (place, index) {
      var point = map.project([place[0].lat, place[0].lng], zoom);
      var joined = groups.some(function (group) {
        if (group.point.distanceTo(point) >= PIN_WIDTH) { return false; }
        group.places.push(index);
        return true;
      });
      if (!joined) { groups.push({ point: point, places: [index] }); }
    });
    return groups;
  }

  // Puts `elements`, children of one parent, in this order, the one with the focus
  // left where it is: moved, it would lose the focus.
  function arrange(elements) {
    var pivot = elements.indexOf(document.activeElement);
    if (pivot < 0) { pivot = 0; }
    var parent = elements[pivot].parentNode;
    elements.slice(0, pivot).forEach(function (element) {
      parent.insertBefore(element, elements[pivot]);
    });
    elements.slice(pivot + 1).reduce(function (previous, element) {
      parent.insertBefore(element, previous.nextSibling);
      return element;
    }, elements[pivot]);
  }

  function withPopup(pin, content, link, closeLabel) {
    // A long list scrolls inside its popup; the focus moving through it scrolls it.
    pin.bindPopup(content, { maxHeight: 240 });
    pin.on("popupopen", function (event) {
      var box = event.popup.getElement();
      var closeButton = box.querySelector(".leaflet-popup-close-button");
      if (closeButton && !closeButton.dataset.labelled) {
        closeButton.dataset.labelled = "true";
        closeButton.setAttribute("aria-label", closeLabel);
        closeButton.title = closeLabel;
        // role="button" on a link: Space presses it as well as Enter.
        closeButton.addEventListener("keydown", function (keyEvent) {
          if (keyEvent.key === " ") {
            keyEvent.preventDefault();
            pin.closePopup();
          }
        });
      }
      if (!box.dataset.tabbed) {
        box.dataset.tabbed = "true";
        // The popups' pane comes after every marker: Tab from a popup's last
        // control goes on from its marker (to the next one), Shift+Tab from its
        // first goes back to its marker (WCAG 2.4.3), the popup closed.
        box.addEventListener("keydown", function (keyEvent) {
          if (keyEvent.key !== "Tab") { return; }
          var stops = box.querySelectorAll("a[href], button");
          var edge = keyEvent.shiftKey ? stops[0] : stops[stops.length - 1];
          if (document.activeElement !== edge) { return; }
          focusWithoutScrolling(pin.getElement());
          pin.closePopup();
          if (keyEvent.shiftKey) { keyEvent.preventDefault(); }
        });
      }
      focusWithoutScrolling(link);
    });
    pin.on("popupclose", function (event) {
      // Closed from inside (Escape, close button: the focus is there or lost with
      // the popup): back to the marker. Closed by a click elsewhere: left there.
      var focused = document.activeElement;
      if (!focused || focused === document.body || event.popup.getElement().contains(focused)) {
        focusWithoutScrolling(pin.getElement());
      }
    });
    var icon = pin.getElement();
    // A marker is a button: Space opens it as Enter does, and does not scroll.
    icon.addEventListener("keydown", function (keyEvent) {
      if (keyEvent.key === " ") {
        keyEvent.preventDefault();
        pin.openPopup();
      }
    });
    icon.addEventListener("focus", function () { pin.setZIndexOffset(FOCUSED_Z_INDEX_OFFSET); });
    icon.addEventListener("blur", function () { pin.setZIndexOffset(0); });
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.map);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var countries = data.countries || {};
    var focus = data.focus || [];
    var names = data.names || {};
    var linked = linkedCountries(element.dataset.countriesFrom);
    var named = Boolean(element.dataset.countriesFrom);
    var markers = (data.markers || []).concat(listed(element.dataset.markersFrom));
    var max = 0;
    Object.keys(countries).forEach(function (code) { max = Math.max(max, countries[code]); });

    L.Icon.Default.imagePath = element.dataset.iconPath;
    // Visitors who asked their system for less motion get no fades, no animated
    // zooms and no drift after a drag (WCAG 2.3.3).
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(element, {
      worldCopyJump: true,
      // Quarter zooms, down to a world narrower than a phone: the fit below may
      // then show the whole world, or all the markers, at any width.
      zoomSnap: 0.25,
      minZoom: 0,
      maxZoom: 10,
      attributionControl: true,
      zoomControl: false,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
      inertia: !still,
      // On a phone one finger scrolls the page, two pinch the map.
      dragging: !L.Browser.mobile,
    }).setView([20, 10], 2);
    // The map is part of a page that scrolls: the wheel scrolls the page, and
    // zooms the map with Ctrl held (as a touchpad's pinch sends it). Kept from
    // Leaflet's wheel handler, on the map's box, before it hears them.
    element.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) { event.stopPropagation(); }
    }, true);
    if (still) {
      // A popup opened near the edge pans the map to show it (Leaflet's autoPan),
      // animated whatever the options above: jump there instead.
      var panBy = map.panBy;
      map.panBy = function (offset, options) {
        return panBy.call(map, offset, L.extend({}, options, { animate: false }));
      };
    }
    // Leaflet's own zoom buttons are titled in English: the page gives their titles.
    var zoomControl = L.control.zoom({
      zoomInTitle: element.dataset.zoomIn || "Zoom in",
      zoomOutTitle: element.dataset.zoomOut || "Zoom out",
    }).addTo(map);
    // Links with role="button": Space presses them as Enter does.
    zoomControl.getContainer().addEventListener("keydown", function (event) {
      if (event.key === " " && event.target.matches("a")) {
        event.preventDefault();
        event.target.click();
      }
    });
    // Leaflet closes a popup on Escape only while the map's box itself has the focus.
    var openPopup = null;
    map.on("popupopen", function (event) { openPopup = event.popup; });
    map.on("popupclose", function (event) {
      if (openPopup === event.popup) { openPopup = null; }
    });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && openPopup) {
        event.preventDefault();
        map.closePopup(openPopup);
      }
    });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");

    var closeLabel = element.dataset.popupClose || "Close";
    var places = byPlace(markers);
    var bounds = places.map(function (place) { return [place[0].lat, place[0].lng]; });

    // One marker for the records of some places, at the first one's place.
    function groupMarker(records) {
      var title = records.map(function (marker) { return marker.title; }).join(" · ");
      var point = [records[0].lat, records[0].lng];
      var pin = L.marker(point, { title: title, alt: title, keyboard: true });
      var links = records.map(linkTo);
      var content = links[0];
      if (links.length > 1) {
        content = document.createElement("ul");
        content.className = "map-popup-list";
        links.forEach(function (link) {
          var item = document.createElement("li");
          item.appendChild(link);
          content.appendChild(item);
        });
      }
      pin.addTo(map);
      withPopup(pin, content, links[0], closeLabel);
      return pin;
    }

    // The markers on the map, keyed by the indexes of the places they stand for:
    // a group unchanged by a zoom keeps its marker, its focus and its open popup.
    var pins = {};
    function regroup(zoom) {
      var groups = nearby(map, places, zoom);
      var keys = groups.map(function (group) { return group.places.join(","); });
      var focused = document.activeElement;
      // The first place of a marker taken away while it, or its popup, had the focus.
      var lostFocus = null;
      Object.keys(pins).forEach(function (key) {
        if (keys.indexOf(key) >= 0) { return; }
        var pin = pins[key];
        var popup = pin.isPopupOpen() && pin.getPopup().getElement();
        if (pin.getElement() === focused || (popup && popup.contains(focused))) {
          lostFocus = Number(key.split(",")[0]);
        }
        // Closed while its marker is there: the focus in it goes back to the
        // marker (withPopup), then on to the marker that replaces it.
        pin.closePopup();
        pin.remove();
        delete pins[key];
      });
      var added = false;
      var icons = groups.map(function (group, index) {
        var key = keys[index];
        if (!pins[key]) {
          var records = [];
          group.places.forEach(function (place) { records = records.concat(places[place]); });
          pins[key] = groupMarker(records);
          added = true;
        }
        return pins[key].getElement();
      });
      // Tab goes through the markers in the order of their records, new ones too.
      if (added) { arrange(icons); }
      if (lostFocus !== null) {
        groups.forEach(function (group, index) {
          if (group.places.indexOf(lostFocus) >= 0) { focusWithoutScrolling(icons[index]); }
        });
      }
    }

    // A map framing countries does so once their outline is there: at once, from
    // where it stands, rather than animated twice (an animation under way would
    // end on its own zoom, after the second).
    var moves = focus.length ? { animate: false } : {};
    // No marker under the zoom buttons, none cut by the map's edges: a pin
    // stands above its point.
    var buttons = zoomControl.getContainer();
    var fit = L.extend({
      paddingTopLeft: L.point(
        buttons.offsetLeft + buttons.offsetWidth + PIN_WIDTH, PIN_HEIGHT + 8
      ),
      paddingBottomRight: L.point(PIN_WIDTH, 16),
      maxZoom: 6,
    }, moves);
    var zoom = map.getZoom();
    if (element.dataset.fit === "world") {
      zoom = worldView(map, bounds);
    } else if (bounds.length > 1) {
      map.fitBounds(bounds, fit);
      // The zoom the fit goes to, as fitBounds finds it: animated, it reaches it
      // a few frames later.
      var padding = fit.paddingTopLeft.add(fit.paddingBottomRight);
      zoom = Math.min(fit.maxZoom, map.getBoundsZoom(bounds, false, padding));
    } else if (bounds.length === 1) {
      zoom = 5;
      map.setView(bounds[0], zoom, moves);
    }
    regroup(zoom);
    map.on("zoomend", function () { regroup(map.getZoom()); });

    fetch(element.dataset.outline)
      .then(function (response) { return response.json(); })
      .then(function (world) {
        var framed = L.latLngBounds([]);
        // One tooltip, following the mouse, for every country: a layer's own
        // (bindTooltip) listens to its focus, which makes Chromium put each
        // country's shape in the Tab order.
        var tooltip = L.tooltip({ direction: "top", offset: [0, -8] });
        var outline = L.geoJSON(world, {
          interactive: named,
          style: function (feature) {
            var code = feature.properties.iso;
            if (focus.indexOf(code) >= 0) {
              // Set apart from its neighbours by its fill and its outline, the
              // markers clear on it.
              return {
                color: "#0b3d91",
                weight: 2,
                fillOpacity: 1,
                fillColor: "#c6d6f0",
                className: "map-country map-country--focus",
              };
            }
            return {
              color: "#ffffff",
              weight: 0.6,
              fillOpacity: 1,
              fillColor: shade(countries[code], max),
              // The pointer over a country only where a click leads somewhere.
              className: linked[code] ? "map-country map-country--linked" : "map-country",
            };
          },
          onEachFeature: function (feature, layer) {
            var code = feature.properties.iso;
            if (focus.indexOf(code) >= 0) { framed.extend(landmassBounds(map, feature, bounds)); }
            var link = linked[code];
            var name = link ? link.name : names[code];
            if (!named || !name) { return; }
            layer.on("mouseover", function () {
              layer.setStyle({ color: "#1b1b1f", weight: 1.5 });
              layer.bringToFront();
            });
            layer.on("mouseover mousemove", function (event) {
              tooltip.setContent(document.createTextNode(name)).setLatLng(event.latlng);
              if (!map.hasLayer(tooltip)) { tooltip.addTo(map); }
            });
            layer.on("mouseout", function () {
              outline.resetStyle(layer);
              tooltip.remove();
            });
            if (link) {
              layer.on("click", function () { window.location.assign(link.url); });
            }
          },
        }).addTo(map).bringToBack();
        // Its outline over its neighbours' edges.
        outline.eachLayer(function (layer) {
          if (focus.indexOf(layer.feature.properties.iso) >= 0) { layer.bringToFront(); }
        });
        if (framed.isValid()) {
          bounds.forEach(function (point) { framed.extend(point); });
          map.fitBounds(framed, fit);
        }
      });
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
