"""Activity (admins only): who did what and when (signed in, live calls, audits, catalogs, snapshots, retention,
roles, refused actions), filtered by person, action and day, and downloaded as CSV."""

import streamlit as st

from fashionai import ui
from fashionai.team import Action
from fashionai.ui.team_widgets import activity_section

PAGE = "Activity"

st.title("Activity")
if not ui.require(Action.READ_ACTIVITY, page=PAGE):  # an admin's page, also when opened by its address
    st.stop()
st.caption("The team's activity log, kept in the history's database; nothing in it can be changed or deleted "
           "from the studio. It never holds the app token, a shopper's e-mail or a catalog's contents.")
activity_section(PAGE)
