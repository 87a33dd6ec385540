"""The team room's roles: each role has every right of the ones below it, no more."""

import pytest

from fashionai.team import LOCAL_PERSON, RIGHTS, ROLE_ORDER, Action, Person, Role, can, can_steer, refusal, who_words


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


@pytest.mark.parametrize(("person", "started_by", "may"), [
    (Person("ana@example.com", roles=frozenset({Role.MERCHANDISER})), "ana@example.com", True),
    (Person("ana@example.com", roles=frozenset({Role.MERCHANDISER})), "ANA@example.com ", True),
    (Person("ana@example.com", roles=frozenset({Role.MERCHANDISER})), "bo@example.com", False),
    (Person("ana@example.com", roles=frozenset({Role.MERCHANDISER})), None, False),  # a run from before: admins'
    (Person("ana@example.com", roles=frozenset({Role.ADMIN})), "bo@example.com", True),
    (Person("ana@example.com", roles=frozenset({Role.ADMIN})), None, True),
    (LOCAL_PERSON, "local", True),
])
def test_a_run_is_steered_by_who_started_it_or_an_admin(person, started_by, may):
    assert can_steer(person, started_by) is may


def test_the_refusal_to_steer_someone_elses_run_says_who_may():
    words = refusal(Person("ana@example.com", roles=frozenset({Role.MERCHANDISER})), Action.STEER_OTHERS_RUN)
    assert "ana@example.com is signed in as merchandiser" in words and "someone else started" in words
    assert "admin" in words


@pytest.mark.parametrize(("email", "words"), [
    ("ana@example.com", "ana@example.com"), ("local", "local user"), (None, "unknown"), ("  ", "unknown")])
def test_who_made_a_row_in_words(email, words):
    assert who_words(email) == words
