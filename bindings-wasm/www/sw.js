// Keeps the forms usable offline: every file is cached when first served, and when the network
// is unreachable the cached copy answers. Only this site's own files are ever requested.
const CACHE = "htx-rules-forms-v3";
const FILES = [
  "./", "./index.html", "./dang-ky.html", "./style.css", "./common.js", "./coop.js", "./woman.js",
  "../pkg/htx_rules.js", "../pkg/engine.js", "../pkg/htx_rules_wasm.js", "../pkg/htx_rules_wasm_bg.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Network first (so a rebuilt pack shows at once), the cache when offline.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true }).then((r) => r ?? Response.error())),
  );
});
