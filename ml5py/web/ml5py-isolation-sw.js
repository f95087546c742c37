// ml5py's isolation service worker: on a static host that sends no COOP/COEP headers, it adds
// them to this site's own files, so the page becomes cross-origin isolated and TensorFlow.js's
// wasm backend can run on every core (SharedArrayBuffer). ml5py-page.js registers it only when
// the page is not isolated already; on hosts that send the headers it changes nothing they set.
// Requests to other sites pass through untouched.
"use strict";

var HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin"
};

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function isolated(response) {
  if (response.status === 0 || response.type === "opaque" || response.type === "opaqueredirect") {
    return response;  // nothing to add to (and its headers cannot be read)
  }
  var headers = new Headers(response.headers);
  Object.keys(HEADERS).forEach(function (name) {
    if (!headers.has(name)) headers.set(name, HEADERS[name]);
  });
  return new Response(response.body, {
    status: response.status, statusText: response.statusText, headers: headers
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (new URL(request.url).origin !== self.location.origin) return;  // other sites: untouched
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith(fetch(request).then(isolated));
});
