"""Sessions side by side at the protocol level, as ``make bench``'s load driver opens them.

:mod:`bench.load` talks to the server as a browser does (Streamlit's websocket and
protobuf messages, the upload endpoint). These tests keep that driver true to the app
(a whole visit passes every check it makes), and show with it that one session's upload
reaches neither another session's page nor its map.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pyproj import Geod

from bench.load import CLICKS, VISIT_RERUNS, Client, open_app, small_layer, visit


def run(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """``asyncio.run(main())`` on a thread of its own: Playwright's sync API, which the
    browser tests of this session use, keeps an event loop running on this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()


def test_a_whole_visit_passes_the_load_drivers_checks(app_url: str) -> None:
    """Open, toggles, radii, typed and clicked measurements, upload: each step checked."""

    async def go() -> Client:
        client = Client(app_url)
        try:
            await visit(client, 1)
        finally:
            await client.close()
        return client

    client = run(go)
    assert len(client.reruns) == VISIT_RERUNS
    # The clicked distance on the page is pyproj's, to the metre (the visit checks it;
    # this names the figure it found).
    (lat1, lon1), (lat2, lon2) = CLICKS
    km = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)[2] / 1000
    assert any(f"{km:,.3f} km" in text for text in client.page.texts)


def test_an_upload_reaches_no_other_session(app_url: str) -> None:
    """A's file is on A's page and map; B, open before and after it, sees neither."""
    name, data = small_layer(4242)
    point = "Point 0 of visit 4242"

    async def go() -> tuple[Client, Client, Client]:
        a, b, c = Client(app_url), Client(app_url), Client(app_url)
        try:
            await open_app(b)  # open while A uploads
            await open_app(a)
            await a.upload("uploads_widget", name, data)
            await b.rerun(layer_rivers=not b.page.defaults["layer_rivers"])
            await open_app(c)  # opened after A's upload
        finally:
            for client in (a, b, c):
                await client.close()
        return a, b, c

    a, b, c = run(go)
    assert a.session_id not in (b.session_id, c.session_id)
    assert any("room-4242" in label.replace("\\", "") for label in a.page.labels)
    assert point in a.page.map_args  # the map carries the user's own points inline
    for other in (b, c):
        assert not any("room-4242" in label.replace("\\", "") for label in other.page.labels)
        assert point not in other.page.map_args
        assert not any("room-4242" in text for text in other.page.texts)
