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
