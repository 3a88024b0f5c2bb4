// A table that scrolls sideways on a narrow screen (the admin's inline rows) must be
// reachable by keyboard: a focusable region can be scrolled with the arrow keys
// (WCAG 2.1.1; axe's scrollable-region-focusable).
(function () {
  function mark() {
    document.querySelectorAll(".inline-group, .results").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth) {
        region.setAttribute("tabindex", "0");
        if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
          var heading = region.querySelector("h2, caption");
          if (heading) region.setAttribute("aria-label", heading.textContent.trim());
        }
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
