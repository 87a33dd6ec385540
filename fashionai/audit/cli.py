"""``python -m fashionai audit …``: audits from a shell, a cron line or a CI job.

    audit plan --example [--catalog PATH]      the example plan (JSON) for the server's catalog
    audit run PLAN.json [--catalog PATH] [--yes]
    audit resume RUN [--catalog PATH] [--yes]
    audit runs [--plan NAME] [--limit N]
    audit report RUN [--json] [--catalog PATH]
    audit check RUN --against RUN [--max-drop MEASURE=X ...] [--max-rise MEASURE=X ...] [--compare-anyway]

The same settings as the app: FASHIONAI_APP_TOKEN means the live API (which needs --yes
after the estimate is printed), otherwise the in-process simulator over the catalog
(FASHIONAI_CATALOG, else the bundled sample); the store is the history's
(FASHIONAI_HISTORY_URL). `run` and `resume` print their progress on stderr and the run's
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
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from fashionai.audit._cli_types import MAX_RUNS_LISTED, plan_name, run_count
from fashionai.audit.comparison import check_report, parse_thresholds, run_differences, threshold_checks
from fashionai.audit.model import RUN_STATUS_LABELS, Answer, RunStatus
from fashionai.audit.plan import PlanError, example_plan, plan_estimate, plan_from_json
from fashionai.audit.runner import AuditRunner, Progress, resume_run, start_run
from fashionai.audit.scorecard import Scorecard, score_run, scorecard_text
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
from fashionai.text.formatting import duration_words, visible

EXIT_DONE, EXIT_FAILED, EXIT_REFUSED, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
PROGRESS_EVERY = 1.0
"""Seconds between two progress lines."""


class Refused(Exception):
    """What stops a command before it starts, in plain words (exit 2)."""


class Terminated(BaseException):
    """SIGTERM arrived while a run was driven: treated as Ctrl+C (the run is cancelled, resumable), exit 143."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated


def add_audit_commands(commands: Any) -> None:
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


def add_plan(actions: Any) -> None:
    plan = actions.add_parser("plan", help="write a plan (JSON) on stdout",
                              description="Write the example plan for the catalog: every category, five personas.")
    plan.add_argument("--example", action="store_true", help="the example plan (every category, five personas)")
    _catalog_option(plan)
    plan.set_defaults(run=_guard(_plan))


def add_run(actions: Any) -> None:
    run = actions.add_parser("run", help="run a plan; prints the run's id on the last line",
                             description="Run the plan in PLAN.json against the studio's backend, stored as it goes.")
    run.add_argument("plan_file", metavar="PLAN.json")
    _catalog_option(run)
    run.add_argument("--yes", action="store_true", help="confirm a run against the live Fashion.AI API")
    run.set_defaults(run=_guard(_run))


def add_resume(actions: Any) -> None:
    resume = actions.add_parser("resume", help="make the calls a cancelled or failed run has not made",
                                description="Resume a run (its id, or the start of it) where it stopped.")
    resume.add_argument("run_id", metavar="RUN")
    _catalog_option(resume)
    resume.add_argument("--yes", action="store_true", help="confirm a run against the live Fashion.AI API")
    resume.set_defaults(run=_guard(_resume))


def add_runs(actions: Any) -> None:
    runs = actions.add_parser("runs", help="list the stored runs, newest first")
    runs.add_argument("--plan", metavar="NAME", type=plan_name, help="only the runs of this plan")
    runs.add_argument("--limit", type=run_count, default=50,
                      help=f"how many, from 1 to {MAX_RUNS_LISTED:,} (default: %(default)s)")
    runs.set_defaults(run=_guard(_runs))


def add_report(actions: Any) -> None:
    report = actions.add_parser("report", help="print a run's scorecard",
                                description="Print a run's scorecard: each measure overall, then per category.")
    report.add_argument("run_id", metavar="RUN")
    report.add_argument("--json", action="store_true", help="the scorecard as JSON")
    _catalog_option(report)
    report.set_defaults(run=_guard(_report))


