/* The running total of the cost rows on the application form; the form works without it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector("[data-cost-table]");
  var out = document.querySelector("[data-cost-total]");
  if (!box || !out) { return; }
  var label = (script && script.getAttribute("data-total-label")) || "";
  var format = new Intl.NumberFormat(document.documentElement.lang || "fi",
    { style: "currency", currency: "EUR" });
  function update() {
    var cents = 0;
    box.querySelectorAll("input[name$='_amount']").forEach(function (input) {
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) { cents += Math.round(value * 100); }
    });
    out.textContent = label + " " + format.format(cents / 100);
    out.hidden = false;
  }
  box.addEventListener("input", update);
  update();
})();
