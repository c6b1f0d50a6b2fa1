// "Read aloud" (core/_read_aloud.html): the organisation's recording when there is one, the
// phone's own voice (speechSynthesis) otherwise, in the page's language. The placement test
// reads its question and numbered answers; a form reads its title, questions, help and errors.
(function () {
  "use strict";
  var PARTS = "h1, h2, p, li, dt, dd, legend, label, .form-text, .invalid-feedback";
  function words(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true'], select, option, button, script").forEach(function (e) { e.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  function textOf(button) {
    var target = document.getElementById(button.getAttribute("data-text-target"));
    if (!target) { return ""; }
    var parts = [];
    var found = target.querySelectorAll(PARTS);
    if (found.length) {
      found.forEach(function (element) { var text = words(element); if (text) { parts.push(text); } });
    } else {
      parts.push(words(target));
    }
    var choices = button.getAttribute("data-choices");
    if (choices) {
      document.querySelectorAll("." + choices).forEach(function (label, n) { parts.push((n + 1) + ". " + words(label)); });
    }
    return parts.join(". ");
  }
  function speak(button) {
    var recording = button.getAttribute("data-audio");
    if (recording) {
      new Audio(recording).play();
      button.setAttribute("data-spoken", "1");
      return;
    }
    if (!("speechSynthesis" in window)) { return; }
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(textOf(button));
    utterance.lang = button.getAttribute("data-lang");
    window.speechSynthesis.speak(utterance);
    button.setAttribute("data-spoken", "1");
  }
  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    button.addEventListener("click", function () { speak(button); });
    if (button.getAttribute("data-auto")) { speak(button); }
  });
})();
