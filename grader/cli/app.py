"""The `grade` command. It parses and delegates; grading, state and drawing live elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import catalog
from grader.api import find_root

FORMATS = ("table", "json")
EXIT_OK, EXIT_BELOW = 0, 1  # click itself exits 2 on usage errors


def complete_topics(ctx, param, incomplete):
    return [name for name in catalog.load().names if name.startswith(incomplete)]


class TopicGroup(click.Group):
    """`grade softmax` grades a topic; `grade list` runs a command."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "check", self.commands["check"], args
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx, incomplete):
        from click.shell_completion import CompletionItem

        topics = [CompletionItem(name, help="topic") for name in complete_topics(ctx, None, incomplete)]
        return super().shell_complete(ctx, incomplete) + topics

    def format_usage(self, ctx, formatter):
        formatter.write_usage("grade", "[TOPIC...] [OPTIONS] | COMMAND [ARGS]...")


def grading_options(function):
    options = [
        click.option("--exercises", "exercises", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Folder with the modules to grade [default: exercises/ of this project]."),
        click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="table for people, json for machines."),
        click.option("--profile", type=click.Choice(("quick", "thorough")), default="quick", show_default=True,
                     help="How many generated inputs each check tries."),
        click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT",
                     help="Exit 0 when the score is at least PCT percent [default: 100]."),
        click.option("--verbose", "-v", is_flag=True, help="Detail every failing check."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


topic_argument = click.argument("topic", shell_complete=complete_topics)


@click.group(cls=TopicGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlkatas", prog_name="grade")
@click.pass_context
def main(ctx):
    """Auto-graded exercises in machine-learning fundamentals.

    Write the functions in exercises/TOPIC.py, then run `grade TOPIC`.
    """
    if ctx.invoked_subcommand is None:
        from grader import overview, state

        learner_state = state.load(find_root())
        console = _console()
        _warn(console, learner_state.warning)
        overview.print_list(console, catalog.load(), learner_state)
        overview.print_next_step(console, catalog.load(), learner_state)


@main.command("check")
@click.argument("topics", nargs=-1, required=True, shell_complete=complete_topics)
@grading_options
def check_topics(topics, exercises, output_format, profile, fail_under, verbose):
    """Grade TOPIC (one or more) and show what fails."""
    names = _resolve_topics(topics)
    sys.exit(_grade_and_report(names, exercises, output_format, profile, fail_under, verbose))


@main.command("all")
@grading_options
def grade_all(exercises, output_format, profile, fail_under, verbose):
    """Grade every topic, in course order."""
    sys.exit(_grade_and_report(list(catalog.load().names), exercises, output_format, profile, fail_under,
                               verbose, always_wrap=True))


@main.command("list")
def list_topics():
    """Show every topic by track, with your progress."""
    from grader import overview, state

    learner_state = state.load(find_root())
    console = _console()
    _warn(console, learner_state.warning)
    overview.print_list(console, catalog.load(), learner_state)


@main.command("hint")
@topic_argument
@click.option("--all", "show_all", is_flag=True, help="Show again every hint revealed so far.")
def hint(topic, show_all):
    """Reveal the next hint for TOPIC (the idea, then the formula, then near-code)."""
    from grader import overview, state

    name = _resolve_topics([topic])[0]
    learner_state = state.load(find_root())
    console = _console()
    _warn(console, learner_state.warning)
    entry = learner_state.topic(name)
    hints = catalog.load().topic(name).hints
    if not show_all:
        if entry.hints_revealed < len(hints):
            entry.hints_revealed += 1
            learner_state.save()
        else:
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
    from grader import watch

    name = _resolve_topics([topic])[0] if topic else None
    try:
        watch.watch(_console(), find_root(), name, profile=profile, max_runs=max_runs)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")


@main.command("reset")
@topic_argument
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def reset(topic, yes):
    """Put the original stub of TOPIC back (your file is kept in .grade/backups/)."""
    from grader import workspace

    name = _resolve_topics([topic])[0]
    root = find_root()
    target = workspace.exercise_path(root, name)
    if not yes:
        click.confirm(f"Replace {target.relative_to(root)} with the original stub? (a backup is kept)",
                      abort=True)
    saved = workspace.reset(root, name)
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

    from grader import state, workspace

    name = _resolve_topics([topic])[0]
    learner_state = state.load(find_root())
    entry = learner_state.topic(name)
    if entry.passed_at is None and entry.gave_up_at is None:
        if not give_up:
            raise click.ClickException(f"the solution unlocks when {name} passes (`grade {name}`). "
                                       f"To see it anyway: grade solution {name} --give-up")
        if not yes:
            click.confirm(f"Give up on {name} and see the reference? This is recorded.", abort=True)
        entry.gave_up_at = time.time()
        learner_state.save()
    try:
        source = workspace.solution_source(name)
    except FileNotFoundError as err:
        raise click.ClickException(str(err)) from None
    from rich.syntax import Syntax

    _console().print(Syntax(source, "python", line_numbers=True, word_wrap=True))


def _resolve_topics(typed) -> list[str]:
    known = catalog.load()
    names = []
    for text in typed:
        try:
            names.append(known.resolve(text))
        except catalog.UnknownTopic as err:
            raise click.UsageError(str(err)) from None
    return list(dict.fromkeys(names))


def _grade_and_report(names, exercises, output_format, profile, fail_under, verbose, always_wrap=False) -> int:
    from grader import api

    try:
        run = api.grade_topics(names, exercises, profile=profile, root=find_root())
    except FileNotFoundError as err:
        raise click.UsageError(str(err)) from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted.", err=True)
        return 130
    from grader import report

    for note in run.notes:
        click.echo(f"warning: {note}", err=True)
    if output_format == "json":
        click.echo(report.to_json(run if (always_wrap or len(run.topics) > 1) else run.topics[0]))
    else:
        console = _console()
        report.print_run(console, run, verbose=verbose)
        if verbose:
            _print_isolation(console)
    bar = 100.0 if fail_under is None else fail_under
    return EXIT_OK if run.percent >= bar - 1e-9 else EXIT_BELOW


def _print_isolation(console) -> None:
    from rich.markup import escape

    from grader import isolation

    detected = isolation.detect()
    console.print()
    console.print("[bold]Sandbox[/] (what protects this machine from the code being graded):")
    for line in detected.describe():
        console.print(f"  on:  {escape(line)}")
    for line in detected.off():
        console.print(f"  off: {escape(line)}")


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _warn(console, warning: str | None) -> None:
    if warning:
        from rich.markup import escape

        console.print(f"[yellow]warning:[/] {escape(warning)}")


if __name__ == "__main__":
    main()
