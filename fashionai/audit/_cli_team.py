"""Who `python -m fashionai audit` runs as, and what it writes in the team's activity log (issue 23, item 6).

    user = shell_user(args.as_user, os.environ)     # --as, else FASHIONAI_USER, else "local"
    logbook = ShellLog(user, history_url)           # the team's activity log, in the history's database
    logbook.record(ActivityAction.AUDIT_STARTED, run)

A run started from a shell records that person as its starter (`started_by`), as a run started on the
Audits page records the person signed in; without `--as` or FASHIONAI_USER it is the local user ("local"),
as on a studio without sign-in. The shell is trusted as the studio's own host is (it holds the database's
address and the token), so it is not asked for a role: what it does is logged under the name it gives.
An activity log that cannot be written is said on stderr; the audit goes on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from fashionai.api.redaction import EMAIL
from fashionai.audit.model import AuditRun, RunStatus
from fashionai.config import SHELL_USER, ConfigError, read_setting
from fashionai.database import DatabaseUnavailable
from fashionai.team import LOCAL_PERSON
from fashionai.team.activity import ActivityAction, ActivityLog
from fashionai.text.formatting import visible

PAGE = "Command line"
"""The activity log's page for what a shell did."""
ENDINGS = {RunStatus.DONE: ActivityAction.AUDIT_FINISHED, RunStatus.CANCELLED: ActivityAction.AUDIT_CANCELLED,
           RunStatus.FAILED: ActivityAction.AUDIT_FINISHED}
"""The row a run's end writes (a run stopped by an error is logged as finished, its detail saying so)."""


def person_email(text: str) -> str:
    """--as: an e-mail address (lower case), or "local" for the local user; else argparse's error (exit 2)."""
    email = str(text).strip().lower()
    if email == LOCAL_PERSON.email or EMAIL.fullmatch(email):
        return email
    raise argparse.ArgumentTypeError(f"give the e-mail of the person the audit runs as (ana@example.com), or "
                                     f"{LOCAL_PERSON.email}, not “{visible(text)[:80]}”")


def shell_user(given: str | None, environ: Mapping[str, str]) -> str:
    """Who a shell's audit runs as: `--as`, else FASHIONAI_USER, else the local user. ConfigError for a
    FASHIONAI_USER that is no e-mail address."""
    if given:
        return given
    text, source = read_setting(SHELL_USER, environ)
    if text is None:
        return LOCAL_PERSON.email
    try:
        return person_email(text)
    except argparse.ArgumentTypeError as err:
        raise ConfigError(f"{source}: {err}.") from err


class ShellLog:
    """The team's activity log as a shell writes it: every row under `who`, page "Command line"."""

    def __init__(self, who: str, history_url: str) -> None:
        self.who, self._url = who, history_url
        self._log: ActivityLog | None = None

    def record(self, action: ActivityAction, run: AuditRun) -> bool:
        """One row about `run`; False (said on stderr) when the log cannot be written: the audit goes on."""
        detail = (f"{run.plan_name} · run {run.short_id} · {run.done_calls:,} of {run.total_calls:,} calls"
                  + (" · stopped by an error" if run.status == RunStatus.FAILED else ""))
        try:
            if self._log is None:
                self._log = ActivityLog(self._url)
            self._log.record(who=self.who, action=action, page=PAGE, detail=detail)
        except (DatabaseUnavailable, ValueError) as err:
            print(f"warning: the team's activity log cannot be written, so this is not in it: {err}", file=sys.stderr)
            return False
        return True

    def ended(self, run: AuditRun) -> bool:
        """The row of a run's end: finished, cancelled, or stopped by an error."""
        action = ENDINGS.get(RunStatus(run.status)) if run.status in set(RunStatus) else None
        return self.record(action, run) if action is not None else False
