/* Caches, named with the "fieldapp-" prefix (ARCHITECTURE §7):
 *   fieldapp-static-<VERSION> — css, scripts, icons, manifest, the offline page: cache first;
 *   fieldapp-pages            — the capture page /collect: network first, the cached copy
 *                               when the network fails or is too slow. Wiped at logout.
 * On activation only our own older static caches are deleted; nothing else is touched. */
(function (FA) {
  "use strict";
  var config = self.FA_CONFIG;
  var STATIC = "fieldapp-static-" + config.version;
  var PAGES = "fieldapp-pages";
  var SLOW_MS = 4000;
  var GIVE_UP_MS = 20000;  // coverage that connects but never answers: the offline page

  function install() {
    return caches.open(STATIC).then(function (cache) {
      // Through the browser's cache: what the page has just downloaded under its versioned
      // name (?v=digest, kept a year) costs nothing; the rest is revalidated or fetched.
      var requests = config.precache.map(function (url) {
        return new Request(url, { credentials: "same-origin" });
      });
      return cache.addAll(requests);
    }).then(precachePages);
  }

  /* The capture page, if this phone is logged in (a redirect to the login page is not it).
   * "no-cache": the browser keeps its ETag, so opening the page next costs a 304. */
  function precachePages() {
    return Promise.all(config.pages.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-cache" }).then(keepPage)
        .catch(function () { return null; });
    }));
  }

  function keepPage(response) {
    if (!response.ok || response.redirected || response.type !== "basic") { return response; }
    var copy = response.clone();
    return caches.open(PAGES).then(function (cache) {
      return cache.put(new URL(response.url).pathname, copy);
    }).then(function () { return response; });
  }

  function cleanup() {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("fieldapp-static-") === 0 && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    });
  }

  function asset(request) {
    return caches.open(STATIC).then(function (cache) {
      return cache.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    });
  }

  /* Network first; after SLOW_MS, or on failure, the cached copy if there is one; after
   * GIVE_UP_MS with neither, the offline page (never a page that spins forever). */
  function page(request) {
    var path = new URL(request.url).pathname;
    var network = fetch(request).then(keepPage);
    var cached = caches.open(PAGES).then(function (cache) { return cache.match(path); });
    return new Promise(function (resolve, reject) {
      var settled = false;
      function answer(response) {
        if (!settled) { settled = true; resolve(response); }
      }
      function fallback() {
        cached.then(function (hit) { if (hit) { answer(hit); } });
      }
      var slow = setTimeout(fallback, SLOW_MS);
      var late = setTimeout(function () { offline().then(answer, reject); }, GIVE_UP_MS);
      network.then(function (response) {
        clearTimeout(slow);
        clearTimeout(late);
        answer(response);
      }, function () {
        clearTimeout(slow);
        clearTimeout(late);
        cached.then(function (hit) {
          if (settled) { return; }
          return hit ? answer(hit) : offline().then(answer, reject);
        });
      });
    });
  }

  function offline() {
    return caches.open(STATIC).then(function (cache) { return cache.match(config.offline); })
      .then(function (hit) { return hit || Response.error(); });
  }

  FA.caches = {
    install: install, cleanup: cleanup, asset: asset,
    page: page, offline: offline
  };
})(self.FA = self.FA || {});
