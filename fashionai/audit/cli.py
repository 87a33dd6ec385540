"""``python -m fashionai audit …``: audits from a shell, a cron line or a CI job.

    audit plan --example [--catalog PATH]      the example plan (JSON) for the server's catalog
    audit plan --queries FILE [--judgments FILE]   the example plan, each shopper searching each query
    audit run PLAN.json [--catalog PATH] [--yes] [--as EMAIL]
    audit resume RUN [--catalog PATH] [--yes] [--as EMAIL]
    audit runs [--plan NAME] [--limit N]
    audit report RUN [--json] [--catalog PATH]
    audit check RUN --against RUN [--max-drop MEASURE=X ...] [--max-rise MEASURE=X ...] [--compare-anyway]
                [--no-noise] [--json]

The same settings as the app: FASHIONAI_APP_TOKEN means the live API (which needs --yes
after the estimate is printed), otherwise the in-process simulator over the catalog
(FASHIONAI_CATALOG, else the bundled sample); the store is the history's
(FASHIONAI_HISTORY_URL). `run` and `resume` run as the person `--as` or FASHIONAI_USER names (else the
local user), the run's starter, and write its start and end in the team's activity log. They print their progress on stderr and the run's
id alone on the last line of stdout; they exit 0 when the run is done, 1 when an error
stopped it (a refused token, a 429 storm that did not end), 130 on Ctrl+C and 143 on
SIGTERM (systemctl stop, timeout, docker stop: what was done is stored, the run is
cancelled and resumable), 2 when it could not start (a bad plan file, a setting, a refused
plan, a run another process is running).

One function per subcommand (`add_*` builds its parser, `_*` runs it), so more can be added.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fashionai.audit._cli_drive import (
    EXIT_DONE,
    EXIT_FAILED,
    EXIT_REFUSED,
    drive,
    printer,
)
from fashionai.audit._cli_team import ShellLog, person_email, shell_user
from fashionai.audit._cli_types import MAX_RUNS_LISTED, plan_name, run_count
from fashionai.audit.comparison import (
    check_report,
    parse_thresholds,
    query_change_lines,
    run_differences,
    threshold_checks,
)
from fashionai.audit.model import RUN_STATUS_LABELS, Answer, AuditRun, RunStatus
from fashionai.audit.noise import change_intervals, check_json, intervals_of, method_words
from fashionai.audit.estimate import plan_estimate
from fashionai.audit.plan import AuditPlan, PlanError, example_plan, plan_from_json
from fashionai.audit.runner import resume_run, start_run
from fashionai.audit.scorecard import Scorecard, score_run, scorecard_text
from fashionai.audit.search_plan import with_searches
from fashionai.audit.store import AuditStore
from fashionai.catalog import Catalog, CatalogError, load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.config import (
    SECRETS_PATH,  # noqa: F401  (still importable from here, as before)
    ConfigError,
    HistoryError,
    Settings,
    read_secrets,
    resolve_audit_config,
    resolve_history_config,
    resolve_settings,
)
from fashionai.domain import backend_label
from fashionai.filters import FilterSettings
from fashionai.relevance.judgments import JudgmentsError, read_judgments
from fashionai.relevance.queries import QuerySetError, read_queries
from fashionai.team import who_words
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import visible

if TYPE_CHECKING:
    import pandas as pd

    from fashionai.api.client import FashionAIClient

R = TypeVar("R")
Subcommands = argparse._SubParsersAction  # what add_subparsers returns (typeshed's name: argparse has no public one)


class Refused(Exception):
    """What stops a command before it starts, in plain words (exit 2)."""


def add_audit_commands(commands: Subcommands) -> None:
    """The ``audit`` command and its subcommands, added to the main parser's subparsers."""
    audit = commands.add_parser("audit", help="plan and run audits of Fashion.AI across many shoppers",
                                description="Audits: personalization measured across many shoppers.")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    add_plan(actions)
    add_run(actions)
    add_resume(actions)
    add_runs(actions)
    add_report(actions)
    add_check(actions)


def _catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="PATH", help="catalog CSV (default: FASHIONAI_CATALOG or the bundled sample)")


