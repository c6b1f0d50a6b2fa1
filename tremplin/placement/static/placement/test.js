// The placement test page: tap a place on a picture. "Read aloud" is core/read_aloud.js.
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  if (!form) { return; }
  document.querySelectorAll(".hotspot-zone").forEach(function (zone) {
    function choose() {
      var radio = document.getElementById("choice-" + zone.getAttribute("data-choice"));
      if (!radio) { return; }
      radio.checked = true;
      document.querySelectorAll(".hotspot-zone").forEach(function (z) { z.classList.remove("chosen"); z.setAttribute("aria-pressed", "false"); });
      zone.classList.add("chosen");
      zone.setAttribute("aria-pressed", "true");
    }
    zone.addEventListener("click", choose);
    zone.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
    });
  });
})();
