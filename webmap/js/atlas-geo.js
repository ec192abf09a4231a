/*
 * atlasGeo: draws our compact layers in the page (plain ES5, no dependency at load time).
 *
 * atlasGeo.decode(s, k, v)   an encoded-polyline string -> [[lon, lat], ...]; v is the
 *                            cursor [x, y] in units of 1/k, carried from string to string
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
 *                            on its outline only, so its disc does not cover what is inside
 *
 * The app serves this file from /app/static/atlas (a copy made by the Makefile); exported
 * pages inline it. The Python loader (webmap.assets.own_js) drops this comment, so pages
 * carry the code only. The digits below must equal webmap.compact.ALPHABET (a test checks).
 */
window.atlasGeo = window.atlasGeo || (function (ALPHABET) {
  var DIGIT = [];
  for (var n = 0; n < 64; n++) DIGIT[ALPHABET.charCodeAt(n)] = n;
  function decode(s, k, v) {
    var out = [], i = 0;
    while (i < s.length) {
      for (var c = 0; c < 2; c++) {
        var shift = 0, r = 0, b;
        do { b = DIGIT[s.charCodeAt(i++)]; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
        v[c] += r & 1 ? ~(r >> 1) : r >> 1;
      }
      out.push([v[0] / k, v[1] / k]);
    }
    return out;
  }
  var TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"];
  var DEPTH = [0, 0, 0, 1, 1, 2];
  function collection(d) {
    var v = [0, 0];  // each string continues from where the previous one ended
    var arcs = d.a.map(function (s) { return decode(s, d.k, v); });
    function path(p) {
      if (typeof p === "string") return decode(p, d.k, v);
      var out = [];
      p.forEach(function (r) {
        var a = typeof r === "string" ? decode(r, d.k, v)
          : r < 0 ? arcs[~r].slice().reverse() : arcs[r];
        for (var i = out.length ? 1 : 0; i < a.length; i++) out.push(a[i]);  // in place: linear
      });
      return out;
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
  var edgeCss = false;
  function layer(d, o) {
    if (!edgeCss) {
      edgeCss = true;
      document.head.insertAdjacentHTML("beforeend",
        "<style>.atlas-edge{pointer-events:visibleStroke!important}</style>");
    }
    var styles = [];
    function style(f) { return styles[f.properties.style]; }
    var group = L.geoJson(null, {
      style: style,
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, L.extend({radius: o.radius, pane: "markerPane"}, style(f)));
      }
    });
    group.bindTooltip(function (l) { return cell(l.feature.properties.name); },
                      {sticky: true, className: "foliumtooltip"});
    group.bindPopup(function (l) { return cell(l.feature.properties.label); },
                    {maxWidth: o.maxWidth, className: "foliumpopup"});
    api.source(d, function (data) {
      styles = data.s;
      group.addData(api.collection(data));
    });
    return group;
  }
  var api = {decode: decode, collection: collection, layer: layer,
             source: function (d, fn) { fn(d); }};
  return api;
})("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.");
