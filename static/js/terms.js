/* Term autocomplete (ARIA combobox, list autocomplete) for inputs with data-terms-url: a comma-separated list
   of terms. Suggestions for the words after the last comma come from /api/vocabulaire/<liste>; arrows move,
   Enter or a click picks, Escape closes. Without JavaScript the field takes names as typed: the server
   matches them to the list by name or synonym, and proposes the others to the trainers. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-terms-url]").forEach(function (input, n) {
    var listbox = document.createElement("ul");
    listbox.id = input.id + "-suggestions";
    listbox.className = "term-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    input.parentNode.insertBefore(listbox, input.nextSibling);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(status, listbox.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    var timer = null, active = -1, items = [];

    function parts() {
      var all = input.value.split(",");
      return { done: all.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean), typing: all[all.length - 1].trim() };
    }
    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
    }
    function pick(index) {
      var current = parts();
      current.done.push(items[index].label);
      input.value = current.done.join(", ") + ", ";
      close();
      status.textContent = items[index].label + " ajouté.";
      input.focus();
    }
    function show(found) {
      items = found;
      listbox.textContent = "";
      found.forEach(function (term, i) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + n + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = term.label + (term.synonyme ? " (" + term.synonyme + ")" : "");
        option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        listbox.appendChild(option);
      });
      listbox.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      status.textContent = found.length ? found.length + " suggestion" + (found.length > 1 ? "s" : "") + "." :
        "Aucun terme de la liste : ce terme sera proposé aux formateur·rices.";
      active = -1;
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var typing = parts().typing;
      if (typing.length < 2) { close(); return; }
      timer = window.setTimeout(function () {
        fetch(input.dataset.termsUrl + "?q=" + encodeURIComponent(typing), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { termes: [] }; })
          .then(function (data) { show(data.termes || []); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (listbox.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  });
})();
