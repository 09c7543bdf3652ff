/* Filters the unit list of the user forms as one types in the search field (input[data-unit-filter]
   names the <select>). Without JavaScript the field's own form narrows the list on the server; the
   words are matched the same way: every word, ignoring case and Vietnamese marks. */
(function () {
  "use strict";

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function attach(input) {
    var select = document.getElementById(input.getAttribute("data-unit-filter"));
    if (!select || !String.prototype.normalize) {
      return;
    }
    // Keep every option, so clearing the field shows them all again.
    var all = Array.prototype.slice.call(select.options).map(function (option) {
      return { option: option, text: fold(option.text) };
    });
    var count = document.getElementById("unit-search-count");
    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var selected = select.value;
      all.forEach(function (entry) {
        var keep = !entry.option.value || entry.option.value === selected ||
          words.every(function (word) { return entry.text.indexOf(word) !== -1; });
        if (keep && !entry.option.parentNode) {
          select.appendChild(entry.option);
        } else if (!keep && entry.option.parentNode) {
          select.removeChild(entry.option);
        }
        if (keep && entry.option.value) {
          shown += 1;
        }
      });
      // Put the kept options back in their first order (by place in the tree).
      all.forEach(function (entry) {
        if (entry.option.parentNode) {
          select.appendChild(entry.option);
        }
      });
      if (count) {
        count.textContent = String(shown);
      }
    }
    input.addEventListener("input", filter);
  }

  document.querySelectorAll("input[data-unit-filter]").forEach(attach);
})();
