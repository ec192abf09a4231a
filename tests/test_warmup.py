"""``cli.py serve`` warms the process up: the first visitor's layers are already built."""

from __future__ import annotations

import gc
import tomllib

import pytest

from layers.catalogue import CATALOGUE, build
from tests.conftest import ROOT
from ui.warmup import freeze_heap, warm_up
from webmap.controls import minimap_geojson
from webmap.vector_base import vector_base_json


@pytest.fixture(scope="module")
def warmed() -> dict[str, float]:
    """A warm-up from empty caches (other tests may have built layers before)."""
    for cached in [spec.build for spec in CATALOGUE.values()] + [vector_base_json, minimap_geojson]:
        cached.cache_clear()
    return warm_up()


def test_it_reports_the_time_of_each_step(warmed):
    assert list(warmed) == ["data", "layers", "backdrops"]
    assert all(seconds >= 0 for seconds in warmed.values())


@pytest.mark.parametrize("layer_id", list(CATALOGUE))
def test_the_app_s_first_build_of_each_layer_is_a_cache_hit(warmed, layer_id):
    """The app builds with the defaults filled in; the warm-up's build must be that one."""
    builder = CATALOGUE[layer_id].build
    before = builder.cache_info()
    build(layer_id, **CATALOGUE[layer_id].defaults())
    after = builder.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


@pytest.mark.parametrize("backdrop", [vector_base_json, minimap_geojson])
def test_the_backdrops_are_made(warmed, backdrop):
    before = backdrop.cache_info()
    backdrop()
    assert backdrop.cache_info().hits == before.hits + 1


def test_the_warm_heap_is_left_out_of_garbage_collection(warmed):
    """A full collection no longer traverses what the warm-up made."""
    try:
        frozen = freeze_heap()
        assert frozen == gc.get_freeze_count() > 100_000
        # A full collection now traverses the few objects made since, not the warm heap.
        assert len(gc.get_objects(generation=2)) < frozen / 10
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_the_server_runs_no_full_collection_after_each_rerun():
    """Streamlit's default collects after every rerun, delaying the message it just made."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
