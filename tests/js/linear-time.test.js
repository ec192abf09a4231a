// Decoding takes time in proportion to the vertices: GROWTH times the arcs, or GROWTH times
// the vertices (the case's factor), take about GROWTH times as long. A ring joined with
// `out = out.concat(...)` per arc is quadratic: about GROWTH² times as long.
//
// The test has to hold on a machine busy with other work (the tests run in parallel on
// two cores), so:
// - it counts the process's CPU time (process.cpuUsage), not the wall clock: time spent
//   waiting for a core is not counted;
// - every sample lasts about TARGET_MS, whichever layer it decodes (each layer has its own
//   repeat count), so a sample of either layer is as likely to be disturbed;
// - the fastest of SAMPLES samples, taken in turns, counts;
// - the factor is large (16), and the bound sits halfway between linear and quadratic on a
//   log scale (factor^1.5 = 64): linear measured 12-29 here, also beside three busy processes, quadratic would be about 256.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {loadRuntime, cases} = require("./load.js");

const atlasGeo = loadRuntime();
const CASES = cases();
const SAMPLES = 11;
const TARGET_MS = 40;

/** CPU time of this process, in ms (user and system, every thread). */
function cpuMs() {
  const {user, system} = process.cpuUsage();
  return (user + system) / 1e3;
}

/** CPU ms per decoding of ``d``, over ``repeats`` decodings in a row. */
function sample(d, repeats) {
  const start = cpuMs();
  for (let r = 0; r < repeats; r++) atlasGeo.collection(d);
  return (cpuMs() - start) / repeats;
}

/** The fastest CPU ms per decoding of each layer, and each layer's repeats per sample. */
function fastest(layers) {
  layers.forEach((d) => sample(d, 3)); // warm-up: compiled and optimized
  const repeats = layers.map((d) => {
    let n = 1;
    let ms = sample(d, n);
    while (ms * n < TARGET_MS / 4) ms = sample(d, (n *= 2)); // a sample long enough to time
    return Math.max(1, Math.round(TARGET_MS / ms));
  });
  const best = layers.map(() => Infinity);
  for (let s = 0; s < SAMPLES; s++) {
    layers.forEach((d, i) => {
      best[i] = Math.min(best[i], sample(d, repeats[i]));
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
    const bound = factor ** 1.5;
    const report =
      `${best[0].toFixed(3)} ms (${repeats[0]} decodings a sample), then ` +
      `${best[1].toFixed(3)} ms (${repeats[1]} a sample) for ${factor} times the ${name}: ` +
      `ratio ${ratio.toFixed(1)}, linear about ${factor}, quadratic about ${factor ** 2}`;
    t.diagnostic(report);
    assert.ok(ratio < bound, `decoding is not linear (bound ${bound}): ${report}`);
  });
}
