/*
 * Pointer position in degrees, minutes and seconds, as geo.coords.format_dms writes it
 * (54°41′14.0″N 025°16′47.0″E): tenths of a second rounded once, then split.
 * One function expression (lng, lat) -> text for folium's MousePosition (webmap.controls);
 * the loader drops this comment.
 */
function (lng, lat) {
    function part(value, positive, negative, width) {
        var total = Math.round(Math.abs(value) * 36000);
        var rest = total % 36000, tenths = rest % 600;
        return String(Math.floor(total / 36000)).padStart(width, "0") + "\u00b0"
            + String(Math.floor(rest / 600)).padStart(2, "0") + "\u2032"
            + (tenths / 10).toFixed(1).padStart(4, "0") + "\u2033"
            + (value >= 0 ? positive : negative);
    }
    return part(lat, "N", "S", 2) + " " + part(lng, "E", "W", 3);
}
