"""Command line: ``python -m fashionai simulate`` serves the offline Fashion.AI simulator;
``python -m fashionai audit …`` plans and runs audits (`fashionai.audit.cli`); ``python -m fashionai explain …``
says what moved each product (`fashionai.explain.cli`)."""

from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from fashionai.audit.cli import add_audit_commands
from fashionai.explain.cli import add_explain_command
from fashionai.config import APP_TOKEN, BASE_URL
from fashionai.simulator.server import DEFAULT_PORT


def _status_rate(text: str) -> tuple[int, float]:
    status, _, rate = text.partition("=")
    try:
        return int(status), float(rate)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"expected STATUS=PROBABILITY, e.g. 503=0.1, not {text!r}") from err


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fashionai", description="Fashion.AI Merchandising Studio tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    simulate = commands.add_parser(
        "simulate",
        help="serve an offline Fashion.AI simulator on this machine",
        description="Serve an offline stand-in for the Fashion.AI API at http://HOST:PORT/api/v1.",
    )
    simulate.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    simulate.add_argument("--port", type=int, default=DEFAULT_PORT, help="port, 0 for any free one (default: %(default)s)")
    simulate.add_argument("--token", help="require this X-FashionAI-APP-Token (default: accept any token)")
    simulate.add_argument("--catalog", metavar="PATH", help="catalog CSV to serve (default: the bundled sample)")
    simulate.add_argument("--seed", type=int, default=0, help="seed of popularity and fault dice")
    simulate.add_argument("--latency", type=float, default=0.0, metavar="S", help="seconds added to every request")
    simulate.add_argument(
        "--error-rate", type=_status_rate, action="append", default=[], metavar="STATUS=P",
        help="answer STATUS with probability P; repeatable (e.g. --error-rate 503=0.1)",
    )
    simulate.add_argument("--rate-limit-burst", type=int, default=0, metavar="N", help="answer every Nth request 429")
    simulate.add_argument("--retry-after", type=float, default=1.0, metavar="S", help="Retry-After of a 429/503")
    simulate.add_argument("--broken-body-rate", type=float, default=0.0, metavar="P",
                          help="answer 200 with HTML or truncated JSON with probability P")
    simulate.add_argument("--drop-rate", type=float, default=0.0, metavar="P",
                          help="close the connection unanswered with probability P")
    simulate.add_argument("--verbose", action="store_true", help="log request lines (never headers) to stderr")
    simulate.set_defaults(run=_simulate)
    add_audit_commands(commands)
    add_explain_command(commands)
    return parser


def load_products(path: str | None) -> pd.DataFrame:
    """The catalog to simulate: the CSV at `path` via the app's loader, or the bundled sample."""
    if path is None:
        from fashionai.catalog.sample import load_sample_frame

        return load_sample_frame()
    from fashionai.catalog import load_catalog

    return load_catalog(path).products


def _simulate(args: argparse.Namespace) -> int:
    from fashionai.simulator import Faults, Simulator, serve

    try:
        faults = Faults(
            latency=args.latency, error_rates=dict(args.error_rate), rate_limit_burst=args.rate_limit_burst,
            retry_after=args.retry_after, broken_body_rate=args.broken_body_rate, drop_rate=args.drop_rate,
            seed=args.seed,
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        simulator = Simulator(load_products(args.catalog), token=args.token, seed=args.seed, faults=faults)
    except (OSError, ValueError) as err:
        print(f"error: cannot load the catalog: {err}", file=sys.stderr)
        return 2

    def ready(base_url: str) -> None:
        token = "<the value given to --token>" if args.token else "any-value   (no token required)"
        print(f"Fashion.AI simulator serving {base_url}  ({simulator!r})")
        print("Point the studio at it:")
        print(f"  {BASE_URL.env}={base_url} {APP_TOKEN.env}={token}")
        print("Ctrl+C stops it.", flush=True)

    try:
        serve(simulator, args.host, args.port, verbose=args.verbose, on_ready=ready)
    except OSError as err:
        print(f"error: cannot serve on {args.host}:{args.port}: {err}", file=sys.stderr)
        return 1
    return 0


EXIT_CLOSED_PIPE = 141
"""The exit of a command whose reader went away (``… | head``): 128 + SIGPIPE, as a shell's own tools."""


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader stopped reading (``| head``): stop quietly, as cat and grep do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that Python's last flush at exit cannot fail again
        return EXIT_CLOSED_PIPE


if __name__ == "__main__":
    sys.exit(main())
