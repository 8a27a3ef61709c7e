// Inlined at the top of each page, so it runs before anything is drawn: the theme and
// projector mode chosen on an earlier visit, else the system's theme; and the language.
(function (root) {
  var theme = null, projector = null, saved = null;
  try {
    theme = localStorage.getItem("postroom.theme");
    projector = localStorage.getItem("postroom.projector");
    saved = localStorage.getItem("postroom.lang");
  } catch (e) {}
  root.setAttribute("data-theme", theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  if (projector === "on") root.setAttribute("data-projector", "on");
  // The language: a link's ?lang=de or #lang=de, else the one chosen before, else the
  // browser's first preferred language we have, else English.
  // The codes of static/i18n/languages.txt: scripts/build-offline writes that file's list
  // here in every page it builds.
  var offered = " en de es fr ";
  function known(code) {
    code = String(code || "").slice(0, 2).toLowerCase();
    return /^[a-z]{2}$/.test(code) && offered.indexOf(" " + code + " ") >= 0 ? code : null;
  }
  var link = /(?:^|[?#&])lang=([^&#]*)/.exec(location.search + location.hash);
  var lang = known(link && link[1]);
  if (lang) {
    try { localStorage.setItem("postroom.lang", lang); } catch (e) {}
  }
  if (link) {
    // Taken and remembered: the link leaves the address bar, so the pages' own fragments
    // (#s=…, #lesson=…) read as before and a later choice is not undone by a reload.
    var strip = function (part, mark) {
      var rest = part.slice(1).split("&").filter(function (p) { return !/^lang=/.test(p); }).join("&");
      return rest ? mark + rest : "";
    };
    try {
      history.replaceState(history.state, "", location.pathname + strip(location.search, "?") + strip(location.hash, "#"));
    } catch (e) {}
  }
  lang = lang || known(saved);
  var preferred = navigator.languages || [navigator.language];
  for (var i = 0; !lang && i < preferred.length; i++) lang = known(preferred[i]);
  lang = lang || "en";
  root.setAttribute("lang", lang);
  // Only the chosen language's catalogue is fetched; English is built into the page.
  // The page starts when it is here: true while it is on its way, then its text (null if
  // it could not be fetched), announced with the event postroom-catalogue.
  // The top bar keeps one row where it can, in any language, without knowing its words:
  // when its buttons wrap to a second row, or the page's title (the story, its faults) would
  // be cut, the bar's name gives them its room (it stays the page's heading for screen
  // readers); a title still cut then takes a row of its own, whole. Measured again when the bar is drawn or its text,
  // the window or projector mode changes; a step's redraw costs one querySelector.
  var bar = null, queued = false;
  function fit() {
    queued = false;
    bar = document.querySelector(".topbar");
    if (!bar) return;
    root.removeAttribute("data-tight");
    root.removeAttribute("data-title-below");
    var views = bar.querySelector(".topbar__views"), last = bar.lastElementChild;
    var title = bar.querySelector(".topbar__scenario");
    var cut = function () { return title && title.scrollWidth > title.clientWidth + 1; };
    if (cut() || (views && last && last.getBoundingClientRect().top >= views.getBoundingClientRect().bottom - 2)) {
      root.setAttribute("data-tight", "");
    }
    if (cut()) root.setAttribute("data-title-below", "");
  }
  function later() {
    if (!queued) { queued = true; requestAnimationFrame(fit); }
  }
  var watchBar = new MutationObserver(later);
  new MutationObserver(function () {
    var now = document.querySelector(".topbar");
    if (now !== bar) {
      bar = now;
      watchBar.disconnect();
      if (now) watchBar.observe(now, { childList: true, subtree: true, characterData: true });
      later();
    }
  }).observe(root, { childList: true, subtree: true });
  new MutationObserver(later).observe(root, { attributes: true, attributeFilter: ["data-projector"] });
  addEventListener("resize", later);
  if (lang !== "en") {
    window.postroomCatalogue = true;
    var done = function (text) {
      window.postroomCatalogue = text;
      dispatchEvent(new Event("postroom-catalogue"));
    };
    fetch("i18n/" + lang + ".txt")
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(done, function () { done(null); });
  }
})(document.documentElement);
