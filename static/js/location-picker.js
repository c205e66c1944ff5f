/* The location picker of the action and organisation forms (map "picker"):
   - a click or a tap places a draggable marker and fills the latitude and longitude fields;
   - choosing a commune in the form centres the map on it;
   - a point placed with no commune typed fills the commune back (the nearest commune of the gazetteer);
   - a point outside the chosen commune (another commune is nearer) or far from it shows a visible warning.
   The fields stay the truth and the keyboard's path: typing the coordinates moves the marker. Without this
   script the fields work alone, and the server checks the point (in France) when the form is sent. */
(function () {
  "use strict";
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  var commune = document.getElementById("commune");
  var warning = document.getElementById("picker-warning");
  var box = document.getElementById("picker");
  if (!lat || !lon || !box) { return; }
  var nearUrl = box.getAttribute("data-near-url") || "/api/communes/proche";
  var searchUrl = box.getAttribute("data-search-url") || "/api/communes";
  var FAR_KM = 15;
  var state = { map: null, marker: null, chosen: null, asked: 0 };

  function number(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function distanceKm(a, b) {
    var rad = Math.PI / 180;
    var h = Math.pow(Math.sin((b[0] - a[0]) * rad / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin((b[1] - a[1]) * rad / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }

  function frenchKm(value) {
    return value.toFixed(1).replace(".", ",") + "\u00a0km";
  }

  function de(name) {
    if (/^Les /.test(name)) { return "des " + name.slice(4); }
    if (/^Le /.test(name)) { return "du " + name.slice(3); }
    if (/^L['’]/.test(name)) { return "de l'" + name.slice(2); }
    return (/^[aeiouyàâäéèêëîïôöûüùœæ]/i.test(name) ? "d'" : "de ") + name;
  }

  function say(text) {
    if (!warning) { return; }
    warning.textContent = text;
    warning.hidden = !text;
  }

  function point() {
    var a = number(lat);
    var b = number(lon);
    return a === null || b === null ? null : [a, b];
  }

  function hideServerMarkers() {
    var groups = (window.kbMaps && window.kbMaps.picker && window.kbMaps.picker.groups) || [];
    groups.forEach(function (group) { state.map.removeLayer(group); });
  }

  function showMarker(at) {
    if (!state.map) { return; }
    if (!state.marker) {
      hideServerMarkers();
      state.marker = L.marker(at, { draggable: true, autoPan: true, title: "Position de l'action (faites glisser)",
                                    alt: "Position choisie" }).addTo(state.map);
      state.marker.on("dragend", function () {
        var moved = state.marker.getLatLng();
        fill([moved.lat, moved.lng]);
      });
    } else {
      state.marker.setLatLng(at);
    }
  }

  function fill(at) {
    lat.value = (Math.round(at[0] * 1e6) / 1e6).toString();
    lon.value = (Math.round(at[1] * 1e6) / 1e6).toString();
    showMarker(at);
    check(true);
  }

  // Warn when another commune is nearer than the one chosen, or the point is far from it; a point placed on the
  // map (``placed``, not typed) fills an empty commune.
  function check(placed) {
    var at = point();
    if (!at) { say(""); return; }
    var asked = ++state.asked;
    fetch(nearUrl + "?lat=" + at[0] + "&lon=" + at[1], { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (answer) {
        if (asked !== state.asked) { return; }  // an older answer, after a newer click
        var ok = answer[0];
        var near = answer[1];
        if (!ok) { say((near.error && near.error.message) || "Ce point ne peut pas être vérifié."); return; }
        if (placed && commune && !commune.value.trim()) {
          commune.value = near.libelle;
          state.chosen = near;
          say("");
          return;
        }
        var chosen = state.chosen;
        if (!chosen) { say(""); return; }
        var away = distanceKm(at, [chosen.latitude, chosen.longitude]);
        var same = near.insee === chosen.insee || near.parent_insee === chosen.insee;
        if (!same || away > FAR_KM) {
          say("Attention\u00a0: ce point est à " + frenchKm(away) + " du centre " + de(chosen.nom) +
              (same ? "" : ", et la commune la plus proche est " + near.libelle) +
              ". Vérifiez la commune, ou déplacez le repère.");
        } else {
          say("");
        }
      })
      .catch(function () { say(""); });
  }

  // The commune typed or picked in the form: centre the map on it (and check the point against it).
  function resolveCommune() {
    var text = commune ? commune.value.trim() : "";
    if (text.length < 2) { state.chosen = null; check(); return; }
    var name = text.replace(/\s*\(\d[\dAB]?\d?\)\s*$/, "");
    fetch(searchUrl + "?q=" + encodeURIComponent(name), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        var pick = found.filter(function (c) { return c.insee === text || c.libelle === text; })[0] ||
          found.filter(function (c) { return c.nom.toLowerCase() === name.toLowerCase(); })[0] || found[0];
        state.chosen = pick || null;
        if (pick && state.map && pick.latitude !== null) {
          var at = point();
          if (!at) {
            state.map.setView([pick.latitude, pick.longitude], 13);
          } else {
            state.map.fitBounds([at, [pick.latitude, pick.longitude]], { padding: [30, 30], maxZoom: 14 });
          }
        }
        check();
      })
      .catch(function () { /* no suggestions: the server checks the commune */ });
  }

  function start() {
    if (state.map || !window.kbMaps || !window.kbMaps.picker) { return; }
    state.map = window.kbMaps.picker.map;
    box.setAttribute("data-picker-ready", "true");
    var at = point();
    if (at) { showMarker(at); }
    resolveCommune();
  }

  window.addEventListener("kb:ready", function (event) {
    if (event.detail.mapId === "picker") { start(); }
  });
  window.addEventListener("kb:click", function (event) {
    var d = event.detail;
    if (d.mapId !== "picker") { return; }
    start();
    fill([d.lat, d.lon]);
  });
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var at = point();
      if (at) { showMarker(at); if (state.map) { state.map.panTo(at); } check(); }
    });
  });
  if (commune) { commune.addEventListener("change", resolveCommune); }
  start();
})();
