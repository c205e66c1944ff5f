/* /carte without reloads: the filters redraw the markers, the count, the list and the export links from the
   page the server would send (fetched, not loaded), and the URL follows (back and forward work). On a phone the
   filters open in a drawer (a modal <dialog>: focus kept inside, Escape closes it, focus back on its button).
   Without JavaScript the form submits and the page reloads, as before. */
(function () {
  "use strict";
  var form = document.querySelector("form[aria-label='Filtrer la carte']");
  var panel = form ? form.closest("details") : null;
  if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) { return; }
  var narrow = window.matchMedia("(max-width: 48rem)").matches;
  var drawer = null;
  var opener = null;

  function filtersCount() {
    var count = 0;
    new FormData(form).forEach(function (value, name) {
      if (value && ["lat", "lon", "z", "page"].indexOf(name) === -1) { count += 1; }
    });
    return count;
  }

  function label() {
    if (!opener) { return; }
    var count = filtersCount();
    opener.textContent = "Filtres" + (count ? " (" + count + ")" : "");
  }

  function target() {
    var url = new URL(form.action, window.location.href);
    new FormData(form).forEach(function (value, name) {
      if (value) { url.searchParams.append(name, value); }
    });
    var here = new URL(window.location.href);  // the view the reader chose stays
    ["lat", "lon", "z"].forEach(function (name) {
      if (here.searchParams.get(name)) { url.searchParams.set(name, here.searchParams.get(name)); }
    });
    return url;
  }

  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
  }

  function apply(url, push) {
    document.body.setAttribute("aria-busy", "true");
    return fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var data = doc.getElementById("carte-data");
        if (!data || !window.kbMap || !window.kbMap.update) { throw new Error("no map data"); }
        ["map-total", "map-exports", "liste-carte"].forEach(function (id) { swap(doc, id); });
        if (push) { window.history.pushState(null, "", url.toString()); }
        var share = document.getElementById("share-link");
        if (share) { share.href = url.toString(); }
        window.kbMap.update("carte", JSON.parse(data.textContent));
        label();
      })
      .catch(function () {
        window.location.assign(url.toString());  // the server answers what the fetch could not
      })
      .then(function () { document.body.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (drawer && drawer.open) {
      drawer.close();
    }
    apply(target(), true);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
      if (!drawer) { apply(target(), true); } else { label(); }  // in the drawer: applied on « Afficher »
    }
  });
  window.addEventListener("popstate", function () {
    var url = new URL(window.location.href);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || ["lat", "lon", "z"].indexOf(field.name) !== -1) { return; }
      if (field.type === "checkbox") {
        field.checked = url.searchParams.getAll(field.name).indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" || field.tagName === "INPUT") {
        field.value = url.searchParams.get(field.name) || "";
      }
    });
    apply(url, false);
  });

  if (narrow && panel && window.HTMLDialogElement) {
    drawer = document.createElement("dialog");
    drawer.className = "drawer";
    drawer.id = "filtres-carte";
    drawer.setAttribute("aria-labelledby", "filtres-carte-titre");
    var head = document.createElement("div");
    head.className = "drawer-head";
    var title = document.createElement("h2");
    title.id = "filtres-carte-titre";
    title.textContent = "Filtres de la carte";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button button-secondary";
    close.textContent = "Fermer";
    close.addEventListener("click", function () { drawer.close(); });
    head.appendChild(title);
    head.appendChild(close);
    drawer.appendChild(head);
    drawer.appendChild(form);
    opener = document.createElement("button");
    opener.type = "button";
    opener.className = "button button-secondary";
    opener.id = "filtres-bouton";
    opener.setAttribute("aria-haspopup", "dialog");
    opener.setAttribute("aria-controls", drawer.id);
    opener.addEventListener("click", function () {
      drawer.showModal();
      var first = form.querySelector("input, select");
      if (first) { first.focus(); }
    });
    drawer.addEventListener("close", function () { opener.focus(); });
    panel.replaceWith(opener);
    (document.getElementById("contenu") || document.body).appendChild(drawer);
    label();
  }
})();
