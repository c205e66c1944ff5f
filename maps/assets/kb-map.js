/* kb-map: builds the markers of a map rendered by maps/render.py, client-side, from its JSON data block.
 *
 * The server sends one compact array of rows [lat, lon, id, categoryIndex, layerIndex, title, url?]
 * instead of one folium Marker per point (7.5 s and 8.4 MB at 10,000 points). This file is the same
 * for every map, so a Content-Security-Policy can allow it by hash or serve it as a static file.
 * Text from users only ever reaches the DOM through textContent, never innerHTML; the HTML popups
 * come from the server (popup_html, or the popup URL), escaped there.
 * Events on window: kb:ready {mapId, pointCount}, kb:moveend {mapId, lat, lon, zoom}, kb:click {mapId, lat, lon},
 * kb:points {mapId, points, clusters, total, inView, actions, actionsInView, list} (a large set's view arrived).
 * kbMap.update(mapId, config) redraws a map's markers from another config (its filters changed).
 * A large set (config.pointsUrl): the server sends the clusters of the view on screen (maps/clusters.py), asked
 * again after each move; clusters are drawn as pies too, and a click zooms into their bounds.
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
  function pieElement(config, counts, total) {
    var stops = [];
    var words = [];
    var start = 0;
    counts.forEach(function (count, index) {
      if (!count) { return; }
      var end = start + 360 * count / total;
      var category = config.categories[index] || config.categories[config.categories.length - 1];
      stops.push(category.colour + " " + start.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      words.push(count + " " + category.label);
      start = end;
    });
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
    return pie;
  }

  function pieSize(total) {
    return total < 10 ? 36 : (total < 100 ? 42 : (total < 1000 ? 50 : 58));
  }

  function pieIcon(config) {
    return function (cluster) {
      var counts = config.categories.map(function () { return 0; });
      cluster.getAllChildMarkers().forEach(function (marker) {
        counts[marker.options.kbCategory || 0] += 1;
      });
      var total = cluster.getChildCount();
      var size = pieSize(total);
      return L.divIcon({ className: "marker-cluster kb-cluster", iconSize: [size, size],
        html: pieElement(config, counts, total) });
    };
  }

  // Clusters computed by the server (a view of a large set): [lat, lon, count, counts per category, bounds];
  // a click (or Enter) zooms into the cluster's bounds.
  function serverClusters(map, config) {
    var group = L.featureGroup();
    (config.clusters || []).forEach(function (cluster) {
      var size = pieSize(cluster[2]);
      var pie = pieElement(config, cluster[3], cluster[2]);
      var marker = L.marker([cluster[0], cluster[1]], {
        icon: L.divIcon({ className: "marker-cluster kb-cluster kb-cluster--server", iconSize: [size, size], html: pie }),
        title: pie.title, alt: pie.title, keyboard: true, riseOnHover: true
      });
      marker.on("click", function () {
        var b = cluster[4];
        if (b[0] === b[2] && b[1] === b[3]) {
          map.setView([b[0], b[1]], Math.min(map.getZoom() + 3, map.getMaxZoom()));
        } else {
          map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: [40, 40] });
        }
      });
      group.addLayer(marker);
    });
    return group.addTo(map);
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
    if (config.pointsUrl) {
      groups.push(serverClusters(map, config));
    }
    var control = null;
    if (groups.length > 1 && !config.pointsUrl) {
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
    container.setAttribute("data-point-count", String(pointCount(config)));
    map.on("moveend", function () {
      var centre = map.getCenter();
      emit("kb:moveend", { mapId: config.mapId, lat: round(centre.lat), lon: round(centre.lng), zoom: map.getZoom() });
    });
    map.on("click", function (event) {
      emit("kb:click", { mapId: config.mapId, lat: round(event.latlng.lat), lon: round(event.latlng.lng) });
    });
    var entry = window.kbMaps[config.mapId] = { map: map, groups: [], control: null, pointCount: pointCount(config),
      config: config, asked: 0, timer: null };
    var drawn = draw(map, config, function () {
      container.setAttribute("data-kb-ready", "true");
      emit("kb:ready", { mapId: config.mapId, pointCount: pointCount(config) });
    });
    entry.groups = drawn.groups;
    entry.control = drawn.control;
    map.on("moveend", function () {
      if (!entry.config.pointsUrl) {
        return; // every point is drawn already
      }
      window.clearTimeout(entry.timer);
      entry.timer = window.setTimeout(function () { refresh(config.mapId); }, 150);
    });
    if (config.pointsUrl) {
      refresh(config.mapId); // the first view was guessed by the server: ask for the one on screen
    }
    return map;
  }

  function pointCount(config) {
    return config.total !== undefined && config.total !== null ? config.total : config.points.length;
  }

  // A large set: ask the server for the points and clusters of the view on screen (a little beyond its edges),
  // draw them, and tell the page (kb:points, with the list of the actions in view). A late answer to an earlier
  // view is dropped.
  function refresh(mapId) {
    var entry = window.kbMaps && window.kbMaps[mapId];
    if (!entry || !entry.config.pointsUrl) {
      return;
    }
    var map = entry.map;
    var bounds = map.getBounds().pad(0.25);
    var west = bounds.getWest();
    var east = bounds.getEast();
    if (east - west >= 360) {
      west = -180;
      east = 180;
    } else {
      // Panned past the antimeridian: longitudes back into [-180, 180] (west > east then crosses it).
      west = ((west + 180) % 360 + 360) % 360 - 180;
      east = ((east + 180) % 360 + 360) % 360 - 180;
    }
    var box = [Math.max(bounds.getSouth(), -90), west, Math.min(bounds.getNorth(), 90), east].map(function (value) {
      return Math.round(value * 1e5) / 1e5;
    });
    var url = entry.config.pointsUrl + (entry.config.pointsUrl.indexOf("?") === -1 ? "?" : "&") +
      "bbox=" + box.join(",") + "&z=" + map.getZoom();
    var asked = entry.asked += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (view) {
        if (asked !== entry.asked) {
          return; // the reader moved again meanwhile
        }
        var config = {};
        Object.keys(entry.config).forEach(function (key) { config[key] = entry.config[key]; });
        config.points = view.points;
        config.clusters = view.clusters;
        config.total = view.total;
        update(mapId, config, true);
        view.mapId = mapId;
        emit("kb:points", view);
      })
      .catch(function (error) {
        window.console.warn("kb-map: vue non chargée", error); // the markers drawn stay
      });
  }

  // Replace a map's markers with those of another config of the same map (filters applied without a reload);
  // the view stays where the reader put it.
  function update(mapId, config, fromView) {
    var entry = window.kbMaps && window.kbMaps[mapId];
    if (!entry) {
      return;
    }
    entry.config = config;
    var container = entry.map.getContainer();
    container.setAttribute("data-kb-ready", "false");
    entry.groups.forEach(function (group) { entry.map.removeLayer(group); });
    if (entry.control) {
      entry.map.removeControl(entry.control);
    }
    entry.pointCount = pointCount(config);
    container.setAttribute("data-point-count", String(entry.pointCount));
    var drawn = draw(entry.map, config, function () {
      container.setAttribute("data-kb-ready", "true");
      emit("kb:ready", { mapId: mapId, pointCount: entry.pointCount });
    });
    entry.groups = drawn.groups;
    entry.control = drawn.control;
    if (config.pointsUrl && !fromView) {
      refresh(mapId); // new filters: the view on screen with them
    }
  }

  window.kbMap = { init: init, update: update };
})();
