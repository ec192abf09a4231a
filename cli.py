"""Baltic Flank Atlas on the command line: `atlas` (installed into .venv by `make run`), or
`python cli.py`.

    atlas measure Vilnius Minsk [--json] [--date YYYY-MM-DD] [--speed-kmh V]
    atlas measure Astravets-NPP --to-country LT [--json]
    atlas layers [--json]
    atlas claims [--json|--csv|--md]
    atlas export --out atlas.html [--format html|geojson|gpkg|kml|kmz|csv|png]
                 [--layers id,id] [--user-layer PATH ...] [--offline] [--as-of DATE]
                 [--units km|mi|nmi] [--title TEXT]
    atlas distances POINTS.csv --to-country BY [--to-site Vilnius ...]
                 --out OUT.csv|.gpkg|.geojson [--engine local|dask] [--chunk ROWS]
    atlas fan PLACE --azimuth DEG --width DEG --range MIN_KM,MAX_KM [--json] [--out FILE]
    atlas fan PLACE --bearings START,END --range MIN_KM,MAX_KM [--json] [--out FILE]
    atlas radials PLACE --count N --length-km L [--first DEG] [--json] [--out FILE]
    atlas horizon --height-m H [--target-height-m T] [--k K] [--json]
    atlas forces [--as-of YYYY-MM-DD] [--json]
    atlas serve [STREAMLIT OPTIONS ...]   (what `make run` runs)

Bad input prints one line naming the problem and exits with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from geo.bearings import Bearing, bearing, travel_time_h
from geo.coords import format_dd, format_dms, format_mgrs
from geo.errors import DataFileError, GeoInputError, InputError
from geo.gazetteer import Place
from geo.locate import locate
from geo.measure import Measurement, measure
from geo.territories import resolve_territory, territory_distance, territory_name
from layers.units import format_duration, render_distances, split_metric


def _place_dict(place: Place) -> dict[str, object]:
    return {
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "kind": place.kind,
        "source": place.source,
    }


def _point_lines(label: str, lon: float, lat: float) -> str:
    try:
        mgrs_ref = format_mgrs(lon, lat)
    except GeoInputError:
        mgrs_ref = "no MGRS (polar)"
    return f"  {label:<9}{format_dd(lon, lat)}   {format_dms(lon, lat)}   {mgrs_ref}"


def _measurement_lines(m: Measurement) -> list[str]:
    return [
        f"  distance {m.distance_km:,.2f} km | {m.distance_mi:,.2f} mi | {m.distance_nmi:,.2f} nmi",
        f"  azimuth  {m.azimuth_deg:.2f}° (back azimuth {m.back_azimuth_deg:.2f}°)",
    ]


def _bearing_lines(b: Bearing) -> list[str]:
    grid = (
        "no UTM grid beyond 84°N / 80°S"
        if b.utm_zone is None
        else f"grid {b.grid_azimuth_deg:.2f}° (UTM zone {b.utm_zone}, convergence "
        f"{b.grid_convergence_deg:+.2f}°)"
    )
    return [
        f"  bearing  {b.azimuth_mils:.0f} mils (back {b.back_azimuth_mils:.0f} mils) · "
        f"magnetic {b.magnetic_azimuth_deg:.2f}° (declination {b.declination_deg:+.2f}°, "
        f"{b.magnetic_model}, {b.magnetic_date}) · {grid}",
    ]


def _date(value: str | None) -> dt.date | None:
    """--date's value as a date (None: today)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"a date must be YYYY-MM-DD, got {value!r}") from None


