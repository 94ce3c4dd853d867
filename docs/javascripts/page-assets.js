// Load what a page uses, on the pages that use it: KaTeX (273 KB of script, its
// style and fonts) only where pymdownx.arithmatex left math; the calculator's, the
// explorer's and the exercises' scripts (their one core, formulas.js, first) and
// styles only where their root element is; the animation controls only where there
// is an animation. Every path is relative to
// this script's own address, so the same site works served under a subpath
// and opened from disk (file://). Nothing is fetched from another server.
(function () {
  "use strict";
  var root = new URL("../", document.currentScript.src);

  // Render the math that arithmatex (generic mode) wraps in
  // <span|div class="arithmatex"> as \( \) and \[ \].
  function renderMath() {
    document.querySelectorAll(".arithmatex").forEach(function (el) {
      window.renderMathInElement(el, {
        delimiters: [
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
        ],
        throwOnError: false, // a bad formula shows as a .katex-error node, which the site tests catch
      });
    });
  }

  //: selector present on the page -> the styles and scripts it needs (in order), then a start.
  var NEEDS = [
    { selector: ".arithmatex",
      css: ["vendor/katex/katex.min.css"],
      js: ["vendor/katex/katex.min.js", "vendor/katex/contrib/auto-render.min.js"],
      ready: renderMath },
    { selector: "#atlas-calc",
      css: ["stylesheets/calculator.css"],
      // data.js is written by generator/pages/calculator.py next to the page; js-yaml
      // reads the specs a reader pastes or loads.
      js: ["javascripts/formulas.js", "vendor/js-yaml/js-yaml.min.js", "calculator/data.js",
           "javascripts/calculator.js"] },
    { selector: ".atlas-figure--animated",
      css: [],
      js: ["javascripts/atlas-motion.js"] },
    { selector: ".atlas-xp",
      css: ["stylesheets/explorer.css"],
      // data.js is written by generator/pages/explorer.py (the worked examples).
      js: ["javascripts/formulas.js", "explorer/data.js", "javascripts/explorer.js"] },
    { selector: ".atlas-ex[data-kinds]",
      css: ["stylesheets/exercises.css"],
      // data.js is written by generator/pages/exercises.py (slips, networks' layers).
      js: ["javascripts/formulas.js", "exercises/data.js", "javascripts/exercises.js"],
      ready: function () { window.AtlasExercises.init(); } },
  ];

  // formulas.js, the one core of the calculator, the explorer and the exercises, is
  // added once however many of them a page holds (scripts run in the order added).
  var added = {};

  function load(need) {
    need.css.forEach(function (path) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL(path, root).href;
      document.head.appendChild(link);
    });
    var fresh = need.js.filter(function (path) { return !added[path]; });
    var left = fresh.length;
    if (!left && need.ready) need.ready();
    fresh.forEach(function (path) {
      added[path] = true;
      var script = document.createElement("script");
      script.src = new URL(path, root).href;
      script.async = false; // run in the listed order
      script.onload = function () {
        left -= 1;
        if (left === 0 && need.ready) need.ready();
      };
      document.body.appendChild(script);
    });
  }

  var loaded = {};
  function scan() {
    NEEDS.forEach(function (need, i) {
      if (!document.querySelector(need.selector)) return;
      if (loaded[i]) {
        if (loaded[i] === "done" && need.ready) need.ready();
        return;
      }
      loaded[i] = "loading";
      var ready = need.ready;
      need = Object.assign({}, need, { ready: function () { loaded[i] = "done"; if (ready) ready(); } });
      load(need);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(scan); // Material: every page view
  } else {
    scan();
  }
})();
