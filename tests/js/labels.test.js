// atlasGeo.place puts labels where layers/labels.py's place_labels does: the same boxes
// shown and hidden, at the same offsets from their spots, for cases Python made.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {loadRuntime, cases} = require("./load.js");

const atlasGeo = loadRuntime();
const CASES = cases();

/** A point of Leaflet's shape: x, y and distanceTo. */
function point(x, y) {
  return {x, y, distanceTo: (q) => Math.hypot(q.x - x, q.y - y)};
}

/** A stand-in map holding the case's labels (markers whose icons are drawn). */
function fakeMap(c) {
  const marks = c.labels.map((l, i) => ({
    _stamp: i,
    _xy: point(l.x, l.y),
    options: {atlasLabel: [l.priority, l.place]},
    _icon: {offsetWidth: l.w, offsetHeight: l.h, innerHTML: l.text, style: {}},
    getLatLng() { return this; },
  }));
  return {
    marks,
    getSize: () => point(c.width, c.height),
    getContainer: () => ({
      getBoundingClientRect: () => ({left: 0, top: 0}),
      querySelectorAll: () => [],
    }),
    eachLayer(fn) { marks.forEach(fn); },
    latLngToContainerPoint: (m) => m._xy,
  };
}

for (const c of CASES) {
  test(`labels are placed as Python places them: ${c.name}`, () => {
    global.L = {stamp: (m) => m._stamp};
    const map = fakeMap(c);
    atlasGeo.place(map);
    map.marks.forEach((m, i) => {
      const want = c.expected[i], s = m._icon.style;
      assert.equal(s.visibility, want ? "visible" : "hidden", `label ${i} (${c.labels[i].text})`);
      if (want) {
        assert.ok(Math.abs(parseFloat(s.marginLeft) - want[0]) < 1e-9, `label ${i} x offset`);
        assert.ok(Math.abs(parseFloat(s.marginTop) - want[1]) < 1e-9, `label ${i} y offset`);
      }
    });
  });
}