def measure_points(
    a: Place, b: Place, *, on: dt.date | None = None, speed_kmh: float | None = None
) -> tuple[dict[str, object], list[str]]:
    """Measure between two places: the JSON record and the text lines.

    The record holds the distance, the true, mils, magnetic (WMM2025 on ``on``, default
    today) and grid bearings, and with ``speed_kmh`` the time in hours at that speed.
    """
    m = measure(a.lon, a.lat, b.lon, b.lat)
    bear = bearing(a.lon, a.lat, b.lon, b.lat, on)
    record = {**m.to_dict(), **bear.to_dict(), "from": _place_dict(a), "to": _place_dict(b)}
    lines = [
        f"{a.name} → {b.name} (WGS84 ellipsoid geodesic)",
        *_measurement_lines(m),
        *_bearing_lines(bear),
        _point_lines("from", a.lon, a.lat),
        _point_lines("to", b.lon, b.lat),
    ]
    if speed_kmh is not None:
        hours = float(travel_time_h(m.distance_km, speed_kmh))
        record.update(speed_kmh=speed_kmh, time_h=hours)
        lines.insert(3, f"  time     {format_duration(hours)} at {speed_kmh:g} km/h")
    return record, lines


def measure_to_country(a: Place, country: str) -> tuple[dict[str, object], list[str]]:
    """Measure from a place to a territory: the JSON record and the text lines."""
    code = resolve_territory(country)
    near = territory_distance(a.lon, a.lat, code)
    lon, lat = near.nearest_lon, near.nearest_lat
    name = territory_name(code)
    head = f"{a.name} → {name} (nearest point of its territory)"
    m = near.measurement()  # inside: distance 0 and no azimuths (null in JSON)
    record = {
        **m.to_dict(),
        "nearest_point": [lat, lon],
        "country": code,
        "country_name": name,
        "from": _place_dict(a),
    }
    if near.inside:
        lines = [head, f"  {a.name} is inside {name}: distance 0"]
    else:
        lines = [head, *_measurement_lines(m)]
    lines += [_point_lines("from", a.lon, a.lat), _point_lines("nearest", lon, lat)]
    return record, lines


def cmd_measure(args: argparse.Namespace) -> int:
    """``measure A B`` or ``measure A --to-country CODE``."""
    a = locate(args.a)
    if args.to_country is not None:
        if args.b is not None:
            raise InputError("give either a second place or --to-country, not both")
        record, lines = measure_to_country(a, args.to_country)
    elif args.b is None:
        raise InputError("measure needs a second place, or --to-country CODE")
    else:
        record, lines = measure_points(
            a, locate(args.b), on=_date(args.date), speed_kmh=args.speed_kmh
        )
    print(json.dumps(record, ensure_ascii=False, indent=2) if args.json else "\n".join(lines))
    return 0


def _ranges_km(
    value: str, what: str = "a range is MIN_KM,MAX_KM (for example 0,50)"
) -> tuple[float, float]:
    """Two numbers separated by a comma: --range's ``MIN_KM,MAX_KM``, --bearings' pair."""
    try:
        low, high = (float(v) for v in value.split(","))
    except ValueError:
        raise InputError(f"{what}, got {value!r}") from None
    return low, high


def _write_marks(path: str, title: str, records: list[dict]) -> str:
    """Write a fan's or radials' records as a layer, in the format of ``path``'s extension."""
    from dataclasses import replace

    from exports.formats import export
    from layers.features import frame
    from layers.spec import Built
    from layers.user_marks import USER_MARKS

    built = Built(frame(records))
    spec = replace(USER_MARKS, id="user_tools", title=title, build=lambda: built)
    return export(Path(path), layer_ids=[spec], title=title)


def _geometry_json(geom) -> dict:
    import shapely

    return json.loads(shapely.to_geojson(geom))


