// Show only the fields of the chosen report kind: the year for an annual report, the
// dates for an interim one. Without JavaScript every field shows and the server decides.
(function () {
  "use strict";
  document.querySelectorAll("form.report-request").forEach(function (form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) {
      return;
    }
    function update() {
      form.querySelectorAll("[data-report-kind]").forEach(function (input) {
        var wrapper = input.closest(".mb-3") || input.parentElement;
        var applies = input.getAttribute("data-report-kind") === kind.value;
        wrapper.hidden = !applies;
        input.disabled = !applies;
      });
    }
    kind.addEventListener("change", update);
    update();
  });
})();
