// Postroom's service worker. scripts/build-offline writes BUILD: this build's version (a hash
// of every file's name and content) and the files every page loads, from dist/ itself.
// Each build has its own cache, filled completely before it takes over, so a page never mixes
// files of two builds: until the class reloads, the old build keeps serving the open pages.
const BUILD = { version: 'dev', files: [] };
const CACHE = 'postroom-' + BUILD.version;

self.addEventListener('install', (event) => {
  // 'reload': the files from the host, never from the browser's HTTP cache of an older build.
  event.waitUntil(caches.open(CACHE).then((cache) =>
    cache.addAll(BUILD.files.map((file) => new Request(file, { cache: 'reload' })))));
});

// The page asks for the new build when the class chooses to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys
      .filter((key) => key.startsWith('postroom-') && key !== CACHE)
      .map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== location.origin) return;
  event.respondWith(caches.open(CACHE).then(async (cache) =>
    // A page opened with a query string is still the page.
    (await cache.match(request, { ignoreSearch: request.mode === 'navigate' })) ?? fetch(request)));
});
