"""The Streamlit room: panels, the session and its URL.

The typed session (:mod:`ui.session`), the URL round trip (:mod:`ui.state`), the
sidebar, map and tool panels, the tables the panels show (:mod:`ui.reports`) and the
server's warm-up (:mod:`ui.warmup`). Only this room and ``app.py`` import streamlit.
"""