def add_check(actions: Any) -> None:
    check = actions.add_parser(
        "check", help="compare a run with an earlier one; exit 1 when a threshold is crossed",
        description="Compare RUN's overall scorecard with the --against run's. Exit 0 when no threshold is crossed, "
                    "1 when one is (for cron, a systemd timer or CI), 2 when the check cannot be made (also when no "
                    "threshold could be checked: a measure a run could not measure neither passes nor fails).")
    check.add_argument("run_id", metavar="RUN")
    check.add_argument("--against", required=True, metavar="RUN", help="the earlier run to compare with")
    check.add_argument("--max-drop", action="append", default=[], metavar="MEASURE=X",
                       help="largest drop allowed, e.g. personalization=0.05 (repeatable)")
    check.add_argument("--max-rise", action="append", default=[], metavar="MEASURE=X",
                       help="largest rise allowed, e.g. out_of_stock=0.02 (repeatable)")
    check.add_argument("--compare-anyway", action="store_true",
                       help="compare runs of different plans, catalogs or backends (refused otherwise, exit 2)")
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


def _store(secrets: dict[str, Any]) -> AuditStore:
    from fashionai.history import HistoryStore

    config = resolve_history_config(os.environ, secrets)
    return AuditStore(HistoryStore(config.url, max_age_days=config.max_age_days, max_count=config.max_count))


def _client(settings: Settings, catalog: Catalog) -> Any:
    from fashionai.api.client import FashionAIClient

    if settings.is_live:
        return FashionAIClient(settings.token or "", base_url=settings.base_url, timeout=settings.timeout)
    from fashionai.simulator import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, Simulator, SimulatorTransport

    return FashionAIClient(IN_PROCESS_TOKEN, base_url=IN_PROCESS_BASE_URL, timeout=settings.timeout,
                           transport=SimulatorTransport(Simulator(catalog.products)))


def _scorer(catalog: Catalog, k: int) -> Callable[[Iterable[Answer], bool], str | None]:
    """The scorecard of a run when it stops (partial when it did not finish)."""
    return lambda answers, partial: score_run(answers, catalog, k=k, partial=partial).to_json()


# --------------------------------------------------------------------------- the subcommands


def _plan(args: argparse.Namespace) -> int:
    if not args.example:
        raise Refused("say which plan: --example writes the example plan for the catalog")
    settings, _ = _environment(args)
    catalog, _ = _catalog(args, settings)
    from fashionai.audit.plan import plan_to_json

    print(plan_to_json(example_plan(catalog)))
    return EXIT_DONE


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
    limit = resolve_audit_config(os.environ, secrets).max_calls
    if limit is not None and estimate.calls > limit:
        raise Refused(f"this plan makes {estimate.calls:,} calls, more than the {limit:,} an audit may make here. "
                      "Ask for fewer shoppers, categories or product pages, or raise FASHIONAI_AUDIT_MAX_CALLS.")
    if settings.is_live and not args.yes:
        raise Refused("this would send tracking events to the live Fashion.AI API. Run it again with --yes "
                      "to confirm.")
    store = _store(secrets)
    runner = start_run(store, _client(settings, catalog), plan, catalog, backend=settings.backend,
                       catalog_name=catalog_name, max_calls=limit, confirmed_live=args.yes,
                       score=_scorer(catalog, plan.k), on_progress=_printer())
    return _drive(runner)


def _resume(args: argparse.Namespace) -> int:
    settings, secrets = _environment(args)
    if settings.is_live and not args.yes:
        raise Refused("resuming sends tracking events to the live Fashion.AI API. Run it again with --yes "
                      "to confirm.")
    catalog, _ = _catalog(args, settings)
    store = _store(secrets)
    stored = store.run(args.run_id)
    k = plan_from_json(stored.plan_json).k if stored is not None else 10
    runner = resume_run(store, _client(settings, catalog), args.run_id, catalog, backend=settings.backend,
                        score=_scorer(catalog, k), on_progress=_printer())
    print(f"Resuming {runner.record.short_id}: {runner.record.done_calls:,} of {runner.record.total_calls:,} "
          "calls made.", file=sys.stderr)
    return _drive(runner)


def _runs(args: argparse.Namespace) -> int:
    _, secrets = _environment(args)
    runs = _store(secrets).runs(plan_name=args.plan, limit=args.limit)
    if not runs:
        print("No audit runs stored yet.", file=sys.stderr)
    for run in runs:
        print(f"{run.id}  {run.started_at:%Y-%m-%d %H:%M} UTC  {run.status_label:<36}"
              f"  {run.done_calls:>7,}/{run.total_calls:<7,}  {backend_label(run.backend):<19}  {visible(run.plan_name)}")
    return EXIT_DONE


