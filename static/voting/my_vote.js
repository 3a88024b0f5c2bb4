// "What happened to my vote": the voter's ticks are compared with the published winners and
// anonymous ballots here, in the browser; nothing is sent to the server.
(function () {
  "use strict";
  var form = document.getElementById("my-choices");
  var data = document.getElementById("published-choices");
  if (!form || !data) return;
  var published = JSON.parse(data.textContent);
  var winners = new Set(published.winners.map(String));
  var out = document.getElementById("my-outcome");
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }
  function update() {
    var mine = Array.prototype.slice.call(form.querySelectorAll("input:checked")).map(function (box) {
      return box.value;
    });
    if (!mine.length) { out.textContent = out.dataset.none; return; }
    var won = mine.filter(function (pk) { return winners.has(pk); }).length;
    var key = mine.map(Number).sort(function (a, b) { return a - b; }).join(",");
    var n = published.sets[key] || 0;
    out.textContent = fill(out.dataset.won, { chosen: mine.length, won: won }) + " " +
      (n ? fill(out.dataset.match, { n: n }) : out.dataset.nomatch);
  }
  form.hidden = false;
  form.addEventListener("change", update);
  update();
})();
