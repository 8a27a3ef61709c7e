// Inlined at the top of each page, so it runs before anything is drawn: the theme and
// projector mode chosen on an earlier visit, else the system's theme.
(function (root) {
  var theme = null, projector = null;
  try {
    theme = localStorage.getItem("postroom.theme");
    projector = localStorage.getItem("postroom.projector");
  } catch (e) {}
  root.setAttribute("data-theme", theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
  if (projector === "on") root.setAttribute("data-projector", "on");
})(document.documentElement);
