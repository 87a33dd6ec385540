"""Team (admins only): the people who use the studio, their roles, and where each role comes from; an admin
gives a person a role when the sign-in provider sends none, and chooses what the history keeps (each change written in
the activity log)."""

import streamlit as st

from fashionai import ui
from fashionai.team import Action
from fashionai.ui.team_widgets import retention_section, team_section

PAGE = "Team"

st.title("Team")
if not ui.require(Action.CHANGE_ROLES, page=PAGE):  # an admin's page, also when opened by its address
    st.stop()
st.caption("Roles: viewer, merchandiser, admin. A role sent by the sign-in provider (the claim named by "
           "FASHIONAI_ROLE_CLAIM, or a value of it FASHIONAI_ROLE_MAP maps) comes first; the table below applies when "
           "it sends none; the e-mails of "
           "FASHIONAI_ADMINS are always admins. Everyone else is a viewer. People appear here once they have "
           "signed in, or once given a role.")
team_section(PAGE)
retention_section(PAGE)
