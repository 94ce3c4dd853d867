// Animations that respect the reader. Every animated figure (the figure macro's
// figure.atlas-figure--animated: a GIF, and in its caption a link of class
// atlas-still to its last frame as SVG) gets a Pause/Play button; under
// prefers-reduced-motion it starts paused, showing the last frame, and plays
// only when asked. Loaded by page-assets.js on pages that have an animation.
(function () {
  "use strict";
  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setup(figure) {
    var img = figure.querySelector("img");
    var still = figure.querySelector("figcaption a.atlas-still");
    if (!img || !still || figure.querySelector(".atlas-motion__toggle")) return;
    var gif = img.getAttribute("src"), last = still.getAttribute("href");  // both relative to this page
    var link = img.closest("a") || img;
    var box = document.createElement("span");
    box.className = "atlas-motion";
    box.style.display = "block";
    link.parentNode.insertBefore(box, link);
    box.appendChild(link);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-motion__toggle";
    box.appendChild(button);

    function show(playing) {
      var want = playing ? gif : last;
      if (img.getAttribute("src") !== want) img.setAttribute("src", want);
      if (link.tagName === "A") link.setAttribute("href", want);
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