def add_plan(actions: Subcommands) -> None:
    plan = actions.add_parser("plan", help="write a plan (JSON) on stdout",
                              description="Write the example plan for the catalog: every category, five personas.")
    plan.add_argument("--example", action="store_true", help="the example plan (every category, five personas)")
    plan.add_argument("--queries", metavar="FILE", help="a query set (CSV, one query a line): each shopper searches "
                                                        "each query (page 1, K results)")
    plan.add_argument("--judgments", metavar="FILE", help="judgments (CSV: query, product_id, grade 0-3) that grade "
                                                          "the searches (nDCG, precision, recall, MRR)")
    _catalog_option(plan)
    plan.set_defaults(run=_guard(_plan))


def _as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="EMAIL", type=person_email,
                        help="who runs it, for the run's list and the team's activity log (default: FASHIONAI_USER, "
                             "else the local user)")


def add_run(actions: Subcommands) -> None:
    run = actions.add_parser("run", help="run a plan; prints the run's id on the last line",
                             description="Run the plan in PLAN.json against the studio's backend, stored as it goes.")
    run.add_argument("plan_file", metavar="PLAN.json")
    _catalog_option(run)
    _as_option(run)
    run.add_argument("--yes", action="store_true", help="confirm a run against the live Fashion.AI API")
    run.set_defaults(run=_guard(_run))


def add_resume(actions: Subcommands) -> None:
    resume = actions.add_parser("resume", help="make the calls a cancelled or failed run has not made",
                                description="Resume a run (its id, or the start of it) where it stopped.")
    resume.add_argument("run_id", metavar="RUN")
    _catalog_option(resume)
    _as_option(resume)
    resume.add_argument("--yes", action="store_true", help="confirm a run against the live Fashion.AI API")
    resume.set_defaults(run=_guard(_resume))


def add_runs(actions: Subcommands) -> None:
    runs = actions.add_parser("runs", help="list the stored runs, newest first")
    runs.add_argument("--plan", metavar="NAME", type=plan_name, help="only the runs of this plan")
    runs.add_argument("--limit", type=run_count, default=50,
                      help=f"how many, from 1 to {MAX_RUNS_LISTED:,} (default: %(default)s)")
    runs.set_defaults(run=_guard(_runs))


def add_report(actions: Subcommands) -> None:
    report = actions.add_parser("report", help="print a run's scorecard",
                                description="Print a run's scorecard: each measure overall, then per category.")
    report.add_argument("run_id", metavar="RUN")
    report.add_argument("--json", action="store_true", help="the scorecard as JSON")
    _catalog_option(report)
    report.set_defaults(run=_guard(_report))


def add_check(actions: Subcommands) -> None:
    check = actions.add_parser(
        "check", help="compare a run with an earlier one; exit 1 when a threshold is crossed",
        description="Compare RUN's overall scorecard with the --against run's. Exit 0 when no threshold is crossed, "
                    "1 when one is (for cron, a systemd timer or CI), 2 when the check cannot be made (also when no "
                    "threshold could be checked: a measure a run could not measure neither passes nor fails). A "
                    "limit is crossed only when the whole 95% interval of the change (a paired bootstrap over "
                    "shoppers) is past it; past the limit within that interval is WITHIN NOISE, not a breach.")
    check.add_argument("run_id", metavar="RUN")
    check.add_argument("--against", required=True, metavar="RUN", help="the earlier run to compare with")
    check.add_argument("--max-drop", action="append", default=[], metavar="MEASURE=X",
                       help="largest drop allowed, e.g. personalization=0.05 (repeatable)")
    check.add_argument("--max-rise", action="append", default=[], metavar="MEASURE=X",
                       help="largest rise allowed, e.g. out_of_stock=0.02 (repeatable)")
    check.add_argument("--compare-anyway", action="store_true",
                       help="compare runs of different plans, catalogs or backends (refused otherwise, exit 2)")
    check.add_argument("--no-noise", action="store_true",
                       help="cross a limit on the change alone, without its 95%% interval (the interval needs the "
                            "runs' catalog: --catalog)")
    check.add_argument("--json", action="store_true",
                       help="print each measure's before, after, low, high and verdict, and each threshold, as JSON")
    _catalog_option(check)
    check.set_defaults(run=_guard(_check))


