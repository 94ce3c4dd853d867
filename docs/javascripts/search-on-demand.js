// The search index (half a megabyte, more than everything else a page loads)
// is fetched when the reader first goes to search, not with every page. Material
// asks for it as soon as its bundle runs, with an XMLHttpRequest; this script runs
// before the bundle (mkdocs.yml, extra.polyfills, in the head) and holds that one
// request back until the search box gets the focus (a click, a tap on the search
// icon, or the keyboard shortcuts f, s and /, which all focus it). Search then
// starts as before. A page opened from a search result (?h=...) asks at once, so
// its words are highlighted. From disk (file://) Material reads the index from a
// script instead, and nothing here applies.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  if (/[?&]h=/.test(location.search)) return;
  var waiting = [];
  var asked = false;

  function go() {
    if (asked) return;
    asked = true;
    document.removeEventListener("focusin", onFocus, true);
    waiting.splice(0).forEach(function (send) { send(); });
  }
  function onFocus(event) {
    if (event.target && event.target.matches && event.target.matches("input.md-search__input")) go();
  }
  document.addEventListener("focusin", onFocus, true);

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__atlasIndex = INDEX.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.__atlasIndex || asked) return send.apply(xhr, args);
    waiting.push(function () { send.apply(xhr, args); });
  };
})();
