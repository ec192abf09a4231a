// The pointer-position formatters (webmap/js/pointer-*.js) write what geo.coords writes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {loadFormatter, loadMgrs, cases} = require("./load.js");

const CASES = cases();
const FORMATTERS = {
  dd: loadFormatter("pointer-dd.js"),
  dms: loadFormatter("pointer-dms.js"),
  mgrs: loadFormatter("pointer-mgrs.js", {mgrs: loadMgrs()}),
};

for (const [name, format] of Object.entries(FORMATTERS)) {
  test(`${name} writes what Python writes`, () => {
    for (const [lon, lat, expected] of CASES[name]) {
      assert.equal(format(lon, lat), expected, `${name} of (${lon}, ${lat})`);
    }
  });
}

test("mgrs says where MGRS ends beyond its latitudes", () => {
  for (const [lon, lat] of CASES.outside_mgrs) {
    assert.equal(FORMATTERS.mgrs(lon, lat), "outside MGRS (80\u00b0S to 84\u00b0N)");
  }
});
