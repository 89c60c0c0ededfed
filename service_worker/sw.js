/* The service worker: caches (caches.js) and the outbox replay (replay.js) on `sync`.
 * Never cached: the API, htmx requests, and any page but the capture page. */
(function (FA) {
  "use strict";
  var config = self.FA_CONFIG;
  var precached = {};
  config.precache.forEach(function (url) { precached[new URL(url, self.location).pathname] = true; });
  var pages = {};
  config.pages.forEach(function (path) { pages[path] = true; });

  self.addEventListener("install", function (event) {
    event.waitUntil(FA.caches.install().then(function () { return self.skipWaiting(); }));
  });

  // The page asks a waiting version again to take over (static/js/offline.js, nudge).
  self.addEventListener("message", function (event) {
    if (event.data && event.data.type === "skip-waiting") { self.skipWaiting(); }
  });

  self.addEventListener("activate", function (event) {
    // Opening the database runs its upgrade (stores are only ever added), then we take over.
    event.waitUntil(Promise.all([FA.caches.cleanup(), FA.idb.open()]).then(function () {
      return self.clients.claim();
    }));
  });

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    var url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
    if (url.pathname.indexOf("/api/") === 0 || request.headers.get("HX-Request")) { return; }
    if (request.mode === "navigate" && pages[url.pathname]) {
      event.respondWith(FA.caches.page(request));
    } else if (precached[url.pathname]) {
      event.respondWith(FA.caches.asset(request));
    } else if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(function () { return FA.caches.offline(); }));
    }
  });

  function tell(message) {
    return self.clients.matchAll({ includeUncontrolled: true }).then(function (clients) {
      clients.forEach(function (client) { client.postMessage(message); });
    });
  }

  var RETRY = { offline: true, weak: true, server: true };

  /* A run that could not reach the server rejects, so that Background Sync tries again later
   * by itself. One that reached it ("partial": some items back off on their own) resolves:
   * a rejection would have Background Sync fire again and again while the items still back
   * off, and keep this worker busy so that a new version never takes over. Their retry comes
   * from the page (its timer, opening it, picking the phone up) or the next save. */
  function replay(reason) {
    // Open pages redraw as each item leaves, as when they run the replay themselves.
    var progress = function () { tell({ type: "progress" }); };
    return FA.replay.run({ reason: reason, progress: progress }).then(function (summary) {
      return tell({ type: "replayed", summary: summary }).then(function () {
        if (RETRY[summary.status]) { throw new Error("replay: " + summary.status); }
      });
    });
  }

  self.addEventListener("sync", function (event) {
    if (event.tag === "fieldapp-outbox") { event.waitUntil(replay("sync")); }
  });
})(self.FA = self.FA || {});
