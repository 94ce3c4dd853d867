// The search index (half a megabyte, more than everything else a page loads)
// and the search worker's script are fetched when the reader first goes to
// search, not with every page. Material asks for the index as soon as its bundle
// runs, with an XMLHttpRequest, and starts its worker (new Worker) at once; this
// script runs before the bundle (mkdocs.yml, extra.polyfills, in the head) and
// holds both back until the search box gets the focus (a click, a tap on the
// search icon, or the keyboard shortcuts f, s and /, which all focus it). Until
// then Material talks to a stand-in that keeps its listeners and messages and
// hands them to the real worker when it starts. Search then works as before. A
// page opened from a search result (?h=...) asks at once, so its words are
// highlighted. From disk (file://) the offline build does not load this script.
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

  // Material's search worker: a stand-in until the reader goes to search.
  var WORKER = /\/workers\/search\.[0-9a-z]+\.min\.js$/;
  var RealWorker = window.Worker;
  if (typeof RealWorker !== "function" || typeof EventTarget !== "function") return;

  function standIn(url, options) {
    var events = new EventTarget();
    var messages = [];
    var real = null;
    var stopped = false;
    var worker = {
      addEventListener: function (type, listener, opts) { events.addEventListener(type, listener, opts); },
      removeEventListener: function (type, listener, opts) { events.removeEventListener(type, listener, opts); },
      dispatchEvent: function (event) { return events.dispatchEvent(event); },
      postMessage: function () {
        if (real) real.postMessage.apply(real, arguments); else messages.push(arguments);
      },
      terminate: function () { stopped = true; if (real) real.terminate(); },
      onmessage: null,
      onerror: null,
    };
    waiting.push(function () {
      if (stopped) return;
      real = new RealWorker(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        real.addEventListener(type, function (event) {
          var copy = type === "error"
            ? new ErrorEvent("error", { message: event.message, filename: event.filename,
                                        lineno: event.lineno, colno: event.colno, error: event.error })
            : new MessageEvent(type, { data: event.data });
          events.dispatchEvent(copy);
          var handler = worker["on" + type];
          if (typeof handler === "function") handler.call(worker, copy);
        });
      });
      messages.splice(0).forEach(function (args) { real.postMessage.apply(real, args); });
    });
    return worker;
  }

  window.Worker = function Worker(url, options) {
    if (asked || !WORKER.test(String(url).split(/[?#]/)[0])) return new RealWorker(url, options);
    return standIn(url, options);
  };
  window.Worker.prototype = RealWorker.prototype;
})();