# --------------------------------------------------------------------------- the environment


def _guard(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A subcommand whose plain failures are a message on stderr and an exit code, never a traceback."""
    def guarded(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (Refused, PlanError, ConfigError, CatalogError) as err:
            print(f"error: {err}", file=sys.stderr)
            return EXIT_REFUSED
        except HistoryError as err:
            print(f"error: {err}", file=sys.stderr)
            return EXIT_FAILED
    return guarded


def _catalog(args: argparse.Namespace, settings: Settings) -> tuple[Catalog, str]:
    path = Path(args.catalog).expanduser() if args.catalog else settings.catalog_path or SAMPLE_CATALOG_PATH
    name = path.name if (args.catalog or settings.catalog_path) else "bundled sample catalog"
    try:
        return load_catalog(path), name
    except OSError as err:
        raise Refused(f"the catalog {path} cannot be read ({err.strerror or err}).") from err


def _environment(args: argparse.Namespace) -> tuple[Settings, dict[str, Any]]:
    secrets = read_secrets()
    return resolve_settings(os.environ, secrets), secrets


def _shell_log(user: str, secrets: dict[str, Any]) -> ShellLog:
    return ShellLog(user, resolve_history_config(os.environ, secrets).url)


def _store(secrets: dict[str, Any]) -> AuditStore:
    from fashionai.history import HistoryStore

    config = resolve_history_config(os.environ, secrets)
    return AuditStore(HistoryStore(config.url, max_age_days=config.max_age_days, max_count=config.max_count))


def _client(settings: Settings, catalog: Catalog) -> FashionAIClient:
    from fashionai.api.client import FashionAIClient

    if settings.is_live:
        return FashionAIClient(settings.token or "", base_url=settings.base_url, timeout=settings.timeout)
    from fashionai.simulator import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, Simulator, SimulatorTransport

    return FashionAIClient(IN_PROCESS_TOKEN, base_url=IN_PROCESS_BASE_URL, timeout=settings.timeout,
                           transport=SimulatorTransport(Simulator(catalog.products)))


def _filters(secrets: dict[str, Any]) -> FilterSettings:
    """The team's dashboard filters (recorded on Settings); none, said on stderr, when they cannot be read."""
    from fashionai.filters.store import FilterStore, FiltersUnavailable

    try:
        return FilterStore(resolve_history_config(os.environ, secrets).url).settings()
    except FiltersUnavailable as err:
        print(f"note: {err}", file=sys.stderr)
        return FilterSettings()


def _scorer(catalog: Catalog, plan: AuditPlan,
            filters: FilterSettings | None = None) -> Callable[[Iterable[Answer], bool], str | None]:
    """The scorecard of a run when it stops (partial when it did not finish), its searches graded by the plan's
    judgments, its lists checked against the team's dashboard filters."""
    return lambda answers, partial: score_run(answers, catalog, k=plan.k, partial=partial,
                                              judgments=plan.judgments, filters=filters).to_json()


# --------------------------------------------------------------------------- the subcommands


def _plan(args: argparse.Namespace) -> int:
    if args.judgments and not args.queries:
        raise Refused("--judgments grades the searches of a query set: give the queries with --queries FILE too")
    if not (args.example or args.queries):
        raise Refused("say which plan: --example writes the example plan for the catalog, --queries FILE the same "
                      "plan searching each query of FILE")
    settings, _ = _environment(args)
    catalog, _ = _catalog(args, settings)
    from fashionai.audit.plan import plan_to_json

    plan = example_plan(catalog)
    if args.queries:
        plan = with_searches(plan, _read(args.queries, "queries", read_queries),
                             _read(args.judgments, "judgments", read_judgments) if args.judgments else None)
    print(plan_to_json(plan))
    return EXIT_DONE


def _read(path: str, what: str, reader: Callable[..., R]) -> R:
    """A query set or judgments read from the file at `path`; Refused in plain words when it cannot be."""
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as err:
        raise Refused(f"the {what} file {path} cannot be read ({err.strerror or err}).") from err
    try:
        return reader(data, name=Path(path).name)
    except (QuerySetError, JudgmentsError) as err:
        raise Refused(str(err)) from err


def _run(args: argparse.Namespace) -> int:
    try:
        text = Path(args.plan_file).read_bytes()
    except OSError as err:
        raise Refused(f"the plan file {args.plan_file} cannot be read ({err.strerror or err}).") from err
    plan = plan_from_json(text)
    settings, secrets = _environment(args)
    catalog, catalog_name = _catalog(args, settings)
    estimate = plan_estimate(plan, catalog)  # counted without resolving the plan: the cap is checked first
    print(f"Plan “{visible(plan.name)}” · {settings.backend_label}: {estimate.words()}", file=sys.stderr)
    audit_config = resolve_audit_config(os.environ, secrets)
    limit = audit_config.max_calls
    if limit is not None and estimate.calls > limit:
        raise Refused(f"this plan makes {estimate.calls:,} calls, more than the {limit:,} an audit may make here. "
                      "Ask for fewer shoppers, categories or product pages, or raise FASHIONAI_AUDIT_MAX_CALLS.")
    if settings.is_live and not args.yes:
        raise Refused("this would send tracking events to the live Fashion.AI API. Run it again with --yes "
                      "to confirm.")
    user = shell_user(args.as_user, os.environ)
    store = _store(secrets)
    runner = start_run(store, _client(settings, catalog), plan, catalog, backend=settings.backend,
                       catalog_name=catalog_name, max_calls=limit, confirmed_live=args.yes, started_by=user,
                       shared_rate=audit_config.rate, score=_scorer(catalog, plan, _filters(secrets)), on_progress=printer())
    logbook = _shell_log(user, secrets)
    logbook.record(ActivityAction.AUDIT_STARTED, runner.record)
    return drive(runner, logbook)


def _resume(args: argparse.Namespace) -> int:
    settings, secrets = _environment(args)
    if settings.is_live and not args.yes:
        raise Refused("resuming sends tracking events to the live Fashion.AI API. Run it again with --yes "
                      "to confirm.")
    catalog, _ = _catalog(args, settings)
    user = shell_user(args.as_user, os.environ)
    store = _store(secrets)
    stored = store.run(args.run_id)
    plan = plan_from_json(stored.plan_json) if stored is not None else example_plan(catalog)  # none: refused below
    runner = resume_run(store, _client(settings, catalog), args.run_id, catalog, backend=settings.backend,
                        shared_rate=resolve_audit_config(os.environ, secrets).rate, score=_scorer(catalog, plan, _filters(secrets)),
                        on_progress=printer())
    print(f"Resuming {runner.record.short_id} (started by {runner.record.started_by_words}) as {who_words(user)}: "
          f"{runner.record.done_calls:,} of {runner.record.total_calls:,} calls made.", file=sys.stderr)
    logbook = _shell_log(user, secrets)
    logbook.record(ActivityAction.AUDIT_RESUMED, runner.record)
    return drive(runner, logbook)


def _runs(args: argparse.Namespace) -> int:
    _, secrets = _environment(args)
    runs = _store(secrets).runs(plan_name=args.plan, limit=args.limit)
    if not runs:
        print("No audit runs stored yet.", file=sys.stderr)
    for run in runs:
        print(f"{run.id}  {run.started_at:%Y-%m-%d %H:%M} UTC  {run.status_label:<36}"
              f"  {run.done_calls:>7,}/{run.total_calls:<7,}  {backend_label(run.backend):<19}  "
              f"{visible(run.started_by_words):<24}  {visible(run.plan_name)}")
    return EXIT_DONE


def _scorecard(args: argparse.Namespace, store: AuditStore, run_id: str) -> tuple[AuditRun, Scorecard]:
    """A run's scorecard: the one stored when it stopped, else made from its answers (with the run's catalog)."""
    run = store.run(run_id)
    if run is None:
        raise Refused(f"there is no audit run {run_id[:40]!r} (or several runs start with it); "
                      "`python -m fashionai audit runs` lists them.")
    if run.scorecard_json:
        try:
            return run, Scorecard.from_json(run.scorecard_json)
        except ValueError as err:
            raise Refused(f"the scorecard of run {run.short_id} cannot be read: {err}") from err
    settings, secrets = _environment(args)
    catalog, _ = _catalog(args, settings)
    if catalog.fingerprint != run.catalog_fingerprint:
        raise Refused(f"run {run.short_id} has no scorecard yet, and it is made with the run's catalog "
                      f"({visible(run.catalog_name)}): pass it with --catalog.")
    plan = plan_from_json(run.plan_json)
    return run, score_run(store.answers(run.id), catalog, k=plan.k, partial=run.status != RunStatus.DONE,
                          judgments=plan.judgments, filters=_filters(secrets))


def _report(args: argparse.Namespace) -> int:
    _, secrets = _environment(args)
    run, card = _scorecard(args, _store(secrets), args.run_id)
    if args.json:
        print(card.to_json())
        return EXIT_DONE
    print(f"Audit run {run.id} · {visible(run.plan_name)} · {backend_label(run.backend)} · {visible(run.catalog_name)} · "
          f"started {run.started_at:%Y-%m-%d %H:%M} UTC · {RUN_STATUS_LABELS.get(run.status, run.status)}")
    print(scorecard_text(card))
    return EXIT_DONE


def _check(args: argparse.Namespace) -> int:
    try:
        max_drop, max_rise = parse_thresholds(args.max_drop), parse_thresholds(args.max_rise)
    except ValueError as err:
        raise Refused(str(err)) from err
    if not max_drop and not max_rise:
        raise Refused("give at least one threshold: --max-drop MEASURE=X or --max-rise MEASURE=X")
    _, secrets = _environment(args)
    store = _store(secrets)
    after_run, after = _scorecard(args, store, args.run_id)
    before_run, before = _scorecard(args, store, args.against)
    differences = run_differences(before_run, after_run)
    if differences and not args.compare_anyway:
        raise Refused(f"runs {before_run.short_id} and {after_run.short_id} cannot be compared: "
                      f"{'; '.join(differences)}. Add --compare-anyway to compare them all the same.")
    table = None if args.no_noise else _noise(args, store, before_run, after_run, before.k)
    intervals = intervals_of(table) if table is not None else None
    checks = threshold_checks(before, after, max_drop=max_drop, max_rise=max_rise, intervals=intervals)
    if args.json:
        print(check_json(before, after, checks, table))
    else:
        if differences:
            print(f"Compared anyway, although {'; '.join(differences)}.")
        print(f"Run {after_run.short_id} ({after_run.started_at:%Y-%m-%d %H:%M} UTC) against run "
              f"{before_run.short_id} ({before_run.started_at:%Y-%m-%d %H:%M} UTC), "
              f"plan “{visible(after_run.plan_name)}”:")
        print(check_report(before, after, max_drop=max_drop, max_rise=max_rise, intervals=intervals))
        for line in query_change_lines(before, after):
            print(line)
        print(method_words() if table is not None else "Checked without noise (--no-noise): a change past a limit "
              "crosses it, however small the runs' shoppers make it.")
    if any(check.crossed for check in checks):
        return EXIT_FAILED
    return EXIT_DONE if any(check.measured for check in checks) else EXIT_REFUSED  # nothing could be checked


def _noise(args: argparse.Namespace, store: AuditStore, before: AuditRun, after: AuditRun, k: int) -> pd.DataFrame:
    """Each measure's change with its interval (`audit.noise`), from both runs' answers over their catalog."""
    settings, _ = _environment(args)
    catalog, _ = _catalog(args, settings)
    for run in (before, after):
        if catalog.fingerprint != run.catalog_fingerprint:
            raise Refused(f"the 95% interval of each change is computed from the runs' answers with their catalog "
                          f"({visible(run.catalog_name)} for run {run.short_id}): pass it with --catalog, or add "
                          "--no-noise to check the changes alone.")
    return change_intervals(store.answers(before.id), store.answers(after.id), catalog, k=k,
                            judgments=(_judgments_of(before), _judgments_of(after)))


def _judgments_of(run: Any) -> Any:
    """The judgments of a run's plan (None when it has none, or its plan cannot be read)."""
    try:
        return plan_from_json(run.plan_json).judgments
    except PlanError:
        return None
