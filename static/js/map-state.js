/* Keeps /carte's centre and zoom in the URL (a view can be shared) and lets a click on the /pairs map
   choose the starting point. Plain script, no dependency; the pages work without it. */
(function () {
  "use strict";
  window.addEventListener("kb:moveend", function (event) {
    var d = event.detail;
    if (d.mapId !== "carte" || !window.history.replaceState) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("lat", d.lat);
    url.searchParams.set("lon", d.lon);
    url.searchParams.set("z", d.zoom);
    window.history.replaceState(null, "", url.toString());
    var share = document.getElementById("share-link");
    if (share) { share.href = url.toString(); }
  });
  window.addEventListener("kb:click", function (event) {
    var d = event.detail;
    var form = document.getElementById("peers-form");
    if (d.mapId !== "pairs" || !form) { return; }
    form.elements.lieu.value = "";
    if (form.elements.organisation) { form.elements.organisation.value = ""; }
    form.elements.lat.value = d.lat;
    form.elements.lon.value = d.lon;
    form.submit();
  });
})();
/* /carte: the list under the map follows the view: what lies outside it is hidden, and a line says how many
   actions the view holds (counted on the map's markers, not only the listed ones). */
(function () {
  "use strict";
  function follow(mapId) {
    var entry = window.kbMaps && window.kbMaps[mapId];
    var status = document.getElementById("in-view");  // looked up each time: filters replace the list
    var list = document.getElementById("place-list");
    if (mapId !== "carte" || !entry || !status || entry.config.pointsUrl) { return; }  // large sets: kb:points
    var items = list ? Array.prototype.slice.call(list.children) : [];
    var bounds = entry.map.getBounds();
    var inside = 0;
    var all = [];  // the actions of every layer (one per territory), not the organisations ("o…" ids)
    entry.groups.forEach(function (group) {
      group.getLayers().forEach(function (marker) {
        if (String(marker.options.kbId).charAt(0) === "a") { all.push(marker); }
      });
    });
    all.forEach(function (marker) { if (bounds.contains(marker.getLatLng())) { inside += 1; } });
    var listed = 0;
    items.forEach(function (item) {
      var shown = bounds.contains([parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lon"))]);
      item.hidden = !shown;
      if (shown) { listed += 1; }
    });
    status.hidden = false;
    status.textContent = inside + " action" + (inside > 1 ? "s" : "") + " dans la vue actuelle de la carte" +
      (inside < all.length ? " (sur " + all.length + ")" : "") +
      (listed < inside ? "\u00a0; la liste en montre " + listed + "." : ".");
  }
  // A large set: the server says what the view holds; the list shows its first actions (text only: titles are
  // user text, never HTML).
  function listed(view) {
    var status = document.getElementById("in-view");
    var list = document.getElementById("place-list");
    if (view.mapId !== "carte" || !status) { return; }
    if (!list) {
      list = document.createElement("ul");
      list.className = "place-list";
      list.id = "place-list";
      status.insertAdjacentElement("afterend", list);
    }
    while (list.firstChild) { list.removeChild(list.firstChild); }
    view.list.forEach(function (place) {
      var item = document.createElement("li");
      item.setAttribute("data-lat", place.lat);
      item.setAttribute("data-lon", place.lon);
      var link = document.createElement("a");
      link.href = place.url;
      link.textContent = place.title;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = "\u2014 " + place.mode + (place.commune ? ", " + place.commune : "");
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(meta);
      list.appendChild(item);
    });
    var inside = view.actionsInView;
    status.hidden = false;
    status.textContent = inside + " action" + (inside > 1 ? "s" : "") + " dans la vue actuelle de la carte" +
      (inside < view.actions ? " (sur " + view.actions + ")" : "") +
      (view.list.length < inside ? "\u00a0; la liste en montre " + view.list.length + "." : ".");
  }
  window.addEventListener("kb:points", function (event) { listed(event.detail); });
  window.addEventListener("kb:ready", function (event) { follow(event.detail.mapId); });
  window.addEventListener("kb:moveend", function (event) { follow(event.detail.mapId); });
  if (window.kbMaps && window.kbMaps.carte) { follow("carte"); }
})();
