// Pickers (fieldset.picker: checkboxes): a search field that narrows the list as one types, and a live count of
// the boxes ticked. The checkboxes stay the form's fields: without this script the list simply shows them all.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("fieldset[data-picker]").forEach(function (picker) {
    var items = Array.prototype.slice.call(picker.querySelectorAll(".picker-options li"));
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    if (items.length < 2) { return; }
    var id = picker.id + "-filtre";
    var field = document.createElement("div");
    field.className = "picker-search";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filtrer la liste";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", picker.id + "-options");
    var status = document.createElement("p");
    status.className = "picker-status";
    status.setAttribute("role", "status");
    field.appendChild(label);
    field.appendChild(input);
    picker.querySelector(".picker-options").id = picker.id + "-options";
    picker.insertBefore(field, picker.querySelector(".picker-options"));
    picker.insertBefore(status, picker.querySelector(".picker-options"));

    function update() {
      var wanted = fold(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var visible = !wanted || (box && box.checked) || fold(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      status.textContent = ticked + " choisi" + (ticked > 1 ? "s" : "") +
        (wanted ? " · " + shown + " affiché" + (shown > 1 ? "s" : "") + " sur " + items.length : "");
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // typing in the filter never submits the form
    });
    picker.addEventListener("change", update);
    update();
  });
})();
