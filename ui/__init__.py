"""The Streamlit room: the session, its link and the panels.

One typed session per browser session (:mod:`ui.session`), its round trip through the
URL (:mod:`ui.link`), the sidebar, map, tool and upload panels (:mod:`ui.sidebar`,
:mod:`ui.map_panel`, :mod:`ui.tools`, :mod:`ui.uploads`), the tables the tools show
(:mod:`ui.reports`) and the server's warm-up (:mod:`ui.warmup`). Of the code, only this
room, ``app.py`` and ``cli.py serve`` (which starts Streamlit) import streamlit.
"""
