/*
 * atlasGeo: draws our compact layers in the page (plain ES5, no dependency at load time).
 *
 * atlasGeo.decode(s, k, v, refs)
 *                            an encoded-polyline string -> [[lon, lat], ...]; v is the
 *                            cursor [x, y] in units of 1/k, carried from string to string;
 *                            refs (the layer's arcs) reads a ring's "!" references
 * atlasGeo.collection(d)     a compact layer (webmap/compact.py) -> GeoJSON FeatureCollection
 * atlasGeo.source(d, fn)     calls fn with a layer's data d; in the app, atlas-app.js
 *                            makes it fetch the file that {href: url} names (and keeps
 *                            such layers drawn across reruns)
 * atlasGeo.layer(d, o)       a Leaflet GeoJSON layer with styles, tooltips and popups
 *                            (o: {radius, maxWidth}) that draws d (as atlasGeo.source gives
 *                            it) as soon as it is there; needs Leaflet's L when called.
 *                            Points go in Leaflet's marker pane, above every line and fill,
 *                            so a click on a site opens the site; a path whose style has
 *                            className "atlas-edge" (a ring: layers/style.py) takes clicks
 *                            on its outline only, so its disc does not cover what is inside.
 *                            The layer's map labels (d.m) come with it. A point whose
 *                            style has a symbol (a unit: its APP-6 D symbol as milsymbol
 *                            drew it on the server, layers/symbols.py) is that SVG, its
 *                            anchor on the point.
 * atlasGeo.label(ll, html, priority, place)
 *                            a map label (a marker in the "atlasLabels" pane that takes no
 *                            clicks); the vector base names its cities with it
 * atlasGeo.place(map)        places every label on the map as layers/labels.py's
 *                            place_labels does: most urgent first, each at the first of its
 *                            place's candidate spots inside the map and clear of the map's
 *                            controls, the labels before it and their points' dots, else
 *                            hidden (and hidden if
 *                            a label saying the same is shown within 24 px, or a point's
 *                            within 12 px of a named point). Run on every view and layer
 *                            change.
 * atlasGeo.covers()          boxes (map pixels) the page lays over the map, which labels keep
 *                            clear of: none here; the app's presentation card (atlas-app.js)
 *
 * The app serves this file from /app/static/atlas (a copy made by the Makefile); exported
 * pages inline it. The Python loader (webmap.assets.own_js) drops this comment, so pages
 * carry the code only. The digits below must equal webmap.compact.ALPHABET (a test checks).
 */