def cmd_fan(args: argparse.Namespace) -> int:
    """``fan PLACE --azimuth --width --range MIN,MAX``: a geodesic range fan."""
    from geo.fans import span
    from layers.features import fan_record, point_record

    centre = locate(args.place)
    low, high = _ranges_km(args.range)
    if args.bearings is not None:
        if args.azimuth is not None or args.width is not None:
            raise InputError("give either --bearings START,END or --azimuth and --width")
        azimuth, width = span(*_ranges_km(args.bearings, "--bearings is START,END (degrees)"))
    elif args.azimuth is None or args.width is None:
        raise InputError("a fan needs --azimuth and --width, or --bearings START,END")
    else:
        azimuth, width = args.azimuth, args.width
    rec = fan_record(centre, azimuth, width, low, high, seed="command line")
    record = {
        "centre": _place_dict(centre),
        "azimuth_deg": azimuth,
        "width_deg": width,
        "min_range_km": low,
        "max_range_km": high,
        "area_km2": rec["area_km2"],
        "perimeter_km": rec["perimeter_km"],
        "people_in_towns": rec["people_in_towns"],
        "people_in_towns_min_population": 5000,
        "countries": rec["countries"].split(", ") if rec["countries"] else [],
        "geometry": _geometry_json(rec["geometry"]),
    }
    if args.out:
        written = _write_marks(args.out, rec["name"], [point_record(centre), rec])
        print(f"wrote {args.out} ({written})", file=sys.stderr)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(
            f"{rec['name']}, {low:g}–{high:g} km (geodesic range fan)\n"
            f"  area {rec['area_km2']:,.1f} km² · perimeter {rec['perimeter_km']:,.1f} km\n"
            f"  countries: {rec['countries'] or 'none'} · people in towns of ≥ 5,000: "
            f"{rec['people_in_towns']:,}"
        )
    return 0


def cmd_radials(args: argparse.Namespace) -> int:
    """``radials PLACE --count N --length-km L``: geodesic radials from a place."""
    from layers.features import point_record, radial_records

    centre = locate(args.place)
    recs = radial_records(centre, args.count, args.length_km, first_deg=args.first)
    if args.out:
        title = f"{centre.name}: {args.count} radials of {args.length_km:g} km"
        written = _write_marks(args.out, title, [point_record(centre), *recs])
        print(f"wrote {args.out} ({written})", file=sys.stderr)
    if args.json:
        rows = [
            {
                "azimuth_deg": r["azimuth_deg"],
                "length_km": r["distance_km"],
                "end": list(r["geometry"].coords[-1])
                if r["geometry"].geom_type == "LineString"
                else list(r["geometry"].geoms[-1].coords[-1]),
                "geometry": _geometry_json(r["geometry"]),
            }
            for r in recs
        ]
        print(
            json.dumps(
                {"centre": _place_dict(centre), "radials": rows}, ensure_ascii=False, indent=2
            )
        )
    else:
        print(f"{centre.name}: {args.count} geodesic radials of {args.length_km:g} km")
        for r in recs:
            print(f"  {render_distances(r['label'], 'km')}")
    return 0


def cmd_horizon(args: argparse.Namespace) -> int:
    """``horizon --height-m H``: radar or visual horizon over a smooth Earth."""
    from dataclasses import asdict

    from geo.horizon import horizon

    h = horizon(args.height_m, args.target_height_m, k=args.k)
    if args.json:
        print(json.dumps({**asdict(h), "terrain": "not modelled"}, indent=2))
    else:
        print(
            f"horizon {h.horizon_km:,.1f} km (observer {h.observer_km:,.1f} km + target "
            f"{h.target_km:,.1f} km; k = {h.k:.4g}; smooth Earth, terrain not modelled)"
        )
    return 0


