/*
 * atlasSymbol(sidc, size): a unit's symbol as milsymbol draws it, for layers/symbols.py,
 * which runs this file in V8 (mini-racer) after the vendored milsymbol.js. Returns JSON:
 * {valid, svg, width, height, x, y}, (x, y) being the anchor (the unit's position).
 */
var atlasSymbol = function (sidc, size) {
  var s = new ms.Symbol(sidc, {size: size}), z = s.getSize(), a = s.getAnchor();
  return JSON.stringify({valid: s.isValid(), svg: s.asSVG(), width: z.width,
                         height: z.height, x: a.x, y: a.y});
};
