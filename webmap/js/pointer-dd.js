/*
 * Pointer position in decimal degrees, as geo.coords.format_dd writes it (54.68720°N 25.27970°E).
 * One function expression (lng, lat) -> text: folium's MousePosition takes it as its
 * formatter (webmap.controls); the loader drops this comment.
 */
function (lng, lat) {
    var ns = lat >= 0 ? "N" : "S", ew = lng >= 0 ? "E" : "W";
    return Math.abs(lat).toFixed(5) + "\u00b0" + ns + " "
        + Math.abs(lng).toFixed(5) + "\u00b0" + ew;
}
