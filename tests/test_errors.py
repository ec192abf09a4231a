"""geo.errors: one base error, narrow subclasses, and every room raising them."""

import ast
import inspect

import pytest

import cli
import geo.errors
from exports.formats import export
from geo.coords import parse_coordinates
from geo.errors import (
    AtlasError,
    CatalogueError,
    DataFileError,
    ExportError,
    FileInputError,
    GeoInputError,
    InputError,
    UnknownNameError,
)
from geo.user_layers import read_user_layer
from layers.catalogue import layer
from layers.units import check_unit
from tests.conftest import ROOT

# Every class with the builtin it refines (``except ValueError`` still catches bad input).
REFINES = {
    InputError: ValueError,
    GeoInputError: ValueError,
    UnknownNameError: ValueError,
    FileInputError: ValueError,
    ExportError: ValueError,
    DataFileError: RuntimeError,
    CatalogueError: ValueError,
}
# Where the rooms live; each is scanned for bare builtin raises.
SCANNED = ["geo", "layers", "webmap", "exports", "ui", "scripts", "cli.py", "app.py"]
BARE = {"Exception", "ValueError", "RuntimeError", "KeyError", "TypeError", "IndexError"}
# Internal assertions of states that cannot happen, each with why (file, a word of it).
ALLOWED_BARE = {
    # longitudes are within ±180°: on the finest 1e-5° grid that is 3.6e7 units
    ("webmap/compact.py", "2**31"),
    # json's ``default=`` hook must raise TypeError; user values are cleaned to text before
    ("exports/geodata.py", "as JSON"),
}


def test_the_vocabulary_is_exactly_what_all_lists():
    classes = {
        obj
        for _, obj in inspect.getmembers(geo.errors, inspect.isclass)
        if obj.__module__ == "geo.errors"
    }
    assert {getattr(geo.errors, name) for name in geo.errors.__all__} == classes
    assert classes == {AtlasError, *REFINES}


@pytest.mark.parametrize(("error", "builtin"), REFINES.items(), ids=lambda c: c.__name__)
def test_each_error_is_an_atlas_error_and_the_builtin_it_refines(error, builtin):
    assert issubclass(error, AtlasError) and issubclass(error, builtin)
    assert error.__doc__ and "\n" not in error.__doc__.strip()  # a one-line docstring


@pytest.mark.parametrize("error", [GeoInputError, UnknownNameError, FileInputError, ExportError])
def test_what_a_user_can_fix_is_an_input_error(error):
    assert issubclass(error, InputError)


@pytest.mark.parametrize("error", [DataFileError, CatalogueError])
def test_what_a_user_cannot_fix_is_not_an_input_error(error):
    assert not issubclass(error, InputError)


def test_unknown_name_error_prints_its_message_as_given():
    """Unlike KeyError's, its str() adds no quotes: the UIs show it as it is."""
    assert str(UnknownNameError("unknown unit 'furlong'")) == "unknown unit 'furlong'"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda tmp: parse_coordinates("95, 20"), GeoInputError, "latitude 95"),
        (lambda tmp: layer("suwalki"), UnknownNameError, "unknown layer 'suwalki'"),
        (lambda tmp: check_unit("furlong"), UnknownNameError, "unknown unit 'furlong'"),
        (lambda tmp: read_user_layer(b"{", "x.geojson"), FileInputError, "'x.geojson'"),
        (lambda tmp: read_user_layer(b"a,b\n", "x.csv"), FileInputError, "coordinate columns"),
        (lambda tmp: export(tmp / "no" / "a.geojson"), ExportError, "folder .* does not exist"),
        (lambda tmp: export(tmp / "a.geojson", layer_ids=[]), ExportError, "no layers"),
        (lambda tmp: export(tmp / "a.shp"), UnknownNameError, "cannot export 'a.shp'"),
    ],
)
def test_each_problem_raises_its_narrow_class(tmp_path, call, error, message):
    with pytest.raises(InputError, match=message) as caught:
        call(tmp_path)
    assert caught.type is error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["measure", "Minsk", "--to-country", "XX"], "error: unknown country 'XX'"),
        (["export", "--out", "{tmp}/no/a.geojson"], "error: folder"),
        (["export", "--out", "{tmp}/a.geojson", "--layers", "nope"], "error: unknown layer"),
        (["export", "--out", "{tmp}/a.geojson", "--user-layer", "{tmp}/x"], "error: no layer"),
    ],
)
def test_cli_prints_any_input_error_as_one_line_and_exits_2(tmp_path, capsys, args, message):
    assert cli.main([a.format(tmp=tmp_path) for a in args]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith(message) and out.err.count("\n") == 1


def test_cli_prints_a_data_file_error_as_one_line_and_exits_3(monkeypatch, capsys):
    def broken(text):
        raise DataFileError("data/sites.csv is missing: run 'make data' to rebuild it")

    monkeypatch.setattr(cli, "locate", broken)
    assert cli.main(["measure", "Vilnius", "Minsk"]) == 3
    assert capsys.readouterr().err == (
        "data error: data/sites.csv is missing: run 'make data' to rebuild it\n"
    )


def _bare_raises(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in BARE:
                yield node.lineno, ast.unparse(node)


def test_no_room_raises_a_bare_builtin_error():
    files = [ROOT / name for name in SCANNED if name.endswith(".py")]
    files += [p for name in SCANNED if "." not in name for p in sorted((ROOT / name).rglob("*.py"))]
    assert len(files) > 40  # the scan found the rooms
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line}: {text}"
        for path in files
        for line, text in _bare_raises(path)
        if not any(
            path.relative_to(ROOT).as_posix() == where and word in text
            for where, word in ALLOWED_BARE
        )
    ]
    assert found == []
