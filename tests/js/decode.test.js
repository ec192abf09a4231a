// atlasGeo.decode and atlasGeo.collection give back, within the grid, what Python encoded
// (webmap/compact.py): hand-made layers and a real catalogue layer.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {loadRuntime, cases} = require("./load.js");

const atlasGeo = loadRuntime();
const CASES = cases();

/** Whether two points are within `tol` degrees on each axis. */
function near(a, b, tol) {
  return Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol;
}

function samePath(actual, expected, tol, where) {
  assert.equal(actual.length, expected.length, `${where}: vertex count`);
  expected.forEach((p, i) => {
    assert.ok(near(actual[i], p, tol), `${where}: vertex ${i} is ${actual[i]}, expected ${p}`);
  });
}

function open(ring) {
  const [first, last] = [ring[0], ring[ring.length - 1]];
  const closed = ring.length > 1 && first[0] === last[0] && first[1] === last[1];
  return closed ? ring.slice(0, -1) : ring;
}

/**
 * The same ring: the same vertices in the same cyclic order, from any start (a ring built
 * from arcs starts where boundaries meet). A ring stored as one string of its own (no "!"
 * refers to an arc) may be read in either direction: Python stores it in a canonical one
 * (Leaflet fills even-odd).
 */
function sameRing(actual, expected, tol, mayReverse, where) {
  const a = open(actual);
  const e = open(expected);
  assert.equal(a.length, e.length, `${where}: vertex count`);
  const directions = mayReverse ? [1, -1] : [1];
  const n = e.length;
  const found = directions.some((step) =>
    a.some((_, start) => e.every((p, i) => near(a[(((start + step * i) % n) + n) % n], p, tol)))
  );
  assert.ok(found, `${where}: ${JSON.stringify(a)} is not the ring ${JSON.stringify(e)}`);
}

function sameRings(actual, expected, encoded, tol, where) {
  assert.equal(actual.length, expected.length, `${where}: ring count`);
  expected.forEach((ring, i) => {
    sameRing(actual[i], ring, tol, !encoded[i].includes("!"), `${where}, ring ${i}`);
  });
}

/** Compare a decoded geometry with the GeoJSON Python encoded (`encoded`: its compact form). */
function sameGeometry(actual, expected, encoded, tol, where) {
  if (!Array.isArray(encoded)) {
    assert.deepEqual(actual, expected, `${where}: plain GeoJSON passes through`);
    return;
  }
  assert.equal(actual.type, expected.type, `${where}: type`);
  const [a, e] = [actual.coordinates, expected.coordinates];
  switch (expected.type) {
    case "Point":
      return samePath([a], [e], tol, where);
    case "MultiPoint":
    case "LineString":
      return samePath(a, e, tol, where);
    case "MultiLineString":
      assert.equal(a.length, e.length, `${where}: line count`);
      return e.forEach((line, i) => samePath(a[i], line, tol, `${where}, line ${i}`));
    case "Polygon":
      return sameRings(a, e, encoded[1], tol, where);
    case "MultiPolygon":
      assert.equal(a.length, e.length, `${where}: polygon count`);
      return e.forEach((p, i) => sameRings(a[i], p, encoded[1][i], tol, `${where}, polygon ${i}`));
    default:
      assert.fail(`${where}: unexpected type ${expected.type}`);
  }
}

function checkLayer(layer) {
  const d = layer.data;
  const decoded = atlasGeo.collection(d);
  assert.equal(decoded.type, "FeatureCollection");
  assert.equal(decoded.features.length, layer.geometries.length, `${layer.name}: feature count`);
  decoded.features.forEach((feature, i) => {
    const where = `${layer.name}, feature ${i}`;
    const encoded = typeof d.f[i][0] === "number" ? d.g[d.f[i][0]] : d.f[i][0];
    sameGeometry(feature.geometry, layer.geometries[i], encoded, layer.tolerance_deg, where);
    assert.equal(feature.properties.name, layer.names[i], `${where}: name`);
    assert.equal(feature.properties.label, layer.labels[i].join("<br>"), `${where}: label`);
    if (layer.styles) {
      assert.deepEqual(d.s[feature.properties.style], layer.styles[i], `${where}: style`);
    }
  });
}

test("each string continues from where the one decoded before it ended", () => {
  const {k, texts, paths} = CASES.strings;
  const cursor = [0, 0];
  texts.forEach((text, i) => {
    samePath(atlasGeo.decode(text, k, cursor), paths[i], 1e-12, `string ${i}`);
  });
});

for (const layer of CASES.layers) {
  test(`collection gives back ${layer.name} within half a grid unit`, () => checkLayer(layer));
}

/**
 * A ring's string in pieces: its arc references (the number after "!": odd is reversed)
 * and how many digits of its own come before each and after the last (webmap/compact.py).
 */
function pieces(ring) {
  const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";
  const refs = [], own = [0];
  for (let i = 0; i < ring.length; ) {
    if (ring[i] !== "!") {
      own[own.length - 1]++;
      i++;
      continue;
    }
    let value = 0, shift = 0, digit;
    do {
      digit = DIGITS.indexOf(ring[++i]);
      value += (digit & 31) * 2 ** shift;
      shift += 5;
    } while (digit >= 32);
    i++;
    refs.push(value);
    own.push(0);
  }
  return {refs, own};
}

test("the cases include shared and reversed arcs, own stretches, lone rings and points", () => {
  const rings = (g) => (g[0] === 4 ? g[1] : g[0] === 5 ? g[1].flat() : []);
  const all = CASES.layers.flatMap((l) =>
    l.data.f.map((f) => (typeof f[0] === "number" ? l.data.g[f[0]] : f[0])).filter(Array.isArray)
  );
  const read = all.flatMap(rings).map(pieces);
  const refs = read.flatMap((r) => r.refs);
  assert.ok(refs.some((r) => r % 2 === 0), "an arc read forwards");
  assert.ok(refs.some((r) => r % 2 === 1), "an arc read reversed");
  assert.ok(refs.some((r) => r >> 1 > 2), "a step of more than one arc");
  const between = read.some((r) => r.own.slice(1, -1).some((n) => n > 0));
  assert.ok(between, "a ring's own stretch between arcs");
  assert.ok(read.some((r) => r.refs.length > 1 && r.own.slice(1, -1).includes(0)), "arcs in a row");
  assert.ok(read.some((r) => r.refs.length === 0), "a ring of its own");
  assert.ok(all.some((g) => g[0] === 0) && all.some((g) => g[0] === 1), "points");
  assert.ok(CASES.layers.some((l) => l.data.g.length > 0), "a geometry shared by features");
});
