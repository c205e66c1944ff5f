// On a phone: the site menu folds behind a « Menu » button, filter panels and facets start folded, and table
// cells carry their column's title (the style shows each row as a card). Without JavaScript everything stays
// unfolded: the pages work the same, only longer.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");
  var root = document.documentElement;
  var toggle = document.getElementById("menu-toggle");
  var menu = document.getElementById("site-menu");

  function close(giveFocusBack) {
    menu.classList.remove("open");
    toggle.setAttribute("aria-expanded", "false");
    if (giveFocusBack) { toggle.focus(); }
  }

  if (toggle && menu) {
    root.classList.add("menu-ready");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = !menu.classList.contains("open");
      menu.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = menu.querySelector("a, button, input");
        if (first) { first.focus(); }
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) { close(true); }
    });
  }

  if (narrow.matches) {
    document.querySelectorAll("details[data-fold-on-phone][open]").forEach(function (panel) {
      if (!panel.querySelector(".has-error, .field-error")) { panel.removeAttribute("open"); }
    });
  }

  document.querySelectorAll("table.stack").forEach(function (table) {
    var titles = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (titles[index] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", titles[index]); }
      });
    });
  });
})();
