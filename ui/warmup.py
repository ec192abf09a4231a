"""Warm a process before the app serves it: read ``data/`` and build every layer once.

``python cli.py serve`` (what ``make run`` starts) calls :func:`warm_up` and then starts
Streamlit in the same process, so the first visitor's page is made from layers already
built, as every later visitor's is. Importing this module imports the map library
(folium) as well. Nothing is written anywhere: the warmed state is the process's own
caches (``functools.lru_cache`` on the data loaders and layer builders), which live as
long as the code and data they were made from. :func:`freeze_heap` then takes all of it
out of Python's garbage collection.
"""

from __future__ import annotations

import gc
import time

from geo.data import load_all
from layers.catalogue import CATALOGUE, build
from webmap.controls import minimap_geojson
from webmap.vector_base import vector_base_json


def warm_up() -> dict[str, float]:
    """Read ``data/``, build every catalogue layer with its defaults, and the backdrops.

    Returns
    -------
    dict of str to float
        Seconds spent on each step: ``data``, ``layers``, ``backdrops``.
    """
    steps = {
        "data": load_all,
        "layers": lambda: [build(layer_id) for layer_id in CATALOGUE],
        "backdrops": lambda: (vector_base_json(), minimap_geojson()),
    }
    seconds = {}
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        seconds[name] = time.perf_counter() - start
    return seconds


def freeze_heap() -> int:
    """Collect garbage once, then leave everything alive out of later collections.

    What the warm-up made (the data, the layers, the libraries) lives as long as the
    server. A full collection traversing it took 105-180 ms on the development machine,
    holding the interpreter while a rerun's message to the browser waited behind it (found
    with ``gc.callbacks`` beside the websocket's timestamps). Frozen (:func:`gc.freeze`),
    it is not traversed again. Streamlit's own full collection after every rerun is off
    (``runner.postScriptGC`` in ``.streamlit/config.toml``); Python's, rarer, now takes
    20-60 ms. The app's modules are not imported here: importing Streamlit's before its
    command line reads the configuration would lose the configuration's ``[server]``.

    Returns
    -------
    int
        How many objects were frozen.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
