/* kb-map: builds the markers of a map rendered by maps/render.py, client-side, from its JSON data block.
 *
 * The server sends one compact array of rows [lat, lon, id, categoryIndex, layerIndex, title, url?]
 * instead of one folium Marker per point (7.5 s and 8.4 MB at 10,000 points). This file is the same
 * for every map, so a Content-Security-Policy can allow it by hash or serve it as a static file.
 * Text from users only ever reaches the DOM through textContent, never innerHTML; the HTML popups
 * come from the server (popup_html, or the popup URL), escaped there.
 * Events on window: kb:ready {mapId, pointCount}, kb:moveend {mapId, lat, lon, zoom}, kb:click {mapId, lat, lon}.
 * kbMap.update(mapId, config) redraws a map's markers from another config (its filters changed).
 */
(function () {
  "use strict";
  if (window.kbMap) {
    return;
  }
  var KbMarker = null;

  function emit(name, detail) {
    window.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  // A marker whose icon carries data-kb-id, so a page or a browser test can find one point's marker.
  // Built again if the page loaded Leaflet a second time (two map fragments each with their assets).
  function markerClass() {
    if (KbMarker === null || !(KbMarker.prototype instanceof L.Marker)) {
      KbMarker = L.Marker.extend({
        onAdd: function (map) {
          L.Marker.prototype.onAdd.call(this, map);
          var element = this.getElement();
          if (element) {
            element.setAttribute("data-kb-id", String(this.options.kbId));
          }
          return this;
        }
      });
    }
    return KbMarker;
  }

  function paragraph(text, className) {
    var element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function inlinePopup(config, row, index) {
    var box = document.createElement("div");
    box.className = "kb-popup";
    var title = document.createElement(row[6] ? "a" : "strong");
    title.className = "kb-popup__title";
    title.textContent = row[5];
    if (row[6]) {
      title.href = row[6];
    }
    box.appendChild(title);
    var html = config.popups && config.popups[String(index)];
    if (html) {
      var body = document.createElement("div");
      body.className = "kb-popup__body";
      body.innerHTML = html; // popup_html: trusted HTML the server built and escaped
      box.appendChild(body);
    }
    return box;
  }

  function remotePopup(config, marker, id) {
    var popup = L.popup({ maxWidth: 320 });
    popup.setContent(paragraph(config.texts.loading, "kb-popup kb-popup--loading"));
    marker.bindPopup(popup).openPopup();
    var url = config.popupUrl.split("{id}").join(encodeURIComponent(String(id)));
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        popup.setContent(html); // an HTML fragment from our own server, escaped there
      })
      .catch(function () {
        popup.setContent(paragraph(config.texts.error, "kb-popup kb-popup--error"));
        marker.unbindPopup(); // the next click tries again
      });
  }

  function onMarkerClick(config, event) {
    var marker = event.layer;
    if (!marker || marker.getPopup()) {
      return; // already bound: Leaflet opens it itself
    }
    if (config.popupUrl) {
      remotePopup(config, marker, marker.options.kbId);
    } else {
      var row = config.points[marker.options.kbIndex];
      marker.bindPopup(inlinePopup(config, row, marker.options.kbIndex), { maxWidth: 320 }).openPopup();
    }
  }

  // A cluster drawn as a pie of its categories (the modes of intervention), its count in the middle; its title
  // and text alternative say the shares in words ("12 actions : 7 Travail social de groupe, 5 …").
  function pieIcon(config) {
    return function (cluster) {
      var counts = config.categories.map(function () { return 0; });
      cluster.getAllChildMarkers().forEach(function (marker) {
        counts[marker.options.kbCategory || 0] += 1;
      });
      var total = cluster.getChildCount();
      var stops = [];
      var words = [];
      var start = 0;
      counts.forEach(function (count, index) {
        if (!count) { return; }
        var end = start + 360 * count / total;
        var category = config.categories[index];
        stops.push(category.colour + " " + start.toFixed(1) + "deg " + end.toFixed(1) + "deg");
        words.push(count + " " + category.label);
        start = end;
      });
      var size = total < 10 ? 36 : (total < 100 ? 42 : 50);
      var pie = document.createElement("span");
      pie.className = "kb-cluster__pie";
      pie.style.background = "conic-gradient(" + stops.join(", ") + ")"; // CSSOM: allowed by the CSP
      var count = document.createElement("span");
      count.className = "kb-cluster__count";
      count.textContent = String(total);
      pie.appendChild(count);
      pie.title = total + " : " + words.join(", ");
      pie.setAttribute("role", "img");
      pie.setAttribute("aria-label", pie.title);
      pie.setAttribute("data-kb-shares", counts.join(","));
      return L.divIcon({ className: "marker-cluster kb-cluster", iconSize: [size, size], html: pie });
    };
  }

  // Draw a config's markers on a map (clusters, layers control); calls done() once every marker is in.
  function draw(map, config, done) {
    var rows = config.points;
    var Marker = markerClass();
    var pending = 0;
    var finished = false;

    function ready() {
      if (!finished) {
        finished = true;
        done();
      }
    }

    function progress(count, total) {
      // total 0: a group (re)added to the map with nothing queued, which says nothing of our markers.
      if (total > 0 && count === total) {
        pending -= 1;
        if (pending === 0) {
          ready();
        }
      }
    }

    var icons = config.categories.map(function (category) {
      return L.divIcon({ className: "kb-marker kb-marker--" + category.slug, iconSize: [16, 16], html: "" });
    });
    var buckets = config.layers.map(function () {
      return [];
    });
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      // Proportional symbols: a disc whose area follows the count (config.sizes, its diameter in px).
      var icon = config.sizes ? L.divIcon({
        className: "kb-marker kb-symbol kb-marker--" + config.categories[row[3]].slug,
        iconSize: [config.sizes[i], config.sizes[i]], html: ""
      }) : icons[row[3]];
      buckets[row[4]].push(new Marker([row[0], row[1]], {
        icon: icon, title: row[5], alt: row[5], riseOnHover: true, kbId: row[2], kbIndex: i, kbCategory: row[3]
      }));
    }
    var overlays = {};
    var groups = buckets.map(function (bucket, index) {
      var group = config.cluster
        ? L.markerClusterGroup({
          chunkedLoading: true, chunkProgress: progress, showCoverageOnHover: false, maxClusterRadius: 50,
          iconCreateFunction: pieIcon(config)
        })
        : L.featureGroup();
      group.on("click", function (event) {
        onMarkerClick(config, event);
      });
      group.addTo(map);
      overlays[config.layers[index]] = group;
      if (config.cluster && bucket.length) {
        pending += 1;
      }
      return group;
    });
    // Counted above first: chunkProgress may report the end synchronously for a small group.
    groups.forEach(function (group, index) {
      if (config.cluster) {
        group.addLayers(buckets[index]);
      } else {
        buckets[index].forEach(function (marker) {
          group.addLayer(marker);
        });
      }
    });
    var control = null;
    if (groups.length > 1) {
      control = L.control.layers(null, overlays, { collapsed: false }).addTo(map); // labels: HTML escaped server-side
    }
    if (pending === 0) {
      ready();
    }
    return { groups: groups, control: control };
  }

  function init(map, dataId) {
    var config = JSON.parse(document.getElementById(dataId).textContent);
    var container = map.getContainer();

    if (config.radius) {
      try {
        L.circle([config.radius[0], config.radius[1]], {
          radius: config.radius[2] * 1000, className: "kb-map-radius", interactive: false,
          color: "#1d4ed8", weight: 2, fillOpacity: 0.06
        }).addTo(map);
      } catch (error) {
        // No SVG nor canvas renderer: the circle is a decoration, the markers must still be drawn.
        window.console.warn("kb-map: cercle non dessiné", error);
      }
    }
    if (config.fit) {
      // Before the markers go in, so that clusters are computed once, at the final zoom.
      map.fitBounds(config.fit, { padding: [24, 24], maxZoom: config.fitMaxZoom, animate: false });
    }

    window.kbMaps = window.kbMaps || {};
    container.setAttribute("data-point-count", String(config.points.length));
    map.on("moveend", function () {
      var centre = map.getCenter();
      emit("kb:moveend", { mapId: config.mapId, lat: round(centre.lat), lon: round(centre.lng), zoom: map.getZoom() });
    });
    map.on("click", function (event) {
      emit("kb:click", { mapId: config.mapId, lat: round(event.latlng.lat), lon: round(event.latlng.lng) });
    });
    var entry = window.kbMaps[config.mapId] = { map: map, groups: [], control: null, pointCount: config.points.length };
    var drawn = draw(map, config, function () {
      container.setAttribute("data-kb-ready", "true");
      emit("kb:ready", { mapId: config.mapId, pointCount: config.points.length });
    });
    entry.groups = drawn.groups;
    entry.control = drawn.control;
    return map;
  }

  // Replace a map's markers with those of another config of the same map (filters applied without a reload);
  // the view stays where the reader put it.
  function update(mapId, config) {
    var entry = window.kbMaps && window.kbMaps[mapId];
    if (!entry) {
      return;
    }
    var container = entry.map.getContainer();
    container.setAttribute("data-kb-ready", "false");
    entry.groups.forEach(function (group) { entry.map.removeLayer(group); });
    if (entry.control) {
      entry.map.removeControl(entry.control);
    }
    entry.pointCount = config.points.length;
    container.setAttribute("data-point-count", String(config.points.length));
    var drawn = draw(entry.map, config, function () {
      container.setAttribute("data-kb-ready", "true");
      emit("kb:ready", { mapId: mapId, pointCount: config.points.length });
    });
    entry.groups = drawn.groups;
    entry.control = drawn.control;
  }

  window.kbMap = { init: init, update: update };
})();