def _scorecard(args: argparse.Namespace, store: AuditStore, run_id: str) -> tuple[Any, Scorecard]:
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
    settings, _ = _environment(args)
    catalog, _ = _catalog(args, settings)
    if catalog.fingerprint != run.catalog_fingerprint:
        raise Refused(f"run {run.short_id} has no scorecard yet, and it is made with the run's catalog "
                      f"({visible(run.catalog_name)}): pass it with --catalog.")
    k = plan_from_json(run.plan_json).k
    return run, score_run(store.answers(run.id), catalog, k=k, partial=run.status != RunStatus.DONE)


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
    if differences:
        print(f"Compared anyway, although {'; '.join(differences)}.")
    print(f"Run {after_run.short_id} ({after_run.started_at:%Y-%m-%d %H:%M} UTC) against run "
          f"{before_run.short_id} ({before_run.started_at:%Y-%m-%d %H:%M} UTC), "
          f"plan “{visible(after_run.plan_name)}”:")
    print(check_report(before, after, max_drop=max_drop, max_rise=max_rise))
    checks = threshold_checks(before, after, max_drop=max_drop, max_rise=max_rise)
    if any(check.crossed for check in checks):
        return EXIT_FAILED
    return EXIT_DONE if any(check.measured for check in checks) else EXIT_REFUSED  # nothing could be checked


# --------------------------------------------------------------------------- running in the terminal


def _drive(runner: AuditRunner) -> int:
    """Run in a worker thread so that Ctrl+C or SIGTERM cancels it (what was made stays stored); the run's id last."""
    result: dict[str, Any] = {}
    finished = threading.Event()  # waited on, not the thread: a join cut by Ctrl+C can lose track of it

    def work() -> None:
        try:
            result["run"] = runner.run()
        finally:
            finished.set()

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    threading.Thread(target=work, name="fashionai-audit", daemon=True).start()
    interrupted = terminated = False
    try:
        while not finished.is_set():
            try:
                finished.wait(0.2)
            except (KeyboardInterrupt, Terminated) as stop:
                if not interrupted:
                    why = "SIGTERM" if isinstance(stop, Terminated) else "Ctrl+C"
                    print(f"\n{why}: stopping after the calls in flight (what was made is kept)…", file=sys.stderr)
                interrupted, terminated = True, terminated or isinstance(stop, Terminated)
                runner.cancel()
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    run = result.get("run", runner.record)
    print(file=sys.stderr)
    print(f"{RUN_STATUS_LABELS.get(run.status, run.status)}: {run.done_calls:,} of {run.total_calls:,} calls."
          + (f" {run.message}" if run.message else ""), file=sys.stderr)
    if run.status in (RunStatus.CANCELLED, RunStatus.FAILED):
        print(f"Resume it with: python -m fashionai audit resume {run.short_id}", file=sys.stderr)
    print(run.id, flush=True)
    if run.status == RunStatus.DONE:
        return EXIT_DONE
    if terminated:
        print("Stopped by SIGTERM: the run is cancelled and can be resumed (exit 143).", file=sys.stderr)
        return EXIT_TERMINATED
    return EXIT_INTERRUPTED if interrupted or run.status == RunStatus.CANCELLED else EXIT_FAILED


def _printer(stream: Any = None, every: float = PROGRESS_EVERY) -> Callable[[Progress], None]:
    """Progress lines on stderr, at most one every `every` seconds (one line rewritten on a terminal)."""
    stream = stream or sys.stderr
    last: list[Any] = [0.0, ""]
    lock = threading.Lock()
    tty = bool(getattr(stream, "isatty", lambda: False)())

    def show(progress: Progress) -> None:
        now, words = time.monotonic(), progress_words(progress)
        with lock:
            if words == last[1] or (now - last[0] < every and progress.done < progress.total):
                return
            last[0], last[1] = now, words
        stream.write(("\r" if tty else "") + words + ("" if tty else "\n"))
        stream.flush()

    return show


def progress_words(progress: Progress) -> str:
    """One line: calls done of all, the rate, the time left, errors, a 429 pause."""
    words = f"{progress.done:,}/{progress.total:,} calls ({progress.share:.0%})"
    if progress.calls_per_second:
        words += f" · {progress.calls_per_second:.1f}/s"
    if progress.eta_seconds is not None and progress.done < progress.total:
        words += f" · about {duration_words(progress.eta_seconds)} left"
    if progress.errors:
        words += f" · {progress.errors:,} failed"
    if progress.paused_seconds > 0:
        words += f" · paused by Fashion.AI (429) for {progress.paused_seconds:.0f} s"
    return words
