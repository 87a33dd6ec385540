"""What the history keeps, as an admin chooses it on the Team page (issue 23): kept in the history's database,
winning over the deployment's settings, read by the history's own pruning on SQLite and PostgreSQL; a value the
team may not choose is refused in words; "back to the deployment's settings" forgets the choice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fashionai.history import Filters, HistoryStore
from fashionai.team.retention import Retention, TeamSettings, retention_words
from tests.history_helpers import NOW, snap

DEPLOYMENT = Retention(90, 100_000)


@pytest.fixture
def settings(store_url):
    opened = TeamSettings(store_url)
    yield opened
    opened.close()


def test_without_a_choice_the_deployments_settings_apply(settings):
    assert settings.retention(DEPLOYMENT) == DEPLOYMENT and not DEPLOYMENT.team_set


def test_an_admins_choice_wins_and_says_who_and_what_changed(settings):
    change = settings.set_retention((30, 500), by="Lead@Store.com", default=DEPLOYMENT)
    assert change.changed and change.before == DEPLOYMENT
    kept = settings.retention(DEPLOYMENT)
    assert (kept.max_age_days, kept.max_count, kept.set_by, kept.team_set) == (30, 500, "lead@store.com", True)
    assert change.words() == ("history kept: 90 days, at most 100,000 snapshots → 30 days, at most 500 snapshots")
    again = settings.set_retention((0, 0), by="lead@store.com", default=DEPLOYMENT)
    assert again.words() == "history kept: 30 days, at most 500 snapshots → forever, no limit of snapshots"
    assert settings.retention(DEPLOYMENT).limits() == (None, None)


def test_back_to_the_deployments_settings(settings):
    settings.set_retention((7, 10), by="lead@store.com", default=DEPLOYMENT)
    change = settings.set_retention(None, by="lead@store.com", default=DEPLOYMENT)
    assert change.changed and change.after == DEPLOYMENT
    assert change.words().endswith("→ 90 days, at most 100,000 snapshots (the deployment's settings)")
    assert settings.retention(DEPLOYMENT) == DEPLOYMENT


@pytest.mark.parametrize(("days", "count", "words"), [
    (-1, 10, "Days kept must be a number from 0"), (float("nan"), 10, "Days kept"), (10**6, 10, "Days kept"),
    ("soon", 10, "Days kept"), (5, -3, "Snapshots kept must be a whole number"), (5, 2.5, "Snapshots kept")])
def test_a_value_the_team_may_not_choose_is_refused_in_words(settings, days, count, words):
    with pytest.raises(ValueError, match=words):
        settings.set_retention((days, count), by="lead@store.com", default=DEPLOYMENT)
    assert settings.retention(DEPLOYMENT) == DEPLOYMENT


def test_the_words():
    assert retention_words(Retention(1, 1)) == "1 day, at most 1 snapshot"
    assert retention_words(Retention(1.5, None)) == "1.5 days, no limit of snapshots"


def test_the_historys_pruning_reads_the_teams_choice(store_url):
    history = HistoryStore(store_url, max_age_days=None, max_count=None)
    recent, week_old, year_old = (snap(recorded_at=NOW - timedelta(days=d)) for d in (0, 8, 365))
    for snapshot in (recent, week_old, year_old):
        history.record(snapshot)
    assert history.apply_retention(now=NOW) == 0  # the deployment keeps everything
    TeamSettings(store_url).set_retention((7, 0), by="lead@store.com", default=DEPLOYMENT)
    assert history.retention().limits() == (7, None)
    assert history.apply_retention(now=NOW) == 2
    assert [s.id for s in history.summaries(Filters())] == [recent.id]
    history.close()


def test_an_import_keeps_to_the_teams_choice(store_url, tmp_path):
    source = HistoryStore((tmp_path / "source.db").as_posix(), max_age_days=None, max_count=None)
    snapshots = [snap(recorded_at=NOW - timedelta(days=d)) for d in (0, 1, 2, 30)]
    for snapshot in snapshots:
        source.record(snapshot)
    history = HistoryStore(store_url, max_age_days=None, max_count=None)
    TeamSettings(store_url).set_retention((10, 2), by="lead@store.com", default=DEPLOYMENT)
    result = history.import_json(source.export_json(), now=NOW)
    assert (result.added, result.too_old, result.over_limit) == (2, 1, 1)
    source.close()
    history.close()
