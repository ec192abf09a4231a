"""Layer data the app serves as files named by their content (webmap.served)."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from webmap import served as served_module
from webmap.served import pushed, served, served_url

URL = "/app/static/data"
DATA = '{"k":20000,"a":["abc"],"f":[]}'


def name_of(data: str, suffix: str = ".json") -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24] + suffix


def test_a_layer_is_written_once_under_its_content_hash_and_referenced(tmp_path):
    ref = json.loads(served(DATA, tmp_path, URL))
    assert ref == {"href": f"{URL}/{name_of(DATA)}"}
    assert (tmp_path / name_of(DATA)).read_text(encoding="utf-8") == DATA
    assert json.loads(served(DATA, tmp_path, URL)) == ref, "the same content, the same file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name_of(DATA)]


def test_nothing_to_draw_stays_empty_and_writes_nothing(tmp_path):
    assert served("", tmp_path, URL) == "" and pushed("", tmp_path, URL) == ""
    assert list(tmp_path.iterdir()) == []


def test_pushed_data_comes_with_the_same_reference_and_the_file_is_written(tmp_path):
    sent = json.loads(pushed(DATA, tmp_path, URL))
    assert sent == {"href": f"{URL}/{name_of(DATA)}", "data": json.loads(DATA)}
    assert (tmp_path / name_of(DATA)).read_text(encoding="utf-8") == DATA


def test_past_the_cap_the_least_recently_referenced_files_go(tmp_path, monkeypatch):
    monkeypatch.setattr(served_module, "MAX_FILES", 6)
    monkeypatch.setattr(served_module, "_PRUNE_TO", 3)
    texts = [f'{{"n":{i}}}' for i in range(6)]
    for age, text in enumerate(texts):
        served_url(text, ".json", tmp_path, URL)
        os.utime(tmp_path / name_of(text), (1_000 + age, 1_000 + age))
    served_url(texts[0], ".json", tmp_path, URL)  # referenced again: now the most recent
    served_url('{"n":6}', ".json", tmp_path, URL)  # the seventh file: prune first
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {name_of(t) for t in (texts[0], texts[4], texts[5], '{"n":6}')}


@pytest.mark.parametrize("suffix", [".json", ".js"])
def test_the_suffix_names_the_media_type(tmp_path, suffix):
    assert served_url("x", suffix, tmp_path, URL).endswith(suffix)
