/*
 * The app's page only (loaded after atlas-geo.js; exported pages carry their data inline
 * and need none of this):
 *
 * - Served data. In the app, layer data comes as files the server names by their content
 *   (webmap/served.py): atlasGeo.source fetches {href: url} once per page, or keeps the
 *   data that came with it ({href: url, data: ...}, the first rerun that shows a small
 *   layer) under that url; atlasGeo.collection decodes each once, however many reruns
 *   draw it.
 * - Kept layers. streamlit-folium removes every layer the app sent and evaluates the new
 *   ones on each rerun that changes any. A served layer is drawn once and kept: what
 *   atlasGeo.layer returns for it is a light stand-in, and a layer whose stand-in is
 *   removed and added again in one rerun stays drawn as it was (and an open popup stays
 *   open). Only a layer shown anew is built and drawn, and the layers keep the order the
 *   server sent them in (context underneath, yours on top), whatever order their data
 *   arrives in. What a rerun changes is done once its task is over, after the view it
 *   sets: the layers that left are gone before that view is drawn, and the new ones are
 *   projected once, at it (they were projected at the old view, then again).
 * - Told views jump. The view the app sets (a scene, a claim) is shown at once rather
 *   than after Leaflet's zoom animation; the user's own zooms still animate.
 * - One redraw a told view. A view set without animation (a scene) made Leaflet's SVG
 *   renderer project every path twice and rebuild its outline three times (on "zoomend",
 *   on "moveend" and on "viewreset", which _resetView fires in that order); between
 *   "viewprereset" and "viewreset" the first two are skipped, and "viewreset" does both
 *   once. Animated zooms (the user's own) are as Leaflet draws them.
 * - As tall as its frame: the app's page sizes the frame to the window; while presenting,
 *   labels keep clear of the title card and the buttons the page lays over the map.
 * - Drawn, said once. When the page's first layers are drawn (their data fetched, or
 *   failed), the map reports its view to the app even if it has not changed: the app's
 *   first run sends the map alone, and this report's rerun brings the controls
 *   (app.py), so the browser draws the map before the sidebar's widgets.
 */
