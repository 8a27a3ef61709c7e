// Put into every page by scripts/build-offline: registers the service worker next to the page
// (a relative path, so the app works under any sub-path) and, when a new build has been
// cached completely, offers it: "A new version is ready — reload".
(function () {
  var sw = navigator.serviceWorker;
  if (!sw) return;
  // Chosen: the class asked for the new build. Had: this page was served by a worker.
  var chosen = false;
  var had = !!sw.controller;
  function offer(waiting) {
    if (document.querySelector('.update')) return;
    var bar = document.createElement('div');
    bar.className = 'update';
    bar.setAttribute('role', 'status');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'update__reload';
    button.textContent = 'reload';
    button.onclick = function () {
      chosen = true;
      // Another tab may have switched already: then this page only reloads.
      if (waiting && waiting.state === 'installed') waiting.postMessage('activate');
      else location.reload();
    };
    bar.append('A new version is ready — ', button);
    document.body.append(bar);
  }
  sw.addEventListener('controllerchange', function () {
    if (chosen) location.reload();
    else if (had) offer(null);
  });
  addEventListener('load', function () {
    sw.register('sw.js', { updateViaCache: 'none' }).then(function (reg) {
      function watch(worker) {
        if (!worker) return;
        worker.addEventListener('statechange', function () {
          if (worker.state === 'installed' && sw.controller) offer(worker);
        });
      }
      if (reg.waiting && sw.controller) offer(reg.waiting);
      watch(reg.installing);
      reg.addEventListener('updatefound', function () { watch(reg.installing); });
      // A page stays open through a lesson: look for a new build when the class comes back.
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'visible') reg.update().catch(function () {});
      });
    }, function () {});
  });
})();
