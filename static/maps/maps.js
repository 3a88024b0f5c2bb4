/* Maps of located ideas, proposals and built projects, and the idea form's location picker.
 * Leaflet and Leaflet.markercluster come from installed packages (static files), never a CDN.
 * Every map has the list beside it as its text equivalent; this script only adds the picture.
 */
(function () {
  "use strict";

  var KOUVOLA = [60.86827, 26.70443];

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function baseMap(el, options) {
    // maxZoom even without tiles: clustering needs to know how far a cluster can open.
    var map = L.map(el, Object.assign({ center: KOUVOLA, zoom: 10, minZoom: 7, maxZoom: 18, scrollWheelZoom: false }, options || {}));
    var tiles = el.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    }
    return map;
  }

  function drawAreas(map, url) {
    return getJSON(url).then(function (data) {
      var layer = L.geoJSON(data, {
        interactive: false,
        style: { color: "#495057", weight: 1.5, fillColor: "#adb5bd", fillOpacity: 0.12 }
      }).addTo(map);
      return { layer: layer, data: data };
    });
  }

  // Ray casting: is the point [lon, lat] inside the polygon's outer ring and in no hole?
  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lon < xi + (lat - yi) * (xj - xi) / (yj - yi)) {
        inside = !inside;
      }
    }
    return inside;
  }

  function areaAt(areas, lat, lon) {
    for (var k = 0; k < areas.features.length; k++) {
      var rings = areas.features[k].geometry.coordinates;
      if (inRing(lon, lat, rings[0]) && !rings.slice(1).some(function (h) { return inRing(lon, lat, h); })) {
        return areas.features[k].properties;
      }
    }
    return null;
  }

  function nearMe(el, map, onFound) {
    var button = el.parentNode.querySelector("[data-map-near-me]");
    var status = el.parentNode.querySelector("[data-map-status]");
    if (!button || !("geolocation" in navigator)) { return; }
    button.hidden = false;
    var here = null;
    // Opt-in: the browser is asked for the position only when the button is pressed.
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var point = [pos.coords.latitude, pos.coords.longitude];
        if (here) { map.removeLayer(here); }
        here = L.circleMarker(point, { radius: 8, color: "#0a58ca", interactive: false }).addTo(map);
        here.bindTooltip(el.dataset.youAreHere || "", { permanent: false });
        map.setView(point, 14);
        if (onFound) { onFound(L.latLng(point)); }
        if (status) { status.textContent = el.dataset.nearMeStatus || ""; }
      }, function () {
        if (status) { status.textContent = el.dataset.nearMeFailed || ""; }
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
    });
  }

  function onePoint(el) {
    var c = el.dataset.point.split(",").map(parseFloat);
    return { type: "FeatureCollection", features: [{
      type: "Feature",
      properties: { title: el.dataset.pointTitle || "", status: "", url: "" },
      geometry: { type: "Point", coordinates: [c[1], c[0]] }
    }] };
  }

  function pointsMap(el) {
    var map = baseMap(el);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    map.addLayer(cluster);
    var areas = drawAreas(map, el.dataset.areasUrl);
    // One item's page gives its point inline; a list's map reads the list's GeoJSON.
    var points = (el.dataset.point ? Promise.resolve(onePoint(el)) : getJSON(el.dataset.pointsUrl)).then(function (data) {
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], { alt: f.properties.title, title: f.properties.title });
        var box = document.createElement("div");
        var link = document.createElement(f.properties.url ? "a" : "strong");
        if (f.properties.url) { link.href = f.properties.url; }
        link.textContent = f.properties.title;
        box.appendChild(link);
        if (f.properties.status) {
          var small = document.createElement("div");
          small.className = "small";
          small.textContent = f.properties.status;
          box.appendChild(small);
        }
        marker.bindPopup(box);
        cluster.addLayer(marker);
      });
      return data;
    });
    Promise.all([areas, points]).then(function (r) {
      var bounds = cluster.getLayers().length ? cluster.getBounds() : r[0].layer.getBounds();
      // A marker stands above its point: room at the top so the northernmost is whole. One
      // item's map stays far enough out to show where in Kouvola it is.
      if (bounds.isValid()) {
        map.fitBounds(bounds, { paddingTopLeft: [16, 48], paddingBottomRight: [16, 16], maxZoom: el.dataset.point ? 12 : 14 });
      }
      el.dataset.ready = String(r[1].features.length);
    }).catch(function () { el.dataset.ready = "error"; });
    nearMe(el, map);
  }

  function pickerMap(el) {
    var lat = document.getElementById(el.dataset.latInput);
    var lon = document.getElementById(el.dataset.lonInput);
    var areaSelect = document.getElementById(el.dataset.areaSelect);
    var status = el.parentNode.querySelector("[data-map-status]");
    // Arrow keys move the marker, not the map; the container itself takes the focus.
    var map = baseMap(el, { keyboard: false });
    el.tabIndex = 0;
    var marker = null;
    var areas = null;
    var suggested = "";

    function suggest(latV, lonV) {
      if (!areas || !areaSelect) { return; }
      var area = areaAt(areas, latV, lonV);
      // Only fill an empty choice or replace our own earlier suggestion, never the person's.
      if (area && (areaSelect.value === "" || areaSelect.value === suggested)) {
        areaSelect.value = String(area.id);
        suggested = String(area.id);
        if (status) { status.textContent = (el.dataset.suggestText || "").replace("%s", area.name); }
      }
    }

    function place(latlng, fromInputs) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: false, alt: el.dataset.markerLabel || "" }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), false); });
      } else {
        marker.setLatLng(latlng);
      }
      if (!fromInputs) {
        lat.value = latlng.lat.toFixed(5);
        lon.value = latlng.lng.toFixed(5);
      }
      suggest(latlng.lat, latlng.lng);
      el.dataset.placed = lat.value + "," + lon.value;
    }

    function fromInputs() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (!isNaN(a) && !isNaN(b)) { place(L.latLng(a, b), true); map.setView([a, b], Math.max(map.getZoom(), 13)); }
    }

    map.on("click", function (e) { place(e.latlng, false); });
    el.addEventListener("keydown", function (e) {
      var steps = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      // One key press moves the marker about a fiftieth of the visible map.
      var b = map.getBounds();
      var dLat = (b.getNorth() - b.getSouth()) / 50, dLon = (b.getEast() - b.getWest()) / 50;
      if (e.key in steps) {
        e.preventDefault();
        var at = marker ? marker.getLatLng() : map.getCenter();
        var s = steps[e.key];
        var next = L.latLng(at.lat + s[0] * dLat * (e.shiftKey ? 10 : 1), at.lng + s[1] * dLon * (e.shiftKey ? 10 : 1));
        place(next, false);
        if (!map.getBounds().pad(-0.1).contains(next)) { map.panTo(next); }
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        place(marker ? marker.getLatLng() : map.getCenter(), false);
      } else if (e.key === "+" || e.key === "=") {
        map.zoomIn();
      } else if (e.key === "-") {
        map.zoomOut();
      }
    });
    lat.addEventListener("change", fromInputs);
    lon.addEventListener("change", fromInputs);
    drawAreas(map, el.dataset.areasUrl).then(function (r) {
      areas = r.data;
      if (areaSelect && areaSelect.value) { suggested = ""; }
      if (lat.value && lon.value) { fromInputs(); map.setView([parseFloat(lat.value), parseFloat(lon.value)], 13); }
      else { map.fitBounds(r.layer.getBounds()); }
      el.dataset.ready = "1";
    }).catch(function () { el.dataset.ready = "error"; });
    nearMe(el, map, function (latlng) { place(latlng, false); });
  }

  function start() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map=points]").forEach(pointsMap);
    document.querySelectorAll("[data-map=picker]").forEach(pickerMap);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
