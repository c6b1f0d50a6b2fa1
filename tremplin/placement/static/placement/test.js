// The placement test page: tap a place on a picture, and read a question aloud (the recording
// when there is one, the browser's own voice otherwise).
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
  var button = document.getElementById("read-aloud");
  if (!button) { return; }
  function speak() {
    var recording = button.getAttribute("data-audio");
    if (recording) { new Audio(recording).play(); return; }
    if (!("speechSynthesis" in window)) { return; }
    var parts = [document.getElementById(button.getAttribute("data-text-target")).textContent];
    document.querySelectorAll("." + button.getAttribute("data-choices")).forEach(function (label, n) {
      parts.push((n + 1) + ". " + label.textContent);
    });
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = button.getAttribute("data-lang");
    window.speechSynthesis.speak(utterance);
    button.setAttribute("data-spoken", "1");
  }
  button.addEventListener("click", speak);
  if (button.getAttribute("data-auto")) { speak(); }
})();
