"""`grade doctor`: which sandbox layers hold learner code on this machine, and how to get the others."""

from __future__ import annotations

import sys

import click

from grader.cli.app import make_console, main


@main.command("doctor")
@click.option("--format", "output_format", type=click.Choice(("table", "json")), default="table", show_default=True,
              help="table for people, json for machines.")
def doctor(output_format):
    """Show what protects this machine from the code being graded; exit 0 at the full level."""
    from rich.markup import escape
    from rich.table import Table

    from grader.sandbox import isolation, learner

    problem = learner.probe()  # a real worker: a layer that fails here is found now, and shown off
    detected = isolation.detect()
    report = detected.report()
    rows = detected.rows()
    if output_format == "json":
        import json

        click.echo(json.dumps({**report, "problem": problem,
                               "rows": [{"layer": n, "on": on, "detail": d} for n, on, d in rows]}, indent=2))
        sys.exit(0 if report["level"] == isolation.LEVEL_FULL and problem is None else 1)
    console = make_console()
    table = Table(title="Sandbox layers on this machine", show_edge=False, pad_edge=False)
    table.add_column("layer", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("what it adds, or how to turn it on", overflow="fold", ratio=1)
    for name, on, detail in rows:
        table.add_row(name, "[green]on[/]" if on else "[yellow]off[/]", escape(detail))
    console.print(table)
    if problem:
        console.print(f"[red]{escape(problem)}[/]")
    level = report["level"]
    style = "bold green" if level == isolation.LEVEL_FULL else "bold yellow"
    console.print(f"[{style}]Level: {level}[/]" + ("" if level == isolation.LEVEL_FULL else
                  " (the full level needs namespaces, Landlock, seccomp and, as root, cgroups)"))
    sys.exit(0 if level == isolation.LEVEL_FULL and problem is None else 1)
