"""`python -m fashionai explain JOURNEY.json`: what moved each product, from the shell.

    python -m fashionai explain journey.json [--twins 2] [--singles] [--cost] [--yes] [--json]
    python -m fashionai explain --run RUN_ID [--json]        # a stored experiment read again: no call

A command of its own rather than an `audit` subcommand: it takes a journey (the file the
journeys page saves), not a plan, and prints sentences, and the audit room stands below this
one (audit/cli.py cannot import it). Its run is an audit run all the same, under the audits'
settings (call cap, shared rate, history) and the same terminal driving (Ctrl+C cancels it,
resumable with `audit resume`; `audit runs` lists it). The cost is printed before anything is
sent; the live API needs --yes. Exit codes as `audit run`'s: 0 done, 1 failed, 2 refused,
130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from fashionai.audit import cli as audit_cli
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import PlanError
from fashionai.config import resolve_audit_config
from fashionai.explain.experiment import DEFAULT_TWINS, ExplainError, start_experiment
from fashionai.explain.reading import Explanation, read_explanation
from fashionai.explain.sources import from_journey
from fashionai.journeys.journey import journey_from_json
from fashionai.team.activity import ActivityAction

SENTENCES = 10
"""The biggest moves printed as sentences."""


def add_explain_command(commands: Any) -> None:
    """The ``explain`` command, added to the main parser's subparsers."""
    explain = commands.add_parser(
        "explain", help="what moved each product: leave-one-out replays of a journey's events",
        description="Replay a journey's events on fresh synthetic sessions, once with all of them, once without "
                    "each, and again (the twins) to measure noise, then say which event moved which product.")
    explain.add_argument("journey_file", nargs="?", metavar="JOURNEY.json",
                         help="a journey (as the journeys page saves it); its target category is asked last")
    explain.add_argument("--run", dest="run_id", metavar="RUN_ID", help="read a stored experiment again instead (no call)")
    explain.add_argument("--twins", type=int, default=DEFAULT_TWINS, help="identical replays, for the noise "
                                                                          "(default: %(default)s)")
    explain.add_argument("--singles", action="store_true", help="also replay each event alone")
    explain.add_argument("--cost", action="store_true", help="print the cost and stop (no call)")
    explain.add_argument("--json", action="store_true", help="print the moves as JSON")
    audit_cli._catalog_option(explain)
    audit_cli._as_option(explain)
    explain.add_argument("--yes", action="store_true", help="confirm an experiment against the live Fashion.AI API")
    explain.set_defaults(run=audit_cli._guard(_explain))


def _explain(args: argparse.Namespace) -> int:
    if bool(args.journey_file) == bool(args.run_id):
        raise audit_cli.Refused("give a journey file to run, or --run RUN_ID to read a stored experiment, not both")
    settings, secrets = audit_cli._environment(args)
    catalog, catalog_name = audit_cli._catalog(args, settings)
    if args.run_id:
        store = audit_cli._store(secrets)
        run = store.run(args.run_id)
        if run is None:
            raise audit_cli.Refused(f"there is no stored experiment {args.run_id[:40]!r} (or several start with it)")
        return _print(_read(store, run.id, catalog), args.json)
    try:
        text = Path(args.journey_file).read_bytes()
    except OSError as err:
        raise audit_cli.Refused(f"the journey file {args.journey_file} cannot be read ({err.strerror or err}).") \
            from err
    try:
        experiment = from_journey(journey_from_json(text)).experiment(twins=args.twins, singles=args.singles)
    except ValueError as err:
        raise audit_cli.Refused(str(err)) from err
    cost = experiment.cost()
    print(f"Leave-one-out of {experiment.title} · {settings.backend_label}: {cost.words()}, asking for "
          f"{experiment.category} last.", file=sys.stderr)
    if args.cost:
        print(json.dumps({"calls": cost.calls, "tracking_events": cost.tracking_events, "sessions": cost.sessions})
              if args.json else f"{cost.calls} calls")
        return audit_cli.EXIT_DONE
    audit_config = resolve_audit_config(os.environ, secrets)
    if settings.is_live and not args.yes:
        raise audit_cli.Refused("this would send tracking events to the live Fashion.AI API. Run it again with "
                                "--yes to confirm.")
    user = audit_cli.shell_user(args.as_user, os.environ)
    store = audit_cli._store(secrets)
    try:
        runner = start_experiment(store, audit_cli._client(settings, catalog), experiment, catalog,
                                  backend=settings.backend, catalog_name=catalog_name,
                                  max_calls=audit_config.max_calls, confirmed_live=args.yes, started_by=user,
                                  shared_rate=audit_config.rate, on_progress=audit_cli.printer())
    except ExplainError as err:
        raise PlanError(str(err)) from err
    logbook = audit_cli._shell_log(user, secrets)
    logbook.record(ActivityAction.AUDIT_STARTED, runner.record)
    with contextlib.redirect_stdout(sys.stderr):  # the run's id and its words: stdout keeps the moves
        code = audit_cli.drive(runner, logbook)
    if runner.record.status != RunStatus.DONE and runner.record.done_calls == 0:
        return code
    _print(_read(store, runner.run_id, catalog), args.json)
    return code


def _read(store: Any, run_id: str, catalog: Any) -> Explanation:
    try:
        return read_explanation(store, run_id, catalog)
    except ExplainError as err:
        raise audit_cli.Refused(str(err)) from err


def _print(found: Explanation, as_json: bool) -> int:
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return audit_cli.EXIT_DONE if found.complete else audit_cli.EXIT_FAILED
    print(f"{found.question}, after: " + "; ".join(f"{n}. {e}" for n, e in enumerate(found.events, 1)))
    moves = found.biggest(SENTENCES)
    if not moves:
        print(f"Leaving out any one event moved no product of the first {found.k} places.")
    for move in moves:
        print(found.sentence(move))
    if not found.noise_measured:
        print("No twin was answered, so the noise is not measured.")
    return audit_cli.EXIT_DONE if found.complete else audit_cli.EXIT_FAILED
