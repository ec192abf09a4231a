/*
 * Pointer position as an MGRS reference to 1 m, as geo.coords.format_mgrs writes it, with the
 * vendored npm mgrs (static/vendor/mgrs); its one-digit UTM zones are padded to two as
 * Python's mgrs writes them. One function expression (lng, lat) -> text for folium's
 * MousePosition (webmap.controls); the loader drops this comment.
 */
function (lng, lat) {
    try {
        var ref = mgrs.forward([lng, lat], 5);
        return /^\d[A-Z]/.test(ref) ? "0" + ref : ref;
    } catch (err) {
        return "outside MGRS (80\u00b0S to 84\u00b0N)";
    }
}
