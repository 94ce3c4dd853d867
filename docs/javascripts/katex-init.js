// Render the math that pymdownx.arithmatex (generic mode) wraps in
// <span|div class="arithmatex"> as \( \) and \[ \]. KaTeX ships with the site
// (docs/vendor/katex, copied from the npm registry by the Makefile): no CDN.
document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    renderMathInElement(el, {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ],
      throwOnError: false, // a bad formula shows as a .katex-error node, which the site tests catch
    });
  });
});
