/* Event entry form: optional helpers; the form works without them.
   - choosing an activity proposes the kind of event it calls for (data-kind on the option),
     unless the user already chose a kind themselves;
   - the total of the participant grid is shown as it is typed. */
(function () {
  "use strict";
  var form = document.querySelector("form.event-form");
  if (!form) { return; }

  var activity = form.querySelector("select[name=activity]");
  var kind = form.querySelector("select[name=kind]");
  var kindTouched = false;
  if (kind) {
    kind.addEventListener("change", function () { kindTouched = true; });
  }
  if (activity && kind) {
    activity.addEventListener("change", function () {
      var option = activity.options[activity.selectedIndex];
      var proposed = option && option.getAttribute("data-kind");
      if (proposed && (!kindTouched || !kind.value)) { kind.value = proposed; }
    });
  }

  var total = form.querySelector(".count-total");
  var inputs = form.querySelectorAll("input.count-input");
  if (!total || !inputs.length) { return; }
  var output = total.querySelector("output");
  var template = total.getAttribute("data-template") || "{total} ({women})";
  function update() {
    var all = 0, women = 0;
    inputs.forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) {
        all += n;
        if (input.name.indexOf("n-F-") === 0) { women += n; }
      }
    });
    output.textContent = template.replace("{total}", all).replace("{women}", women);
    total.hidden = all === 0;
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
})();
