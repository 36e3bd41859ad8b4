"""The `grade` command. It parses and delegates; grading, state and drawing live elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import catalog

FORMATS = ("table", "json")
EXIT_OK, EXIT_BELOW, EXIT_USAGE = 0, 1, 2


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder, from here upwards, that has an exercises/ folder."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises").is_dir():
            return folder
    return here


class TopicGroup(click.Group):
    """`grade softmax` grades a topic; `grade list` runs a command."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "check", self.commands["check"], args
        return super().resolve_command(ctx, args)

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


@click.group(cls=TopicGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlkatas", prog_name="grade")
@click.pass_context
def main(ctx):
    """Auto-graded exercises in machine-learning fundamentals.

    Write the functions in exercises/TOPIC.py, then run `grade TOPIC`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_topics)
        _print_next_step(find_root())


@main.command("check")
@click.argument("topics", nargs=-1, required=True)
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

    root = find_root()
    learner_state = state.load(root)
    console = _console()
    _warn(console, learner_state.warning)
    overview.print_list(console, catalog.load(), learner_state)


@main.command("hint")
@click.argument("topic")
@click.option("--all", "show_all", is_flag=True, help="Show again every hint revealed so far.")
def hint(topic, show_all):
    """Reveal the next hint for TOPIC (conceptual, then the formula, then near-code)."""
    from grader import overview, state

    name = _resolve_topics([topic])[0]
    root = find_root()
    learner_state = state.load(root)
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
    overview.print_hints(console, name, hints, entry.hints_revealed)


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
    from grader.learner import prepare  # no numpy yet: the first worker boots while we import

    root = find_root()
    folder = exercises if exercises is not None else root / "exercises"
    if not folder.is_dir():
        raise click.UsageError(f"there is no folder {folder} to grade")
    prepared = prepare(names[0], folder)

    import time

    from grader import judge, report
    from grader.results import RunResult

    started = time.perf_counter()
    results = []
    for index, name in enumerate(names):
        upcoming = prepared
        if index + 1 < len(names):
            prepared = prepare(names[index + 1], folder)  # boot the next worker while this one grades
        results.append(judge.grade(name, folder, profile=profile, prepared=upcoming))
    run = RunResult(results, elapsed_s=time.perf_counter() - started)

    if exercises is None or folder.resolve() == (root / "exercises").resolve():
        _remember(root, results)
    if output_format == "json":
        payload = run if (always_wrap or len(results) > 1) else results[0]
        click.echo(report.to_json(payload))
    else:
        report.print_run(_console(), run, verbose=verbose)
    bar = 100.0 if fail_under is None else fail_under
    return EXIT_OK if run.percent >= bar - 1e-9 else EXIT_BELOW


def _remember(root: Path, results) -> None:
    from grader import state

    learner_state = state.load(root)
    for result in results:
        if result.problem is None or result.score > 0:
            learner_state.record(result.topic, result.score, result.max_score)
    try:
        learner_state.save()
    except OSError as err:  # a read-only checkout still grades
        click.echo(f"warning: could not save progress: {err}", err=True)


def _print_next_step(root: Path) -> None:
    from grader import overview, state

    overview.print_next_step(_console(), catalog.load(), state.load(root))


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _warn(console, warning: str | None) -> None:
    if warning:
        console.print(f"[yellow]warning:[/] {warning}")


if __name__ == "__main__":
    main()
