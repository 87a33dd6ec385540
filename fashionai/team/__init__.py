"""The team room: who is using the studio and what each person may do (issue 23).

    Role, ROLE_ORDER     viewer < merchandiser < admin
    Action, RIGHTS       every action that is checked on the server, and the least role that may do it
    Person, LOCAL_PERSON who is signed in (e-mail, name, roles); the one local user of a studio without sign-in
    can, refusal         whether a person may do an action; the plain words when not
    who_words            who made a row, as a list shows it (the e-mail; "local user" without sign-in)
    can_steer            whether a person may cancel or resume an audit run: the one who started it, or an admin
    signin.py            a Person from the identity provider's claims (roles: the FASHIONAI_ROLE_CLAIM claim, else
                         the role table, else viewer); the safe default for a studio open beyond loopback

Its stores, in the history's database (import them from their modules):
    activity.py          ActivityLog, ActivityAction, ActivityEntry: who did what, append-only
    roles.py             RoleTable: each e-mail's role when the provider sends none; FASHIONAI_ADMINS, admins always

Streamlit's sign-in (st.login / st.user) says who a person is; the roles are ours. This room imports no
Streamlit: fashionai/ui reads st.user and makes a Person of it.
"""

from fashionai.team.people import (
    LOCAL_PERSON,
    RIGHTS,
    ROLE_ORDER,
    Action,
    Person,
    Role,
    can,
    can_steer,
    refusal,
    who_words,
)

__all__ = ["LOCAL_PERSON", "RIGHTS", "ROLE_ORDER", "Action", "Person", "Role", "can", "can_steer", "refusal",
           "who_words"]
