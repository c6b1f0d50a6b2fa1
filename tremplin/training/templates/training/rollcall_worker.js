// The roll-call page's service worker (docs/decisions/0026-offline-roll-call.md): served
// from /training/ so that its scope covers the roll-call pages. A roll-call page and the
// files it uses are fetched from the network first, and kept, so that the page reopens
// without a connection; the marks themselves are queued by rollcall.js, never here.
// A kept page is served for 12 hours at most: it holds learners' names.
"use strict";
var CACHE = "tremplin-rollcall-v1";
var MAX_AGE = 12 * 60 * 60 * 1000;
var PAGE = /\/training\/sessions\/\d+\/rollcall\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function kept(request) {
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return false; }
  return PAGE.test(url.pathname) || url.pathname.indexOf("/static/") === 0;
}

function stamped(response) {
  return response.blob().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set("X-Kept-At", String(Date.now()));
    return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function fresh(response) {
  var at = Number(response.headers.get("X-Kept-At") || 0);
  return Date.now() - at < MAX_AGE;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!kept(request)) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected && response.type === "basic") {
        var copy = response.clone();
        event.waitUntil(stamped(copy).then(function (stored) {
          return caches.open(CACHE).then(function (cache) { return cache.put(request, stored); });
        }));
      }
      return response;
    }).catch(function (error) {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          if (hit && fresh(hit)) { return hit; }
          if (hit) { cache.delete(request); }
          throw error;
        });
      });
    })
  );
});
