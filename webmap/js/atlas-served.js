/*
 * atlasServed: in the app, layer data comes as files the server names by their content
 * (webmap/served.py). This script, loaded after atlas-geo.js by the app only (exported
 * pages carry their data inline), makes atlasGeo.source fetch {href: url} once per page
 * and atlasGeo.collection decode each fetched file once, however many reruns draw it.
 */
(function (atlasGeo) {
  var inline = atlasGeo.source, decode = atlasGeo.collection;
  var served = {};  // url -> {data} once fetched, {waiting: [fn, ...]} before
  atlasGeo.source = function (d, fn) {
    if (!d || typeof d.href !== "string") return inline(d, fn);
    var entry = served[d.href];
    if (entry && entry.waiting) return entry.waiting.push(fn);
    if (entry) return fn(entry.data);
    entry = served[d.href] = {waiting: [fn]};
    fetch(d.href).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    }).then(function (data) {
      var waiting = entry.waiting;
      Object.defineProperty(data, "decoded", {value: null, writable: true});
      entry.data = data;
      delete entry.waiting;
      waiting.forEach(function (f) { f(data); });
    }).catch(function (error) {
      delete served[d.href];  // a later rerun that names it asks again
      console.error("atlasGeo: cannot load " + d.href + ": " + error);
    });
  };
  atlasGeo.collection = function (d) {
    if (d.decoded === undefined) return decode(d);  // inline data: decoded where it is used
    return d.decoded || (d.decoded = decode(d));
  };
})(window.atlasGeo);
