"""The learner's commands: list, hint, watch, reset, solution."""

from __future__ import annotations

import click

from grader.cli.app import (load_state_or_none, make_console, require_project, resolve_topics, save_or_fail, warn,
                            complete_topics, main, topic_argument)
from grader.cli.app import reason
from grader.course import catalog


@main.command("list")
def list_topics():
    """Show every topic by track, with your progress."""
    from grader.progress import overview

    console = make_console()
    learner_state = load_state_or_none(console)
    if learner_state is not None:
        overview.print_list(console, catalog.load(), learner_state)


@main.command("hint")
@topic_argument
@click.option("--all", "show_all", is_flag=True, help="Show again every hint revealed so far.")
def hint(topic, show_all):
    """Reveal the next hint for TOPIC (the idea, then the formula, then near-code)."""
    from grader.progress import overview, state

    name = resolve_topics([topic])[0]
    root = require_project()
    with state.locked(root):  # load, reveal, save: parallel `grade hint` runs lose no update
        learner_state = state.load(root)
        entry = learner_state.topic(name)
        hints = catalog.load().topic(name).hints
        revealed = not show_all and entry.hints_revealed < len(hints)
        if revealed:
            entry.hints_revealed += 1
            save_or_fail(learner_state, f"hint {entry.hints_revealed} of {name} as seen")
    console = make_console()
    warn(console, learner_state.warning)
    if not show_all:
        if not revealed:
            console.print(f"No more hints for {name}: all {len(hints)} are shown below.")
    elif entry.hints_revealed == 0:
        console.print(f"No hints revealed yet for {name}: run `grade hint {name}`.")
    overview.print_hints(console, name, hints, entry.hints_revealed)


@main.command("watch")
@click.argument("topic", required=False, shell_complete=complete_topics)
@click.option("--profile", type=click.Choice(("quick", "thorough")), default="quick", show_default=True)
@click.option("--max-runs", type=click.IntRange(1), default=None, help="Stop after this many gradings.")
def watch_topic(topic, profile, max_runs):
    """Re-grade TOPIC on every save; move on to the next topic when it passes."""
    from grader.cli import watch

    name = resolve_topics([topic])[0] if topic else None
    try:
        watch.watch(make_console(), require_project(), name, profile=profile, max_runs=max_runs)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")


@main.command("reset")
@topic_argument
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def reset(topic, yes):
    """Put the original stub of TOPIC back (your file is kept in .grade/backups/)."""
    from grader.progress import workspace

    name = resolve_topics([topic])[0]
    root = require_project()
    target = workspace.exercise_path(root, name)
    if not yes:
        click.confirm(f"Replace {target.relative_to(root)} with the original stub? (a backup is kept)",
                      abort=True)
    try:
        saved = workspace.reset(root, name)
    except OSError as err:
        raise click.ClickException(f"could not reset {target.relative_to(root)}: {reason(err)}; "
                                   f"your file is unchanged") from None
    if saved is not None:
        click.echo(f"Your file is saved as {saved.relative_to(root)}.")
    click.echo(f"{target.relative_to(root)} is the original stub again.")


@main.command("solution")
@topic_argument
@click.option("--give-up", is_flag=True, help="See the reference before passing (recorded).")
@click.option("--yes", "-y", is_flag=True, help="With --give-up: do not ask for confirmation.")
def solution(topic, give_up, yes):
    """Show the reference solution of TOPIC once you have passed it."""
    import time

    from grader.progress import state, workspace

    name = resolve_topics([topic])[0]
    root = require_project()
    learner_state = state.load(root)
    warn(make_console(), learner_state.warning)
    entry = learner_state.topic(name)
    if entry.passed_at is None and entry.gave_up_at is None:
        if not give_up:
            raise click.ClickException(f"the solution unlocks when {name} passes (`grade {name}`). "
                                       f"To see it anyway: grade solution {name} --give-up")
        if not yes:
            click.confirm(f"Give up on {name} and see the reference? This is recorded.", abort=True)
        with state.locked(root):  # read again under the lock: the prompt may have waited long
            learner_state = state.load(root)
            learner_state.topic(name).gave_up_at = time.time()
            save_or_fail(learner_state, f"giving up on {name}")
    try:
        source = workspace.solution_source(name)
    except FileNotFoundError as err:
        raise click.ClickException(str(err)) from None
    from rich.syntax import Syntax

    make_console().print(Syntax(source, "python", line_numbers=True, word_wrap=True))