window.atlasGeo = window.atlasGeo || (function (ALPHABET) {
  var DIGIT = [];
  for (var n = 0; n < 64; n++) DIGIT[ALPHABET.charCodeAt(n)] = n;
  // Reads one encoded number of s from at[0] on (and moves at[0] past it).
  function number(s, at) {
    var shift = 0, r = 0, b;
    do { b = DIGIT[s.charCodeAt(at[0]++)]; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
    return r;
  }
  function signed(r) { return r & 1 ? ~(r >> 1) : r >> 1; }
  // A string's points (or a ring's, with its arcs: "!" and a number refer to arc
  // refs.last + its steps, reversed if odd; the points go on from that arc's end).
  function decode(s, k, v, refs) {
    var out = [], at = [0];
    while (at[0] < s.length) {
      if (s.charCodeAt(at[0]) === 33) {
        at[0]++;
        var r = number(s, at), i = refs.last += signed(r >> 1), arc = refs.arcs[i];
        var back = r & 1, n = arc.length, first = refs.ends[i][back], end = refs.ends[i][1 - back];
        var skip = out.length && first[0] === v[0] && first[1] === v[1] ? 1 : 0;  // joined there
        for (var j = skip; j < n; j++) out.push(arc[back ? n - 1 - j : j]);  // in place: linear
        v[0] = end[0];
        v[1] = end[1];
        continue;
      }
      v[0] += signed(number(s, at));
      v[1] += signed(number(s, at));
      out.push([v[0] / k, v[1] / k]);
    }
    return out;
  }
  var TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];
  var DEPTH = [0, 0, 0, 1, 1, 2];
  function collection(d) {
    var v = [0, 0];  // each string continues from where the previous one ended
    var refs = {arcs: [], ends: [], last: 0};
    d.a.forEach(function (s) {
      var arc = decode(s, d.k, v);
      var first = [Math.round(arc[0][0] * d.k), Math.round(arc[0][1] * d.k)];
      refs.arcs.push(arc);
      refs.ends.push([first, v.slice()]);
    });
    function path(p) {
      return decode(p, d.k, v, refs);
    }
    function nest(c, depth) {
      return depth ? c.map(function (x) { return nest(x, depth - 1); }) : path(c);
    }
    function geometry(g) {
      if (!Array.isArray(g)) return g;
      var c = nest(g[1], DEPTH[g[0]]);
      return {type: TYPES[g[0]], coordinates: g[0] === 0 ? c[0] : c};
    }
    var shared = d.g.map(geometry);
    return {type: "FeatureCollection", features: d.f.map(function (f) {
      var label = (f[3] || []).map(function (x) { return typeof x === "number" ? d.t[x] : x; });
      return {type: "Feature", geometry: typeof f[0] === "number" ? shared[f[0]] : geometry(f[0]),
              properties: {style: f[1], name: f[2], label: label.join("<br>")}};
    })};
  }
  function cell(text, className) {
    var div = L.DomUtil.create("div");
    div.innerHTML = "<table><tr><td>" + (text == null ? "" : text) + "</td></tr></table>";
    return div;
  }
  var css = false;
  function addCss() {
    if (css) return;
    css = true;
    document.head.insertAdjacentHTML("beforeend", "<style>" +
      ".atlas-edge{pointer-events:visibleStroke!important}" +
      ".atlas-symbol{background:none;border:none}.atlas-symbol svg{display:block}" +
      ".atlas-label{position:absolute;white-space:nowrap;visibility:hidden;color:#1a1a1a;" +
      "font:bold 12px/1.25 Arial,sans-serif;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff}" +
      ".atlas-p1{font-size:14px}.atlas-p5,.atlas-p6,.atlas-p7,.atlas-p8,.atlas-p9,.atlas-p10{font-weight:" +
      "normal;color:#333}.atlas-p6{letter-spacing:2px;color:#666}</style>");
  }
  // Candidate spots by place (layers/labels.py CANDIDATES and GAP_PX, which a test ties to
  // these): the box's offset from its spot in its width, its height and the gap.
  var SPOTS = [[[0, -0.5, 1, 0], [-1, -0.5, -1, 0], [-0.5, -1, 0, -0.5], [-0.5, 0, 0, 0.5]],
    [[-0.5, -0.5, 0, 0], [-0.5, -1.5, 0, -0.5], [-0.5, 0.5, 0, 0.5]],
    [[-0.5, -0.5, 0, 0], [-0.5, -1.5, 0, -0.5], [-0.5, 0.5, 0, 0.5]],
    [[-0.5, -0.5, 0, 0], [-0.5, -1.5, 0, 0], [-0.5, 0.5, 0, 0]],
    [[0, -0.5, 3.75, 0], [-1, -0.5, -3.75, 0], [-0.5, 0, 0, 3.75], [-0.5, -1, 0, -5.5]]];
  var GAP = 6, SAME = 24, NEAR = 12, DOT = 4;
  var SYMBOL_BOX = [21, 32, 21, 21];  // layers/labels.py SYMBOL_BOX_PX: kept clear of labels
  function label(ll, html, priority, place) {
    addCss();
    var m = L.marker(ll, {pane: "atlasLabels", interactive: false, keyboard: false,
      atlasLabel: [priority, place],
      icon: L.divIcon({className: "atlas-label atlas-p" + priority, html: html, iconSize: null})});
    m.beforeAdd = watch;
    return m;
  }
  function watch(map) {  // the first label on a map: its pane, and placing on every change
    if (map.getPane("atlasLabels")) return;
    var queued = false;
    map.createPane("atlasLabels").style.zIndex = 550;  // over lines (400), under points (600)
    map.on("resize", function () {  // a page's style may size labels by the map's size
      map.eachLayer(function (l) { if (l._wh) l._wh = null; });
    });
    map.on("zoomend moveend viewreset resize layeradd layerremove", function () {
      if (queued) return;
      queued = true;
      L.Util.requestAnimFrame(function () { queued = false; if (map._loaded) place(map); });
    });
  }
  function place(map) {
    var marks = [], placed = [], named = Object.create(null), points = [], size = map.getSize();
    var c = map.getContainer(), o = c.getBoundingClientRect();
    c.querySelectorAll(".leaflet-control").forEach(function (e) {  // the controls cover labels
      var r = e.getBoundingClientRect();
      if (r.width) placed.push([r.left - o.left, r.top - o.top, r.right - o.left, r.bottom - o.top]);
    });
    api.covers().forEach(function (b) { placed.push(b); });  // and what the page lays over it
    map.eachLayer(function (l) { if (l.options.atlasLabel && l._icon) marks.push(l); });
    marks.forEach(function (l) {  // measured once drawn (reads first, then writes)
      if (!l._wh || !l._wh[0]) l._wh = [l._icon.offsetWidth, l._icon.offsetHeight];
    });
    marks.sort(function (a, b) {
      return a.options.atlasLabel[0] - b.options.atlasLabel[0] || L.stamp(a) - L.stamp(b);
    });
    marks.forEach(function (l) {
      var p = map.latLngToContainerPoint(l.getLatLng()), w = l._wh[0], h = l._wh[1];
      var spots = SPOTS[l.options.atlasLabel[1]], s = l._icon.style, box = null;
      var text = l._icon.innerHTML, seen = named[text] || (named[text] = []);
      var point = l.options.atlasLabel[1] === 0, unit = l.options.atlasLabel[1] === 4;
      var shown = seen.some(function (q) { return p.distanceTo(q) <= SAME; }) ||
        (point || unit) && points.some(function (q) { return p.distanceTo(q) <= NEAR; });
      for (var k = 0; k < spots.length && !box && !shown; k++) {
        var dx = spots[k][0] * w + spots[k][2] * GAP, dy = spots[k][1] * h + spots[k][3] * GAP;
        var b = [p.x + dx, p.y + dy, p.x + dx + w, p.y + dy + h];
        if (b[0] >= 0 && b[1] >= 0 && b[2] <= size.x && b[3] <= size.y && !placed.some(
          function (q) { return b[0] < q[2] && b[2] > q[0] && b[1] < q[3] && b[3] > q[1]; })) {
          box = b;
          s.marginLeft = dx + "px";
          s.marginTop = dy + "px";
        }
      }
      s.visibility = box ? "visible" : "hidden";
      if (box) placed.push(box) && seen.push(p) && (!(point || unit) || points.push(p));
      if (point && !shown) placed.push([p.x - DOT, p.y - DOT, p.x + DOT, p.y + DOT]);  // its dot
      if (unit && !shown) {  // its symbol (a more urgent figure placed before may cover it)
        var e = SYMBOL_BOX;
        placed.push([p.x - e[0], p.y - e[1], p.x + e[2], p.y + e[3]]);
      }
    });
  }
  function symbol(s) {  // a unit's symbol [svg, width, height, anchor x, anchor y]
    return s.icon || (s.icon = L.divIcon({html: s[0], className: "atlas-symbol",
      iconSize: [s[1], s[2]], iconAnchor: [s[3], s[4]]}));
  }
  function layer(d, o) {
    addCss();
    var styles = [];
    function style(f) { return styles[f.properties.style]; }
    var group = L.geoJson(null, {
      style: style,
      pointToLayer: function (f, latlng) {
        var s = style(f);
        if (s.symbol) return L.marker(latlng, {icon: symbol(s.symbol)});
        return L.circleMarker(latlng, L.extend({radius: o.radius, pane: "markerPane"}, s));
      }
    });
    group.bindTooltip(function (l) { return cell(l.feature.properties.name); },
                      {sticky: true, className: "foliumtooltip"});
    group.bindPopup(function (l) { return cell(l.feature.properties.label); },
                    {maxWidth: o.maxWidth, className: "foliumpopup"});
    api.source(d, function (data) {
      styles = data.s;
      var fc = api.collection(data);
      group.addData(fc);
      (data.m || []).forEach(function (m) {  // [lon, lat, html, priority, place] or [i, priority]
        var f = m.length < 3 && fc.features[m[0]], c = f && f.geometry.coordinates;
        group.addLayer(f ? label([c[1], c[0]], f.properties.name, m[1], 0)
                         : label([m[1], m[0]], m[2], m[3], m[4]));
      });
    });
    return group;
  }
  var api = {decode: decode, collection: collection, layer: layer, label: label, place: place,
             source: function (d, fn) { fn(d); }, covers: function () { return []; }};
  return api;
})("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.");
