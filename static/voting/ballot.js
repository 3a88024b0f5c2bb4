// Running total of a knapsack ballot. The server checks the rule again on submit, so
// without this script the ballot still works and says what is wrong.
(function () {
  "use strict";
  var form = document.querySelector(".ballot-form");
  if (!form || form.dataset.knapsack !== "1") { return; }
  var output = document.getElementById("ballot-total");
  var money = parseFloat(form.dataset.money);
  var lang = document.documentElement.lang || "fi";
  var fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : lang + "-FI", {
    style: "currency", currency: "EUR"
  });
  var texts = {
    fi: ["Valittu", "jäljellä", "Valintasi ylittävät käytettävissä olevan rahan"],
    sv: ["Valt", "kvar", "Dina val överskrider pengarna som finns"],
    en: ["Chosen", "left", "Your choices cost more than the money available"]
  }[lang] || ["Chosen", "left", "Over the money available"];
  function update() {
    var total = 0;
    form.querySelectorAll(".proposal-choice:checked").forEach(function (box) {
      total += parseFloat(box.dataset.cost);
    });
    var left = money - total;
    output.hidden = false;
    output.textContent = texts[0] + " " + fmt.format(total) + ", " + texts[1] + " " +
      fmt.format(Math.max(left, 0)) + (left < 0 ? ". " + texts[2] + "." : ".");
    output.classList.toggle("text-danger", left < 0);
  }
  form.addEventListener("change", update);
  update();
  var errors = document.getElementById("ballot-errors");
  if (errors) { errors.focus(); }
})();
