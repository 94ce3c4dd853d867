// Animations that respect the reader. Every animated figure (the figure macro's
// figure.atlas-figure--animated: a GIF per colour scheme, each image naming its
// last frame as SVG in data-atlas-still) gets one Pause/Play button for both; under
// prefers-reduced-motion it starts paused, showing the last frame, and plays
// only when asked. Loaded by page-assets.js on pages that have an animation.
(function () {
  "use strict";
  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setup(figure) {
    if (figure.querySelector(".atlas-motion__toggle")) return;
    // Each image (the light and the dark scheme's, see the figure macro) names its
    // own last frame; an image without one falls back to the caption's still link.
    var still = figure.querySelector("figcaption a.atlas-still");
    var views = [].slice.call(figure.querySelectorAll("img")).map(function (img) {
      var last = img.getAttribute("data-atlas-still") || (still && still.getAttribute("href"));
      return last ? {img: img, gif: img.getAttribute("src"), last: last, link: img.closest("a")} : null;
    }).filter(Boolean);  // both relative to this page
    if (!views.length) return;
    var first = views[0].link || views[0].img;
    var box = document.createElement("span");
    box.className = "atlas-motion";
    box.style.display = "block";
    first.parentNode.insertBefore(box, first);
    views.forEach(function (v) { box.appendChild(v.link || v.img); });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-motion__toggle";
    box.appendChild(button);

    function show(playing) {
      views.forEach(function (v) {
        var want = playing ? v.gif : v.last;
        if (v.img.getAttribute("src") !== want) v.img.setAttribute("src", want);
        if (v.link) v.link.setAttribute("href", want);
      });
      figure.setAttribute("data-playing", playing ? "true" : "false");
      button.textContent = playing ? "Pause" : "Play";
      button.setAttribute("aria-label", (playing ? "Pause" : "Play") + " the animation");
      button.setAttribute("aria-pressed", playing ? "false" : "true");
    }
    button.addEventListener("click", function () {
      show(figure.getAttribute("data-playing") !== "true");
    });
    show(!reduce.matches);
  }

  function scan() {
    document.querySelectorAll("figure.atlas-figure--animated").forEach(setup);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(scan);
  } else {
    scan();
  }
})();
