// What the browser bench (bench/browser.py) asks of a page: Playwright adds this file to
// every page and frame it opens (an init script), and the bench calls window.atlasBench.
//
// signature()  the main map's drawn state: [paths in its overlay and marker panes (lines
//              and fills; points), vertices in their outlines, the sum of the drawn
//              layers' bounds in thousandths of a degree].
//              The first two are what is in the page; the third tells apart maps with
//              the same shapes in other places (a ring of another radius). None depends
//              on the view's history (SVG outlines are relative to a pixel origin that
//              does). In the app the map is in streamlit-folium's iframe, as window.map.
// until()      performance.now() once signature() equals atlasBench.want, else false
//              (polled every animation frame by Playwright's wait_for_function).
// stamp()      record performance.now() at the next click or key press (atlasBench.t0),
//              in a capturing listener, before the page's own handlers.
// idleFor(ms)  true once Streamlit has run no script for ms (app pages only).
// textShown(s) performance.now() once a Markdown element shows s, else false.
// controlsShown() performance.now() once the app's sidebar shows a checkbox, else false.
// twoFrames()  a promise resolved two animation frames from now (drawing is done).
"use strict";
window.atlasBench = {
  want: null,
  t0: null,
  mapDocument: function () {
    var frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    return frame ? frame.contentDocument : document;
  },
  signature: function () {
    var doc = this.mapDocument();
    var pane = doc && doc.querySelector(
      ".leaflet-container > .leaflet-pane.leaflet-map-pane");
    if (!pane) return [0, 0, 0];
    var paths = pane.querySelectorAll(".leaflet-overlay-pane path, .leaflet-marker-pane path");
    var vertices = 0;
    paths.forEach(function (p) {
      vertices += ((p.getAttribute("d") || "").match(/[MLAmla]/g) || []).length;
    });
    var map = doc.defaultView.map;
    var where = 0;
    if (map && map._layers) {
      Object.keys(map._layers).forEach(function (id) {
        var layer = map._layers[id];
        if (!layer._path) return;
        var b = layer.getBounds ? layer.getBounds() : null;
        var c = b ? [b.getSouth(), b.getNorth(), b.getWest(), b.getEast()]
          : [layer.getLatLng().lat, layer.getLatLng().lng];
        c.forEach(function (x) { where += x; });
      });
    }
    return [paths.length, vertices, Math.round(where * 1000)];
  },
  until: function () {
    var got = this.signature(), want = this.want;
    return got[0] > 0 && got.every(function (x, i) { return x === want[i]; })
      && performance.now();
  },
  stamp: function () {
    var bench = this;
    bench.t0 = null;
    ["click", "keydown"].forEach(function (type) {
      document.addEventListener(type, function () {
        if (bench.t0 === null) bench.t0 = performance.now();
      }, {capture: true, once: true});
    });
  },
  idleSince: undefined,
  idleFor: function (quiet) {
    var app = document.querySelector('[data-testid="stApp"]');
    var idle = app !== null && app.getAttribute("data-test-script-state") === "notRunning";
    var now = performance.now();
    if (!idle || this.idleSince === undefined) this.idleSince = now;
    return now - this.idleSince >= quiet;
  },
  textShown: function (text) {
    var found = Array.prototype.some.call(
      document.querySelectorAll('[data-testid="stMarkdown"]'),
      function (m) { return m.textContent.indexOf(text) >= 0; });
    return found && performance.now();
  },
  controlsShown: function () {
    return document.querySelector('[data-testid="stSidebar"] [data-testid="stCheckbox"]') !== null
      && performance.now();
  },
  twoFrames: function () {
    return new Promise(function (done) {
      requestAnimationFrame(function () { requestAnimationFrame(done); });
    });
  }
};
