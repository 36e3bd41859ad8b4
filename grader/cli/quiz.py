"""Quiz commands: `grade quiz TOPIC` (in the terminal, from an answers file, or on paper) and
`grade review` (the questions due for spaced review, across topics)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from grader.api import find_root
from grader.cli.app import EXIT_BELOW, EXIT_OK, FORMATS, make_console, resolve_topics, topic_argument, warn, main

EXIT_INTERRUPTED, EXIT_USAGE = 130, 2


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _learner(learner: str | None) -> str:
    from grader.quiz.variants import default_learner

    return learner or default_learner()


def _in_project(root: Path) -> bool:
    return (root / "exercises").is_dir()


@main.command("quiz")
@topic_argument
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Grade this TOML or JSON file (question id = answer) without asking.")
@click.option("--variant", help="Draw this variant (4 hex digits, shown on every question) instead of the next one.")
@click.option("--learner", help="Who is taking the quiz [default: git user.email, else the login name].")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for people, json for machines (with --answers or --print).")
@click.option("--print", "paper", is_flag=True, help="Show the questions of the variant without answers.")
def quiz(topic, answers_file, variant, learner, output_format, paper):
    """Take the quiz of TOPIC: short questions, graded at once, with explanations."""
    from grader.progress import state
    from grader.quiz import banks, flow, session
    from grader.quiz.variants import BankError, checked_variant

    name = resolve_topics([topic])[0]
    if not banks.has_bank(name):
        raise click.UsageError(f"there is no quiz for {name} yet")
    root = find_root()
    learner_state = state.load(root)
    if learner_state.warning:  # on stderr: stdout may be JSON
        click.echo(f"warning: {learner_state.warning}", err=True)
    own_variant, _ = session.next_variant(learner_state, name, _learner(learner))
    if variant is not None:
        try:
            variant = checked_variant(variant)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--variant") from None
    # Another variant than the learner's next one is a reproduction (an instructor's, or a
    # retake of an old paper): graded, never recorded. Their own next variant counts.
    forced = variant is not None and variant != own_variant
    variant = variant or own_variant
    if not (paper or answers_file):
        if output_format == "json":
            raise click.UsageError("--format json needs --answers FILE or --print")
        if not stdin_is_terminal():
            click.echo(f"grade quiz asks its questions in a terminal. Without one, print them:\n"
                       f"  grade quiz {name} --variant {variant} --print\n"
                       f"then answer in a file (question id = answer) and grade it:\n"
                       f"  grade quiz {name} --variant {variant} --answers answers.toml", err=True)
            sys.exit(EXIT_USAGE)
    try:
        prepared = session.prepare(name, variant)
    except (BankError, RuntimeError) as err:  # a broken bank, or no reference to compute answers with
        raise click.ClickException(f"the quiz of {name} cannot be drawn: {err}") from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    console = make_console()
    if paper:
        _print_paper(console, prepared, output_format)
        return
    if answers_file:
        try:
            result = session.grade_answers(prepared, session.load_answers(answers_file))
        except (ValueError, OSError) as err:
            raise click.UsageError(str(err)) from None
    else:
        flow.print_header(console, prepared, note="" if not forced else "A chosen variant: this attempt "
                                                                       "is not recorded.")
        result = flow.run(console, prepared)
    if not forced and _in_project(root) and any(q.status != "unanswered" for q in result.questions):
        note = session.record(root, result)
        if note:
            click.echo(f"warning: {note}", err=True)
    if output_format == "json":
        click.echo(result.to_json())
    elif answers_file:
        flow.print_results(console, result)
    else:
        flow.print_summary(console, result)
    if result.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_OK if result.score >= result.max_score - 1e-9 else EXIT_BELOW)


def _print_paper(console, prepared, output_format) -> None:
    from grader.quiz import flow

    if output_format == "json":
        import json

        click.echo(json.dumps(flow.paper_dict(prepared), indent=2, ensure_ascii=False))
    else:
        flow.print_paper(console, prepared)


@main.command("review")
@click.option("--learner", help="Who is reviewing [default: git user.email, else the login name].")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="Ask at most this many.")
def review(learner, limit):
    """Ask the quiz questions that are due again (missed ones now; right ones after 1, 3, 7, 21 days)."""
    from grader.course import catalog
    from grader.progress import state
    from grader.quiz import banks, flow, session
    from grader.quiz import review as schedule
    from grader.quiz.variants import BankError

    root = find_root()
    learner_state = state.load(root)
    console = make_console()
    warn(console, learner_state.warning)
    course = catalog.load()
    known = {}
    for topic in learner_state.quizzes:
        try:
            known[topic] = {q.id for q in banks.load(topic)} if banks.has_bank(topic) else set()
        except BankError as err:  # one broken bank does not stop the review of the others
            warn(console, f"skipping {topic}: {err}")
    now = time.time()
    due = schedule.due(learner_state, list(course.names), now, known)[:limit]
    if not due:
        upcoming = schedule.next_due(learner_state, known)
        if upcoming is None:
            console.print("Nothing to review yet: take a quiz first (`grade quiz TOPIC`).")
        else:
            days = (upcoming - now) / schedule.DAY
            console.print(f"Nothing is due for review. The next question comes back in {_days(days)}.")
        return
    if not stdin_is_terminal():
        click.echo("grade review asks its questions in a terminal; run it in one.", err=True)
        sys.exit(EXIT_USAGE)
    who = _learner(learner)
    console.print(f"Review: {len(due)} question{'s' if len(due) != 1 else ''} due. Ctrl-C stops; "
                  f"answers given so far are kept.")
    asked = right = 0
    try:
        for number, item in enumerate(due, 1):
            variant = schedule.review_variant(course.course_seed, who, item.topic, item.question_id, item.card)
            try:
                posed = session.prepare_one(item.topic, item.question_id, variant)
            except (BankError, RuntimeError) as err:
                warn(console, f"skipping {item.topic}.{item.question_id}: {err}")
                continue
            flow.print_question(console, posed, number, len(due))
            console.print(f"({item.topic}, box {item.card.box})", style="dim")
            result = flow.ask(console, posed, flow.read_line)
            flow.print_verdict(console, result)
            card = schedule.schedule(learner_state.quiz(item.topic), item.question_id, result.status == "correct",
                                     time.time(), reviewed=True)
            asked += 1
            right += result.status == "correct"
            console.print(f"Back in {_days((card.due - time.time()) / schedule.DAY)} (box {card.box}).",
                          style="dim")
    except (KeyboardInterrupt, EOFError):
        console.print()
        console.print(f"Stopped: {flow.kept(asked)}.")
        _save(learner_state)
        sys.exit(EXIT_INTERRUPTED)
    _save(learner_state)
    console.print()
    console.print(f"Reviewed {asked}: {right} right.")


def _save(learner_state) -> None:
    try:
        learner_state.save()
    except OSError as err:
        click.echo(f"warning: could not save your review: {err}", err=True)


def _days(days: float) -> str:
    if days < 1 / 24:
        return "a few minutes" if days > 0 else "now"
    if round(days * 24) < 24:
        return f"{days * 24:.0f} hour{'s' if round(days * 24) != 1 else ''}"
    return f"{days:.0f} day{'s' if round(days) != 1 else ''}"
