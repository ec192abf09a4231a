"""Baltic Flank Atlas — the Streamlit page: its configuration and layout, nothing else.

The panels live in :mod:`ui` (sidebar, map, tools), the session and its link in
:mod:`ui.session`, computation in :mod:`geo` and :mod:`layers`. Run it with ``make run``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Baltic Flank Atlas", layout="wide")

from layers.attribution import ATTRIBUTION  # noqa: E402
from layers.escape import escape_markdown  # noqa: E402
from layers.scenes import caption, scene  # noqa: E402
from ui.map_panel import draw_map, heading  # noqa: E402
from ui.session import Keys, current, write_link  # noqa: E402
from ui.sidebar import controls_follow, presentation_bar, read_controls, sidebar  # noqa: E402
from ui.tools import tools_panel  # noqa: E402
from webmap.assets import missing_assets  # noqa: E402


def main() -> None:
    """The page: the controls' values taken first, then the map, the sidebar, the tools.

    The map is drawn before the sidebar (which lands in its own column whatever the
    order): the browser handles Streamlit's elements one at a time, and a click on a
    control shows its map before the sidebar's forty-odd elements are redrawn. A new
    session's first run sends the map alone (``Session.controls``): the browser loads
    each kind of widget's code on first sight, and the map waited behind them for about
    half a second (``make bench``, row B1). The session's state goes into the URL once
    the sidebar is sent, and again last if the tools changed it: a request from a page
    that shows the URL carries the values the app set on the controls (``PageSync``).
    """
    session = current()
    read_controls()
    for problem in session.url_problems:
        st.warning(escape_markdown(f"Link: {problem}"))
    missing = missing_assets()  # reads the served copies of our scripts: once a rerun
    if missing:
        st.error(
            f"Map assets are not installed ({', '.join(missing)}): start the app with `make run`."
        )
    controls = session.controls or bool(missing)  # no map to report: no reason to wait
    session.controls = True  # the map's first report reruns the page: that run brings them
    presenting = controls and bool(st.session_state.get(Keys.PRESENTATION))
    if presenting:
        presentation_bar()
    shown = scene(session.state.scene)
    heading(shown.title, caption(shown, session.state.units), presenting=presenting)
    reconnected = draw_map(followed=controls)  # a page that outlived a server restart
    if controls or reconnected:  # its controls, now: they hold the page's values
        sidebar()
        write_link()
    else:
        controls_follow()
    st.caption(ATTRIBUTION)
    if controls or reconnected:
        tools_panel()
    write_link()
    if reconnected:  # the controls' values, read at the start of the next run
        st.rerun()


try:
    main()
finally:  # a run cut short (by the next request, or st.rerun) carries what it set
    current().sync.run_ended()
