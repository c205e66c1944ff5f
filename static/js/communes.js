/* Commune autocomplete for every input with list="communes-list": suggestions from /api/communes.
   Without JavaScript the field still accepts a name, a postal code or an INSEE code. */
(function () {
  "use strict";
  var list = document.getElementById("communes-list");
  if (!list) { return; }
  var timer = null;
  document.querySelectorAll('input[list="communes-list"]').forEach(function (input) {
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { return; }
      timer = window.setTimeout(function () {
        fetch(list.dataset.url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (communes) {
            list.textContent = "";
            communes.forEach(function (c) {
              var option = document.createElement("option");
              option.value = c.insee;
              option.label = c.libelle + " — " + c.codes_postaux.slice(0, 3).join(", ");
              option.textContent = option.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the field keeps working without suggestions */ });
      }, 200);
    });
  });
})();
