// A signature drawn with a finger (or a mouse, or a pen) on a canvas, sent as a PNG data
// URL in a hidden field. Pointer events, no library, no inline script (the CSP forbids it).
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = document.getElementById(pad.getAttribute("data-input"));
    var clear = pad.querySelector("[data-signature-clear]");
    var submit = pad.querySelector("[data-signature-submit]");
    if (!canvas || !input || !canvas.getContext) {
      return;
    }
    var context = null;
    var drawing = false;
    var inked = false;
    var width = 0;
    var last = null;

    canvas.style.touchAction = "none";

    function reset() {
      var ratio = Math.min(window.devicePixelRatio || 1, 2);
      width = canvas.clientWidth;
      var height = Math.round(Math.min(240, Math.max(150, width * 0.5)));
      canvas.style.height = height + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      context = canvas.getContext("2d");
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
      inked = false;
      input.value = "";
      if (submit) {
        submit.disabled = true;
      }
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      context.beginPath();
      context.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
      context.fillStyle = "#111";
      context.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var here = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(here.x, here.y);
      context.stroke();
      last = here;
      inked = true;
    });
    function stop() {
      if (!drawing) {
        return;
      }
      drawing = false;
      inked = true;
      input.value = canvas.toDataURL("image/png");
      if (submit) {
        submit.disabled = false;
      }
    }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);

    if (clear) {
      clear.addEventListener("click", reset);
    }
    window.addEventListener("resize", function () {
      // A phone's address bar changes the height only: keep the drawing then.
      if (canvas.clientWidth !== width && !inked) {
        reset();
      }
    });
    var form = pad.closest("form");
    if (form) {
      form.addEventListener("submit", function () {
        if (submit) {
          submit.disabled = true;
        }
      });
    }
    reset();
  }

  function start() {
    var pads = document.querySelectorAll("[data-signature-pad]");
    for (var i = 0; i < pads.length; i += 1) {
      setUp(pads[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
