"""The floor of the browser bench (B0): a Streamlit page that only writes one line."""

import streamlit as st

st.write("ready")
