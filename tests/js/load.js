// Loads our scripts (webmap/js) as a page runs them, for node's test runner.
//
// tests/test_js_runtime.py runs these tests: it writes the cases from Python into a JSON
// file and names it in ATLAS_JS_CASES. ATLAS_GEO_JS may name another copy of the runtime
// (e.g. an old version, to check that a test catches what it should).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..", "..");
const JS_DIR = path.join(ROOT, "webmap", "js");
const MGRS_JS = path.join(ROOT, "static", "vendor", "mgrs", "mgrs.min.js");

/** The runtime's atlasGeo, defined on a stub window as the page's window. */
function loadRuntime() {
  const file = process.env.ATLAS_GEO_JS || path.join(JS_DIR, "atlas-geo.js");
  const window = {};
  vm.compileFunction(fs.readFileSync(file, "utf8"), ["window"], {filename: file})(window);
  return window.atlasGeo;
}

/** A pointer formatter (a file holding one function expression), with the globals it uses. */
function loadFormatter(name, globals = {}) {
  const file = path.join(JS_DIR, name);
  const names = Object.keys(globals);
  const source = "return (" + fs.readFileSync(file, "utf8") + "\n);";
  return vm.compileFunction(source, names, {filename: file})(...names.map((n) => globals[n]));
}

/** The vendored npm mgrs (static/vendor, installed by `make`). */
function loadMgrs() {
  return require(MGRS_JS);
}

/** The cases Python wrote for this run. */
function cases() {
  const file = process.env.ATLAS_JS_CASES;
  if (!file) {
    throw new Error("ATLAS_JS_CASES is not set: run these through pytest tests/test_js_runtime.py");
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

module.exports = {loadRuntime, loadFormatter, loadMgrs, cases};
