"""`grade class`: grade every student folder, resumable, with a gradebook and class insights."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from grader.cli.app import complete_topics, main, make_console, resolve_topics
from grader.course import catalog


@main.command("class")
@click.argument("submissions", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for results.jsonl, gradebook.csv, junit.xml, gradescope/, students/, report.html.")
@click.option("--topics", "topics", default=None, shell_complete=complete_topics,
              help="Comma-separated topics [default: every topic].")
@click.option("--profile", type=click.Choice(("quick", "thorough")), default="quick", show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=None, help="Students graded at once [default: cores].")
@click.option("--timeout", type=click.FloatRange(1), default=900.0, show_default=True,
              help="Seconds per student; beyond it the student is a timeout (finished topics are kept).")
@click.option("--force", is_flag=True, help="Grade every student again, even unchanged ones.")
@click.option("--unsafe-no-sandbox", "unsafe", is_flag=True,
              help="Grade without the full sandbox (only for code you trust); every output says so.")
@click.option("--dask", "dask", default=None, metavar="tcp://HOST:8786",
              help="Grade on a dask.distributed cluster (pip install mlkatas[cluster]).")
def grade_class(submissions, out, topics, profile, jobs, timeout, force, unsafe, dask):
    """Grade every student folder in SUBMISSIONS (in parallel, isolated, resumable)."""
    from grader.classroom import session

    names = resolve_topics(topics.split(",")) if topics else list(catalog.load().names)
    options = session.Options(submissions, out, names, profile, jobs or os.cpu_count() or 1, timeout, force,
                              unsafe, dask)
    console = make_console()
    try:
        the_plan = session.plan(options)
    except session.SandboxMissing as err:
        raise click.ClickException(str(err)) from None
    except FileNotFoundError as err:
        raise click.UsageError(str(err)) from None
    if the_plan.unsafe:
        console.print("[bold red]warning:[/] grading WITHOUT the full sandbox (--unsafe-no-sandbox); "
                      "the report and the Gradescope files say so.")
    if the_plan.skipped:
        console.print(f"{len(the_plan.skipped)} student(s) unchanged since the last run: skipped "
                      f"(--force grades them again).")
    interrupted = False
    try:
        _grade_with_progress(console, options, the_plan)
    except KeyboardInterrupt:
        interrupted = True
        console.print("\nInterrupted: the students finished so far are kept; run the same command to go on.")
    records, missing, found = session.finish(options, the_plan)
    from grader.classroom import summary

    summary.print_summary(console, records, names, found, out)
    if missing:
        console.print(f"[yellow]{len(missing)} student(s) still to grade[/]: {', '.join(missing[:10])}"
                      f"{' ...' if len(missing) > 10 else ''}")
    raise SystemExit(130 if interrupted else 0)


def _grade_with_progress(console, options, the_plan) -> None:
    from grader.classroom import session

    total = len(the_plan.todo)
    if not total:
        return
    started = time.monotonic()
    if not console.is_terminal:  # piped: one plain line per student
        for done, record in enumerate(session.grade(options, the_plan), start=1):
            elapsed = time.monotonic() - started
            eta = elapsed / done * (total - done)
            console.print(f"[{done}/{total}] {record['student']}: {record['status']}, "
                          f"{record['score']:g}/{record['max_score']:g} (elapsed {elapsed:.0f} s, eta {eta:.0f} s)")
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    columns = [TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("eta"),
               TimeRemainingColumn(), TextColumn("{task.fields[last]}")]
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("class", total=total, last="")
        for record in session.grade(options, the_plan):
            progress.update(task, advance=1, last=f"{record['student']}: {record['status']}")


@main.command("release")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--gradescope", "gradescope", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="autograder.zip", help="Also write a Gradescope autograder zip around the bundle.")
def release(out, gradescope):
    """Write a learner bundle to OUT: stubs, grader, quizzes, references sealed."""
    from grader.release import bundle

    try:
        topics = bundle.write_bundle(out)
    except bundle.ReleaseError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Learner bundle in {out}: {len(topics)} topics, references sealed as bytecode (see SECURITY.md).")
    if gradescope is not None:
        from grader.release.autograder import write_autograder

        write_autograder(out, gradescope)
        click.echo(f"Gradescope autograder: {gradescope} (upload it as the assignment's autograder).")


@main.command("init-ci")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=100.0, show_default=True, metavar="PCT",
              help="The job fails below PCT percent.")
@click.option("--force", is_flag=True, help="Replace an existing workflow.")
def init_ci(fail_under, force):
    """Write .github/workflows/grade.yml: grade every push in a class repository."""
    from grader.release import ci

    try:
        target = ci.write_workflow(Path.cwd(), fail_under, force)
    except FileExistsError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Wrote {target.relative_to(Path.cwd())}: commit it; every push is graded "
               f"(JUnit file as an artifact, points in the job summary).")