(function (atlasGeo, L) {
  var inline = atlasGeo.source, decode = atlasGeo.collection, build = atlasGeo.layer;
  var served = {};  // url -> {data} once there, {waiting: [fn, ...]} while fetched
  var fetching = 0, firstDrawn = false, said = false;
  // The first layers are drawn: have streamlit-folium report the view now. Its
  // initComponent ends with a report, sent only if it differs from the last one unless
  // that is forgotten; run again, it binds no handler twice (Leaflet's "on" keeps one of
  // each). Its reports on "moveend" wait 250 ms for the map to stop.
  function sayDrawn() {
    if (said || !firstDrawn || fetching > 0 || !window.map || !window.initComponent) return;
    said = true;
    if (window.__GLOBAL_DATA__) window.__GLOBAL_DATA__.previous_data = null;
    window.initComponent(window.map, false);
  }
  function keep(entry, data) {
    Object.defineProperty(data, "decoded", {value: null, writable: true});
    entry.data = data;
    var waiting = entry.waiting || [];
    delete entry.waiting;
    waiting.forEach(function (f) { f(data); });
  }
  atlasGeo.source = function (d, fn) {
    if (!d || typeof d.href !== "string") return inline(d, fn);
    var entry = served[d.href];
    if (d.data && !(entry && entry.data)) {  // sent with the rerun that first shows it
      keep(entry = served[d.href] = entry || {}, d.data);
    }
    if (entry && entry.waiting) return entry.waiting.push(fn);
    if (entry) return fn(entry.data);
    entry = served[d.href] = {waiting: [fn]};
    fetching += 1;
    fetch(d.href).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    }).then(function (data) {
      if (!entry.data) keep(entry, data);
    }).catch(function (error) {
      delete served[d.href];  // a later rerun that names it asks again
      console.error("atlasGeo: cannot load " + d.href + ": " + error);
    }).then(function () {
      fetching -= 1;
      sayDrawn();
    });
  };
  atlasGeo.collection = function (d) {
    if (d.decoded === undefined) return decode(d);  // inline data: decoded where it is used
    return d.decoded || (d.decoded = decode(d));
  };

  // Drawn layers by key, {layer, users, leaving}: a served layer's key is its content and
  // options, so a rerun that names it again finds it drawn; a layer sent inline (your
  // files and marks) gets a key of its own each time. An entry lives while its layer is
  // on the map, so memory holds what is shown, not what was.
  var drawn = {};
  atlasGeo.drawn = drawn;  // for the tests: what is drawn now
  var inlineKeys = 0;
  // The stacking order: the keys in the order the last rerun added them (the server sends
  // context layers first, then the strategic ones, then yours). A layer drawn anew, or
  // whose data arrives later, is drawn on top; restack() puts every layer back in order,
  // moving their elements (nothing is projected or drawn again).
  var batch = [], order = [], settling = false, restacking = false;
  function restack() {
    if (restacking) return;
    restacking = true;
    Promise.resolve().then(function () {
      restacking = false;
      order.forEach(function (key) {
        var entry = drawn[key];
        if (entry && !entry.leaving && entry.layer._map) entry.layer.bringToFront();
      });
    });
  }
  function settle() {  // once the task that added layers is done
    if (settling) return;
    settling = true;
    Promise.resolve().then(function () {
      settling = false;
      // A rerun adds every layer shown (the batch is the new order); a layer turned on in
      // the layer control comes alone and goes back to its place in the order it had.
      var shown = Object.keys(drawn).filter(function (key) { return !drawn[key].leaving; });
      var rerun = shown.every(function (key) { return batch.indexOf(key) >= 0; });
      var next = rerun ? batch
        : order.concat(batch.filter(function (key) { return order.indexOf(key) < 0; }));
      var same = rerun && next.length === order.length &&
        next.every(function (key, i) { return key === order[i]; });
      order = next;
      batch = [];
      if (!same) restack();
    });
  }
  // What a rerun changes is done once its task is over (streamlit-folium removes every
  // layer, adds the new list, then sets the view): the layers that left go first, so no
  // reset projects them, and the new ones are drawn at the view they are shown in.
  var changing = false;
  function drop(map) {
    Object.keys(drawn).forEach(function (key) {
      var entry = drawn[key];
      if (!entry.leaving) return;
      map.removeLayer(entry.layer);
      delete drawn[key];
    });
  }
  function later(map) {
    if (changing) return;
    changing = true;
    Promise.resolve().then(function () {
      changing = false;
      drop(map);
      var added = false;
      Object.keys(drawn).forEach(function (key) {
        var entry = drawn[key];
        if (!entry.layer._map) {
          map.addLayer(entry.layer);
          added = true;
        }
      });
      if (added) restack();
    });
  }
  var Kept = L.Layer.extend({
    initialize: function (key, make) {
      this._key = key;
      this._make = make;
    },
    onAdd: function (map) {
      var entry = drawn[this._key];
      if (!entry) entry = drawn[this._key] = {layer: this._make(), users: 0, leaving: false};
      entry.users += 1;
      batch.push(this._key);
      settle();
      if (entry.leaving) {
        entry.leaving = false;  // taken away and given back in one rerun: still drawn
      } else if (entry.users === 1) {
        later(map);  // after the rerun's view is set: projected once, where it is shown
      }
    },
    onRemove: function (map) {
      var entry = drawn[this._key], key = this._key;
      entry.users -= 1;
      if (entry.users > 0) return;
      // streamlit-folium removes and adds the layers in one task: decide after it.
      entry.leaving = true;
      later(map);
    },
    getBounds: function () {
      var entry = drawn[this._key];
      return entry ? entry.layer.getBounds() : L.latLngBounds([]);
    }
  });
  atlasGeo.layer = function (d, o) {
    var served = d && typeof d.href === "string";
    var key = served ? d.href + " " + JSON.stringify(o) : "inline " + (inlineKeys += 1);
    return new Kept(key, function () {
      var layer = build(d, o), addData = layer.addData;
      layer.addData = function (data) {  // a fetched layer arrives on top: put it back
        var added = addData.call(this, data);
        restack();
        return added;
      };
      return layer;
    });
  };

  var svg = L.SVG.prototype, renderer = L.Renderer.prototype;
  svg.getEvents = function () {
    var events = renderer.getEvents.call(this);
    events.viewprereset = function () { this._resetting = true; };
    return events;
  };
  svg._onZoomEnd = function () {
    if (!this._resetting) renderer._onZoomEnd.call(this);
  };
  svg._updatePaths = function () {
    if (!this._resetting) renderer._updatePaths.call(this);
  };
  svg._reset = function () {
    renderer._reset.call(this);  // its own _update fires "update": paths wait for theirs
    this._resetting = false;
  };

  // What the app's page lays over the map while presenting (the title card and the scene
  // buttons: ui/map_panel.py), which labels keep clear of; the frame is the parent's.
  atlasGeo.covers = function () {
    var frame = window.frameElement, boxes = [];
    if (!frame) return boxes;
    var o = frame.getBoundingClientRect();
    frame.ownerDocument.querySelectorAll(".atlas-present div, .st-key-present_bar")
      .forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (r.width) boxes.push([r.left - o.left, r.top - o.top, r.right - o.left, r.bottom - o.top]);
      });
    return boxes;
  };
  // The map fills its frame, which the app's page sizes to the window (ui/map_panel.py);
  // Leaflet follows the frame's size (its "resize").
  // A map 1700 px wide or more (presenting at 1920 × 1080) has larger labels, for the back
  // of a room; atlas-geo.js measures them again when the map's size changes.
  document.head.insertAdjacentHTML("beforeend",
    "<style>html,body{margin:0}#map_div{height:100vh!important}" +
    "@media (min-width:1700px){.leaflet-container .atlas-label{font-size:16px}" +
    ".leaflet-container .atlas-p1{font-size:19px}}</style>");
  L.Map.addInitHook(function () {
    // streamlit-folium adds the first layers in the task that makes the map (their
    // fetches start there): after it, only those fetches are left to wait for.
    setTimeout(function () {
      firstDrawn = true;
      sayDrawn();
    });
    var setView = this.setView;
    this.setView = function (center, zoom, options) {
      drop(this);  // what this rerun took away is not drawn at the new view
      return setView.call(this, center, zoom, options || {animate: false});
    };
  });
})(window.atlasGeo, window.L);
