"""What the audit commands take in from the command line, checked as argparse types: an error names the
argument and exits 2 (argparse's own way), never a traceback."""

from __future__ import annotations

import argparse

from fashionai.text.formatting import control_characters, visible

MAX_RUNS_LISTED = 10_000
"""The most runs `audit runs --limit` lists."""


def run_count(text: str) -> int:
    """--limit: a whole number from 1 to MAX_RUNS_LISTED, else argparse's error (exit 2) saying so."""
    try:
        count = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"“{visible(text)[:40]}” is not a whole number") from err
    if not 1 <= count <= MAX_RUNS_LISTED:
        raise argparse.ArgumentTypeError(f"give a number from 1 to {MAX_RUNS_LISTED:,}, not {visible(text)[:40]}")
    return count


def plan_name(text: str) -> str:
    """--plan: a plan's name, which holds no control character (argparse's error, exit 2, saying which)."""
    if bad := control_characters(text):
        raise argparse.ArgumentTypeError(f"a plan's name holds no control character, and “{visible(text)[:80]}” "
                                         f"holds {bad}")
    return text