def cmd_forces(args: argparse.Namespace) -> int:
    """``forces``: the units of data/forces.csv there on a date, with their distance to
    Belarus (a range when their position is uncertain)."""
    from geo.forces import as_of, distance_range_km, forces

    on = _date(args.as_of) or dt.datetime.now(dt.UTC).date()
    rows = []
    for unit in as_of(forces(), on).to_dict("records"):
        low, high = distance_range_km(unit["lon"], unit["lat"], unit["uncertainty_km"], "BY")
        rows.append(
            {
                **{k: unit[k] for k in ("id", "name", "side", "sidc", "lat", "lon")},
                "uncertainty_km": unit["uncertainty_km"],
                "from": unit["from"].isoformat() if unit["from"] else None,
                "to": unit["to"].isoformat() if unit["to"] else None,
                "citation": unit["citation"],
                "to_BY_km": [low, high] if unit["uncertainty_km"] > 0 else low,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(rows)} units as of {on.isoformat()} (data/forces.csv)")
    for row in rows:
        centre = distance_range_km(row["lon"], row["lat"], 0.0, "BY")[0]
        to_by = f"{centre:,.0f} km to Belarus" if centre > 0 else "inside Belarus"
        if isinstance(row["to_BY_km"], list) and centre > 0:
            to_by += " ({:,.0f}–{:,.0f} km as its position is uncertain)".format(*row["to_BY_km"])
        print(f"  {row['name']} [{row['side']}, {row['sidc']}]: {to_by}")
        print(f"    since {row['from'] or 'unknown'}; source: {row['citation']}")
    return 0


def cmd_layers(args: argparse.Namespace) -> int:
    """``layers``: every catalogue layer with its feature count and metrics."""
    from layers.catalogue import CATALOGUE, build  # builds only on this command

    rows = []
    for spec in CATALOGUE.values():
        built = build(spec.id)
        rows.append(
            {
                "id": spec.id,
                "title": spec.title,
                "features": len(built.features),
                "metrics": {k: round(float(v), 3) for k, v in built.metrics.items()},
                "seeds": list(spec.seeds),
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['id']:<16} {row['title']} ({row['features']} features)")
        for key, value in row["metrics"].items():
            print(f"  {key:<36} {format_metric(key, value)}")
    return 0


def format_metric(key: str, value: float) -> str:
    """A layer's metric as the listing prints it: a whole count as a whole number ("15",
    not "15.000"), a measure (its name ends in its unit: ``split_metric``) to three decimals.
    """
    if value.is_integer() and split_metric(key)[1] is None:
        return f"{value:,.0f}"
    return f"{value:,.3f}"


def cmd_claims(args: argparse.Namespace) -> int:
    """``claims``: every geographic claim of the seeds, checked against the computed figure."""
    from exports.ledger import ledger_csv, ledger_markdown, ledger_records

    records = ledger_records()
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.write(ledger_csv(records))
    elif args.md:
        print(ledger_markdown(records))
    else:
        for r in records:
            claimed = "(no figure)" if r["claimed"] is None else f"{r['claimed']} {r['units']}"
            print(f"{r['verdict'].upper():<13} {r['id']}")
            print(f"  “{r['quote']}” ({r['seed']})")
            print(
                f"  claimed {claimed}, {r['qualifier'].replace('_', ' ')}; computed "
                f"{r['computed']} {r['units']}: {r['measured']}"
            )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: write layers to a file (format from --format or the extension)."""
    from exports.formats import export  # builds layers only on this command
    from layers.catalogue import CATALOGUE, LayerRef, layer
    from layers.user_layers import read_user_file, read_user_specs

    ids = [i.strip() for i in args.layers.split(",") if i.strip()] if args.layers else None
    layers: list[LayerRef] = list(CATALOGUE if ids is None else ids)
    taken = set(CATALOGUE)
    view, unit, as_of, params = None, "km", "", {}
    if args.workspace:  # its map: layers, marks, radii, launch site, date, view and units
        layers, view, unit, as_of, params = _workspace_export(Path(args.workspace), ids)
        taken |= {spec.id for spec in layers if not isinstance(spec, str)}
    unit, as_of = args.units or unit, args.as_of or as_of
    for path in args.user_layer or []:
        specs, notes = read_user_specs(read_user_file(path), Path(path).name, taken=taken)
        taken |= {spec.id for spec in specs}
        layers += specs
        for note in notes:
            print(f"note: {Path(path).name}: {note}", file=sys.stderr)
    params = {
        spec.id: {p.name: as_of for p in spec.params if p.kind == "date"}
        for spec in map(layer, layers)
        if any(p.kind == "date" for p in spec.params)
    } | params
    fmt = export(
        Path(args.out),
        fmt=args.format,
        layer_ids=layers,
        unit=unit,
        title=args.title,
        offline=args.offline,
        params=params,
        view=view,
    )
    print(f"wrote {args.out} ({fmt})")
    if args.offline and fmt != "html":
        print(f"note: --offline is for HTML; a {fmt} file needs no network anyway", file=sys.stderr)
    return 0


def _workspace_export(
    path: Path, ids: list[str] | None
) -> tuple[list, tuple | None, str, str, dict]:
    """What ``export --workspace`` draws: the saved map's layers (or ``--layers``), the
    user's shown layers and marks; its view, units, date and layer parameters."""
    from dataclasses import replace
    from functools import partial

    from exports.workspace import WORKSPACE_LIMITS
    from geo.locate import locate
    from layers.scenes import scene
    from layers.user_layers import read_user_file, user_places
    from layers.user_marks import USER_MARKS, user_marks
    from ui.marks import marks_arguments
    from ui.workspace import open_workspace

    opened = open_workspace(read_user_file(path, limits=WORKSPACE_LIMITS), path.name, taken=[])
    for note in opened.notes:
        print(f"note: {path.name}: {note}", file=sys.stderr)
    state = opened.state
    shown = [spec for spec in opened.specs if spec.title not in opened.hidden]
    places = user_places(shown)

    def find(text: str):
        return places.get(text.strip().lower()) or locate(text)

    arguments, problems = marks_arguments(state, opened.clicks, route=opened.route, find=find)
    for problem in problems:
        print(f"note: {path.name}: {problem}", file=sys.stderr)
    catalogue = list(ids) if ids is not None else list(state.layers)
    layers: list = [*catalogue, *shown]
    if any(value for name, value in arguments.items() if name != "bearings"):
        layers.append(replace(USER_MARKS, build=partial(user_marks, **arguments)))
    params = {i: dict(state.layer_params(i)) for i in catalogue}
    view = state.view or (*scene(state.scene).center, scene(state.scene).zoom)
    return layers, view, state.units, state.as_of, params


# Points analysts bring are many: the CLI reads larger files than the app's uploads.
DISTANCE_LIMITS = {
    "max_bytes": 1024 * 2**20,
    "max_features": 10_000_000,
    "max_vertices": 10_000_000,
}


def cmd_distances(args: argparse.Namespace) -> int:
    """``distances``: each point's exact distance and nearest point to each target.

    Read, measured and written a chunk at a time (:func:`geo.user_layers.read_point_chunks`,
    :func:`geo.batch.measure_chunks`, :func:`exports.point_tables.write_point_chunks`), so
    memory holds a few chunks whatever the file's size.
    """
    import gc
    from contextlib import nullcontext

    from tqdm import tqdm

    from exports.point_tables import point_table_format, write_point_chunks
    from geo.batch import dask_client, measure_chunks, targets
    from geo.user_layers import Limits
    from geo.user_layers.stream import read_point_chunks

    out = Path(args.out)
    point_table_format(out)  # a bad output name fails before any work
    to = targets(args.to_country or [], args.to_site or [])
    if args.chunk < 1:
        raise InputError(f"--chunk must be at least 1, not {args.chunk}")
    points = read_point_chunks(args.points, chunk=args.chunk, limits=Limits(**DISTANCE_LIMITS))
    dask = dask_client(args.scheduler) if args.engine == "dask" else nullcontext()
    bar = tqdm(total=points.total, unit="pt", disable=args.quiet or None, file=sys.stderr)
    with dask as client, bar:

        def counted(chunks):
            for chunk in chunks:
                bar.update(len(chunk))
                yield chunk
                # pandas frames hold reference cycles: chunks done with are collected now,
                # not at Python's next full collection (with what was loaded frozen, ~ms)
                gc.collect()

        gc.freeze()  # what is loaded by now stays: a collection skips it
        try:
            measured = measure_chunks(points, to, client=client)
            fmt, rows = write_point_chunks(counted(measured), out)
        finally:
            gc.unfreeze()
        bar.total = bar.n  # the CSV's count was an estimate (blank lines, quoted line breaks)
        bar.refresh()
    for note in points.notes:
        print(f"note: {note}", file=sys.stderr)
    names = ", ".join(t.name for t in to)
    print(f"wrote {out} ({fmt}): {rows:,} points, distances to {names}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Warm this process up (:func:`ui.warmup.warm_up`, :func:`ui.warmup.freeze_heap`), then
    ``streamlit run app.py``."""
    from ui.warmup import freeze_heap, warm_up

    seconds = warm_up()
    steps = ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items())
    print(f"warmed up in {sum(seconds.values()):.1f} s ({steps})", file=sys.stderr)
    print(f"{freeze_heap():,} objects left out of garbage collection", file=sys.stderr)
    from streamlit.web import cli as streamlit_cli  # the `streamlit` command itself

    root = Path(__file__).resolve().parent
    os.chdir(root)  # Streamlit reads .streamlit/config.toml (static files, upload limit) here
    return streamlit_cli.main(["run", "app.py", *args.streamlit_args], prog_name="streamlit")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    prog = "atlas" if Path(sys.argv[0]).name == "atlas" else "cli.py"
    parser = argparse.ArgumentParser(prog=prog, description="Baltic Flank Atlas")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "measure",
        help="geodesic distance and azimuths between places",
        description="A and B are site names, aliases, towns, 'lat, lon', DMS or MGRS.",
    )
    p.add_argument("a", help="first place")
    p.add_argument("b", nargs="?", help="second place")
    p.add_argument("--to-country", metavar="CODE", help="distance from A to a country's territory")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--date", help="the magnetic bearing's date, YYYY-MM-DD (default: today)")
    p.add_argument(
        "--speed-kmh", type=float, metavar="V", help="also the time to cover it at V km/h"
    )
    p.set_defaults(func=cmd_measure)
    p = sub.add_parser(
        "fan",
        help="a geodesic range fan (sector): area, perimeter, what it holds",
        description="The area between two bearings and two ranges from PLACE, geodesic.",
    )
    p.add_argument("place", help="the centre: a name, 'lat, lon', DMS or MGRS")
    p.add_argument("--azimuth", type=float, metavar="DEG", help="central bearing")
    p.add_argument("--width", type=float, metavar="DEG", help="width, (0, 360]")
    p.add_argument(
        "--bearings",
        metavar="START,END",
        help="instead of --azimuth and --width: clockwise from START to END",
    )
    p.add_argument("--range", required=True, metavar="MIN_KM,MAX_KM", help="e.g. 0,50")
    p.add_argument("--json", action="store_true", help="print JSON (geometry as GeoJSON)")
    p.add_argument("--out", help="also write it (html, geojson, gpkg, kml, csv or png)")
    p.set_defaults(func=cmd_fan)
    p = sub.add_parser("radials", help="N geodesic radials of one length from a place")
    p.add_argument("place", help="the centre: a name, 'lat, lon', DMS or MGRS")
    p.add_argument("--count", type=int, required=True, metavar="N", help="1 to 360")
    p.add_argument("--length-km", type=float, required=True, metavar="L")
    p.add_argument("--first", type=float, default=0.0, metavar="DEG", help="first bearing")
    p.add_argument("--json", action="store_true", help="print JSON (geometry as GeoJSON)")
    p.add_argument("--out", help="also write them (html, geojson, gpkg, kml, csv or png)")
    p.set_defaults(func=cmd_radials)
    p = sub.add_parser(
        "horizon",
        help="radar or visual horizon for a height (smooth Earth, no terrain)",
        description="sqrt(2 k R h) for the observer and the target, R the mean Earth radius.",
    )
    p.add_argument("--height-m", type=float, required=True, metavar="H", help="observer/antenna")
    p.add_argument("--target-height-m", type=float, default=0.0, metavar="T")
    p.add_argument(
        "--k", type=float, default=4.0 / 3.0, help="4/3 radar (default), 7/6 optical, 1 geometric"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_horizon)
    p = sub.add_parser(
        "forces",
        help="the units the seeds name (data/forces.csv) on a date, with sources",
        description="Units there on --as-of (default today), each with its SIDC, dates, "
        "source and distance to Belarus (a range when its position is uncertain).",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="the laydown on this date")
    p.add_argument("--json", action="store_true", help="print JSON (a list of objects)")
    p.set_defaults(func=cmd_forces)
    p = sub.add_parser("layers", help="list the map layers with their feature counts and metrics")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_layers)
    p = sub.add_parser(
        "claims",
        help="the seeds' geographic claims checked against computed figures",
        description="Each claim in data/claims.toml with its computed figure and verdict.",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON (a list of objects)")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    fmt.add_argument("--md", action="store_true", help="print a Markdown table")
    p.set_defaults(func=cmd_claims)
    p = sub.add_parser(
        "export",
        help="write layers as HTML, GeoJSON, GeoPackage, KML, KMZ, CSV or PNG",
        description="Write the chosen layers to a file; the format follows its extension.",
    )
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument(
        "--format",
        choices=["html", "geojson", "gpkg", "kml", "kmz", "csv", "png"],
        help="default: from the file's extension",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="HTML: no tiles, our vector base instead: the page makes no network request",
    )
    p.add_argument("--layers", help="comma-separated layer ids (default: all)")
    p.add_argument(
        "--workspace",
        metavar="FILE.gpkg",
        help="draw a workspace saved in the app (its map's layers, your layers and marks, "
        "settings, view and units; --layers overrides its layers, --units its units)",
    )
    p.add_argument(
        "--user-layer",
        action="append",
        metavar="PATH",
        help="add your own layer from a GeoJSON, KML/KMZ, GeoPackage, CSV (lat/lon or MGRS "
        "columns), GPX, zipped shapefile (.zip) or FlatGeobuf file; repeat for more files",
    )
    p.add_argument("--units", choices=["km", "mi", "nmi"], help="default: km, or the workspace's")
    p.add_argument("--title", default="Baltic Flank Atlas")
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the forces layers' laydown date (default: today, or the workspace's)",
    )
    p.set_defaults(func=cmd_export)
    p = sub.add_parser(
        "distances",
        help="exact geodesic distances from many points to countries and places",
        description="For every point of a CSV (lat/lon or MGRS columns), GeoJSON, GeoPackage, "
        "GPX (its waypoints), zipped shapefile or FlatGeobuf: the distance (km) and nearest "
        "point to each target, added to its row.",
    )
    p.add_argument(
        "points", help="CSV, GeoJSON, GeoPackage, GPX, zipped shapefile or FlatGeobuf of points"
    )
    p.add_argument("--to-country", action="append", metavar="CODE", help="e.g. BY, LT, Poland")
    p.add_argument("--to-site", action="append", metavar="NAME", help="a site, town or 'lat, lon'")
    p.add_argument("--out", required=True, help="the table to write: .csv, .gpkg or .geojson")
    p.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local: this process (default); dask: the chunks on a dask cluster",
    )
    p.add_argument(
        "--chunk",
        type=int,
        default=50_000,
        metavar="ROWS",
        help="rows read, measured and written at a time (default 50000: ~50 MB)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --engine dask: a scheduler address (default: a local cluster)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_distances)
    p = sub.add_parser(
        "serve",
        help="start the app (make run): read data/ and build every layer, then serve",
        description="Reads data/ and builds every layer once, then runs 'streamlit run "
        "app.py' in the same process with any further options (e.g. --server.port 8502), "
        "so the first visitor gets a map as fast as later ones.",
    )
    p.set_defaults(func=cmd_serve)
    return parser


# A place typed with a minus first, ``-33.857,151.215`` or ``-33°51′25″ 151°12′54″``:
# argparse would take it for an option (it lets through plain negative numbers only).
_NEGATIVE_PLACE_RE = re.compile(r"-\.?\d.*")
_NEGATIVE_NUMBER_RE = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)")


def negative_places(argv: Sequence[str]) -> list[str]:
    """The arguments with each coordinate that starts with a minus sign kept as a value.

    Such a token gets a leading space, which argparse does not read as an option and every
    reader of places strips (:func:`geo.coords.parse_coordinates`); plain negative
    numbers, which argparse already reads as values, are left as they are.

    Examples
    --------
    >>> negative_places(["measure", "-33.857,151.215", "Sydney", "--json", "-5"])
    ['measure', ' -33.857,151.215', 'Sydney', '--json', '-5']
    """
    return [
        f" {a}" if _NEGATIVE_PLACE_RE.fullmatch(a) and not _NEGATIVE_NUMBER_RE.fullmatch(a) else a
        for a in argv
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(negative_places(sys.argv[1:] if argv is None else argv))
    if extra and args.command != "serve":  # serve passes its options on to Streamlit
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.streamlit_args = extra
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataFileError as exc:
        print(f"data error: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
