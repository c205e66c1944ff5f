/* The bulletin d'inscription: live total, one more trainee row without a round trip, known organisations
   suggested as one types. Without JavaScript the form still works: the server adds rows and computes the total. */
(function () {
  "use strict";
  var form = document.getElementById("bulletin");
  if (!form) { return; }
  var price = parseInt(form.dataset.price, 10) || 0;
  var list = document.getElementById("trainee-rows");
  var total = document.getElementById("total");
  var count = document.getElementById("total-count");

  function filledRows() {
    var n = 0;
    list.querySelectorAll(".trainee-row").forEach(function (row) {
      var names = row.querySelectorAll('input[name$="-last_name"], input[name$="-first_name"]');
      if (Array.prototype.some.call(names, function (i) { return i.value.trim() !== ""; })) { n += 1; }
    });
    return n;
  }
  function refresh() {
    var n = filledRows();
    count.textContent = String(n);
    total.textContent = String(n * price);
  }
  form.addEventListener("input", refresh);

  document.getElementById("add-row").addEventListener("click", function (event) {
    event.preventDefault();
    var rows = list.querySelectorAll(".trainee-row");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.querySelector("legend").textContent = "Stagiaire " + (index + 1);
    copy.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (e) { e.classList.remove("has-error"); });
    copy.querySelectorAll("input").forEach(function (input) {
      var name = input.name.replace(/^stagiaire-\d+-/, "stagiaire-" + index + "-");
      input.name = name; input.id = name; input.value = "";
      input.removeAttribute("aria-invalid"); input.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll("label").forEach(function (label) {
      label.htmlFor = label.htmlFor.replace(/^stagiaire-\d+-/, "stagiaire-" + index + "-");
    });
    list.appendChild(copy);
    copy.querySelector("input").focus();
  });

  var orgInput = document.getElementById("organisation_name");
  var orgList = document.getElementById("organisations-list");
  var known = {};
  var timer = null;
  function fill(id, value) {
    var field = document.getElementById(id);
    if (field && !field.value && value) { field.value = value; }
  }
  orgInput.addEventListener("input", function () {
    var text = orgInput.value.trim();
    if (known[text]) {
      var org = known[text];
      fill("director", org.director); fill("address", org.address); fill("postal_code", org.postal_code);
      fill("commune", org.commune_insee || ""); fill("phone", org.phone);
      fill("fax", org.fax); fill("email", org.email);
      return;
    }
    window.clearTimeout(timer);
    if (text.length < 2) { return; }
    timer = window.setTimeout(function () {
      fetch(orgInput.dataset.url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) {
          orgList.textContent = "";
          (data.items || []).slice(0, 8).forEach(function (org) {
            known[org.name] = org;
            var option = document.createElement("option");
            option.value = org.name;
            orgList.appendChild(option);
          });
        })
        .catch(function () { /* no suggestions: the field still takes any name */ });
    }, 200);
  });
})();
