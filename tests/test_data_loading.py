"""geo.data reads the committed tables as the csv module would, and names bad files."""

from __future__ import annotations

import csv

import pytest

from geo import data
from geo.errors import DataFileError


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("sites.csv", data.SITE_COLUMNS),
        ("countries.csv", data.COUNTRY_COLUMNS),
        ("towns.csv", data.TOWN_COLUMNS),
    ],
)
def test_a_table_reads_as_the_csv_module_reads_it(name, columns):
    """Every value text, empty fields empty strings (not NaN), rows in file order."""
    with open(data.DATA_DIR / name, newline="", encoding="utf-8") as f:
        rows = [tuple(r[c] for c in columns) for r in csv.DictReader(f)]
    table = data._read_csv(name, columns)
    assert list(table.columns) == list(columns)
    assert list(table.itertuples(index=False, name=None)) == rows


def test_a_table_with_other_columns_is_refused_naming_them(tmp_path, monkeypatch):
    (tmp_path / "towns.csv").write_text("geonameid,name,lat\n1,A,54.0\n", encoding="utf-8")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    expected = r"towns\.csv columns are \['geonameid', 'name', 'lat'\]"
    with pytest.raises(DataFileError, match=expected):
        data._read_csv("towns.csv", data.TOWN_COLUMNS)


def test_a_malformed_number_is_refused_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "towns.csv").write_text(
        ",".join(data.TOWN_COLUMNS) + "\n1,Minsk,BY,53.9,27.56,many\n", encoding="utf-8"
    )
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data.towns.cache_clear()
    try:
        with pytest.raises(DataFileError, match=r"towns\.csv has a malformed number"):
            data.towns()
    finally:
        data.towns.cache_clear()
