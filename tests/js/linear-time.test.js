// Decoding takes time in proportion to the vertices: four times the arcs, or four times the
// vertices (the case's factor), take about four times as long. (A ring joined with
// `out = out.concat(...)` per arc took about sixteen times as long for four times the arcs.)
//
// Each sample decodes a layer R times in a row (R chosen so that a sample of the smaller
// layer lasts about TARGET_MS); the fastest of SAMPLES samples, taken in turns, counts.
// The sizes stay small enough for V8's young generation and the CPU's caches, whose own
// costs grow faster than the work (here 3.6-5.8 times for four times the work).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {loadRuntime, cases} = require("./load.js");

const atlasGeo = loadRuntime();
const CASES = cases();
const SAMPLES = 11;
const TARGET_MS = 50;
// Measured for 4N: 3.6-3.8 (vertices), 5.4-5.8 (arcs: memory costs); quadratic: about 16.
const MAX_RATIO_PER_FACTOR = 2;

function sample(d, repeats) {
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeats; r++) atlasGeo.collection(d);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The fastest sample of each layer in ms, and the decodings per sample. */
function fastest(layers) {
  layers.forEach((d) => sample(d, 3)); // warm-up: compiled and optimized
  const single = Math.min(...[1, 2, 3, 4, 5].map(() => sample(layers[0], 1)));
  const repeats = Math.max(1, Math.ceil(TARGET_MS / single));
  const best = layers.map(() => Infinity);
  for (let s = 0; s < SAMPLES; s++) {
    layers.forEach((d, i) => {
      best[i] = Math.min(best[i], sample(d, repeats));
    });
  }
  return {best, repeats};
}

/** The vertices of the layer's one ring, the closing one not counted. */
function vertexCount(d) {
  const ring = atlasGeo.collection(d).features[0].geometry.coordinates[0];
  const [first, last] = [ring[0], ring[ring.length - 1]];
  return ring.length - (first[0] === last[0] && first[1] === last[1] ? 1 : 0);
}

for (const [name, pair] of Object.entries(CASES)) {
  test(`${pair.factor} times the ${name} take about ${pair.factor} times as long`, (t) => {
    const {small, large, factor} = pair;
    assert.equal(vertexCount(large), factor * vertexCount(small), "the layers' sizes");
    const {best, repeats} = fastest([small, large]);
    const ratio = best[1] / best[0];
    const report =
      `${repeats} decodings: ${best[0].toFixed(1)} ms, then ${best[1].toFixed(1)} ms ` +
      `for ${factor} times the ${name} (ratio ${ratio.toFixed(2)})`;
    t.diagnostic(report);
    assert.ok(ratio < MAX_RATIO_PER_FACTOR * factor, `decoding is not linear: ${report}`);
  });
}
