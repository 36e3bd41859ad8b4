"""Grading commands: `grade TOPIC`, `grade check`, `grade all`."""

from __future__ import annotations

import sys

import click

from grader.api import find_root
from grader.cli.app import (EXIT_BELOW, EXIT_OK, make_console, resolve_topics, complete_topics, grading_options, main,
                            while_grading)
from grader.course import catalog
from grader.results.model import shown_percent


@main.command("check")
@click.argument("topics", nargs=-1, required=True, shell_complete=complete_topics)
@grading_options
def check_topics(topics, exercises, output_format, profile, fail_under, verbose):
    """Grade TOPIC (one or more) and show what fails."""
    names = resolve_topics(topics)
    sys.exit(_grade_and_report(names, exercises, output_format, profile, fail_under, verbose))


@main.command("all")
@grading_options
def grade_all(exercises, output_format, profile, fail_under, verbose):
    """Grade every topic, in course order."""
    sys.exit(_grade_and_report(list(catalog.load().names), exercises, output_format, profile, fail_under,
                               verbose, always_wrap=True))


def _grade_and_report(names, exercises, output_format, profile, fail_under, verbose, always_wrap=False) -> int:
    from grader import api

    console = make_console()
    try:
        if output_format == "table":
            with while_grading(console, names[0]) as now_grading:
                run = api.grade_topics(names, exercises, profile=profile, root=find_root(), on_topic=now_grading)
        else:
            run = api.grade_topics(names, exercises, profile=profile, root=find_root())
    except FileNotFoundError as err:
        raise click.UsageError(str(err)) from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted.", err=True)
        return 130
    from grader.results import table

    for note in run.notes:
        click.echo(f"warning: {note}", err=True)
    if output_format != "table":
        click.echo(_machine_format(output_format, run if (always_wrap or len(run.topics) > 1) else run.topics[0]),
                   nl=False)
    else:
        table.print_run(console, run, verbose=verbose)
        if verbose:
            _print_isolation(console)
    return EXIT_OK if passes(run, fail_under) else EXIT_BELOW


def passes(run, fail_under: float | None) -> bool:
    """Full marks, or at least PCT percent as the report prints it (one decimal)."""
    if fail_under is None:
        return run.score >= run.max_score
    return shown_percent(run.percent) >= fail_under


def _machine_format(output_format: str, run) -> str:
    """One small module per format, all from the same result model."""
    if output_format == "json":
        from grader.results.json import to_json

        return to_json(run) + "\n"
    if output_format == "junit":
        from grader.results.junit import to_junit

        return to_junit(run)
    if output_format == "gradescope":
        from grader.results.gradescope import to_gradescope

        return to_gradescope(run) + "\n"
    from grader.results.csv import to_csv

    return to_csv(run)


def _print_isolation(console) -> None:
    from rich.markup import escape

    from grader.sandbox import isolation

    detected = isolation.detect()
    console.print()
    console.print(f"[bold]Sandbox[/] at the {detected.level} level (what protects this machine from the code "
                  f"being graded; `grade doctor` for how to turn on what is off):")
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))  # wrapped lines stay under their text, not under "on:"
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for line in detected.describe():
        grid.add_row("  on:", escape(line))
    for line in detected.off():
        grid.add_row("  off:", escape(line))
    console.print(grid)


