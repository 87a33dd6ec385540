"""The team room's roles: each role has every right of the ones below it, no more."""

import pytest

from fashionai.team import LOCAL_PERSON, RIGHTS, ROLE_ORDER, Action, Person, Role, can, refusal


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLE_ORDER)
def test_a_role_may_do_what_its_rank_reaches(role, action):
    person = Person("someone@example.com", roles=frozenset({role}))
    assert can(person, action) == (ROLE_ORDER.index(role) >= ROLE_ORDER.index(RIGHTS[action]))
    assert (refusal(person, action) == "") == can(person, action)


def test_a_person_with_no_role_is_a_viewer():
    person = Person("nobody@example.com", roles=frozenset())
    assert person.role is Role.VIEWER
    assert not can(person, Action.LIVE_CALL)
    assert "viewer" in refusal(person, Action.LIVE_CALL) and "merchandiser" in refusal(person, Action.LIVE_CALL)


def test_the_highest_role_counts_and_the_local_user_may_do_everything():
    assert Person("a@example.com", roles=frozenset({Role.VIEWER, Role.ADMIN})).role is Role.ADMIN
    assert all(can(LOCAL_PERSON, action) for action in Action)


def test_every_action_has_a_least_role():
    assert set(RIGHTS) == set(Action)
