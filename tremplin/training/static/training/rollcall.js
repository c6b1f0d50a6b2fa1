// Roll call on a trainer's phone (docs/decisions/0026-offline-roll-call.md).
// Every tap becomes an operation {op_id, enrolment_id, status, tapped_at}, queued in
// localStorage before anything else, so that a lost connection or a reload loses nothing.
// The queue is sent as JSON; the server acknowledges each operation by its op_id (one it
// already has is acknowledged, not applied again), and only acknowledged operations leave
// the queue. Sending is retried with backoff, and at once when the browser is back online.
(function () {
  "use strict";
  var root = document.getElementById("rollcall");
  if (!root) { return; }
  var KEY = "tremplin.rollcall.v1." + root.getAttribute("data-session");
  var BATCH = 100;
  var MAX_DELAY = 60000;
  var url = root.getAttribute("data-marks-url");
  var cycle = root.getAttribute("data-cycle").split(" ");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  if (!csrf) {
    var headers = document.body.getAttribute("hx-headers");
    try { csrf = JSON.parse(headers)["X-CSRFToken"] || ""; } catch (e) { csrf = ""; }
  }
  var connection = document.getElementById("rollcall-connection");
  var pending = document.getElementById("rollcall-pending");
  var problems = document.getElementById("rollcall-problems");
  var buttons = {};
  var serverMarks = {};
  var labels = {};
  var inFlight = false;
  var delay = 1000;
  var timer = null;
  var signedOut = false;

  // The CSRF cookie, read at each send: signing in again in another tab renews it.
  function token() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : csrf;
  }

  function text(name) { return root.getAttribute("data-text-" + name) || ""; }

  document.querySelectorAll("[data-status-label]").forEach(function (el) {
    labels[el.getAttribute("data-status-label")] = el.textContent;
  });
  document.querySelectorAll(".rollcall-tap").forEach(function (button) {
    buttons[button.getAttribute("data-enrolment")] = button;
    serverMarks[button.getAttribute("data-enrolment")] = button.getAttribute("data-status");
  });

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (e) { return []; }
  }
  var queue = load();

  function save() {
    try {
      if (queue.length) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage full or refused: the queue stays in memory */ }
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function show(enrolment, status, waiting) {
    var button = buttons[enrolment];
    if (!button) { return; }
    button.setAttribute("data-status", status || "");
    button.classList.toggle("rollcall-waiting", !!waiting);
    button.querySelector(".rollcall-mark").textContent = status ? labels[status] : text("unmarked");
  }

  function waitingFor(enrolment) {
    return queue.some(function (op) { return String(op.enrolment_id) === String(enrolment); });
  }

  function status(message, line) {
    connection.textContent = message;
    pending.textContent = line;
  }

  function refresh() {
    var line = queue.length ? text("pending").replace("{n}", queue.length) : text("saved");
    var state = navigator.onLine ? text("online") : text("offline");
    if (signedOut) { state = text("signin"); }
    else if (!navigator.onLine) { state = text("offline"); }
    else if (inFlight) { state = text("sending"); }
    else if (timer && navigator.onLine) { state = text("retry").replace("{s}", Math.round(delay / 1000)); }
    status(state, line);
  }

  function tap(enrolment, next) {
    var op = { op_id: uuid(), enrolment_id: Number(enrolment), status: next, tapped_at: new Date().toISOString() };
    queue.push(op);
    save();
    show(enrolment, next, true);
    refresh();
    send();
  }

  function later() {
    if (timer) { return; }
    timer = window.setTimeout(function () { timer = null; send(); }, delay);
    delay = Math.min(delay * 2, MAX_DELAY);
    refresh();
  }

  function problem(message) {
    var item = document.createElement("p");
    item.className = "mb-1";
    item.textContent = message;
    problems.appendChild(item);
    problems.classList.remove("d-none");
  }

  function acknowledge(body) {
    var done = {};
    (body.results || []).forEach(function (result) {
      done[result.op_id] = true;
      if (result.outcome === "refused") {
        var refused = queue.filter(function (op) { return op.op_id === result.op_id; })[0];
        var button = refused && buttons[refused.enrolment_id];
        var name = button ? button.getAttribute("data-name") : "";
        problem(text("refused").replace("{name}", name).replace("{reason}", result.reason));
      }
    });
    queue = queue.filter(function (op) { return !done[op.op_id]; });
    save();
    var marks = body.marks || {};
    Object.keys(marks).forEach(function (enrolment) { serverMarks[enrolment] = marks[enrolment]; });
    Object.keys(buttons).forEach(function (enrolment) {
      if (!waitingFor(enrolment)) { show(enrolment, serverMarks[enrolment], false); }
    });
  }

  function send() {
    if (inFlight || !queue.length) { refresh(); return; }
    // Known to be offline: the "online" event sends the queue; a retry timer still runs in
    // case the browser is wrong about it.
    if (!navigator.onLine) { later(); return; }
    if (timer) { window.clearTimeout(timer); timer = null; }
    inFlight = true;
    refresh();
    var batch = queue.slice(0, BATCH);
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token(), "Accept": "application/json" },
      body: JSON.stringify({ operations: batch })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (body) {
          inFlight = false;
          signedOut = false;
          delay = 1000;
          acknowledge(body);
          if (queue.length) { send(); } else { refresh(); }
        });
      }
      inFlight = false;
      if (response.status === 400 && type.indexOf("application/json") === 0) {
        // The batch itself cannot be read: it stays queued, and the reason is shown.
        return response.json().then(function (body) { problem(body.error || ""); refresh(); });
      }
      signedOut = response.status === 403 || response.redirected;
      later();
    }).catch(function () {
      inFlight = false;
      later();
    });
  }

  Object.keys(buttons).forEach(function (enrolment) {
    buttons[enrolment].addEventListener("click", function () {
      var current = buttons[enrolment].getAttribute("data-status");
      var next = cycle[(cycle.indexOf(current) + 1) % cycle.length];
      tap(enrolment, next);
    });
  });
  var everyone = document.getElementById("rollcall-everyone");
  if (everyone) {
    everyone.addEventListener("click", function () {
      Object.keys(buttons).forEach(function (enrolment) {
        if (!buttons[enrolment].getAttribute("data-status")) { tap(enrolment, cycle[0]); }
      });
    });
  }
  window.addEventListener("online", function () { delay = 1000; send(); });
  window.addEventListener("offline", refresh);
  window.addEventListener("storage", function (event) { if (event.key === KEY) { queue = load(); refresh(); } });

  // The page reopens without a connection once a service worker keeps it.
  var worker = root.getAttribute("data-worker-url");
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker).catch(function () { /* the queue works without it */ });
  }

  // Taps queued before a reload are shown as they were made, then sent.
  queue.forEach(function (op) { show(String(op.enrolment_id), op.status, true); });
  refresh();
  send();
})();
