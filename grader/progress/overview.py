"""The learner's overview: topics by track with progress, hints, and what to do next."""

from __future__ import annotations

from grader.course.catalog import Catalog
from grader.progress.state import State

STATUS_STYLES = {"passed": "green", "started": "yellow", "todo": "dim"}
NARROW = 60  # below this many columns: one block per topic, so names are never cut


def print_list(console, course: Catalog, state: State) -> None:
    from rich.table import Table
    from rich.text import Text

    total_passed = 0
    name_width = max(len(t.name) for t in course.topics)  # the same columns in every track's table
    for track in course.tracks:
        topics = course.in_track(track.id)
        if not topics:
            continue
        passed = sum(state.topic(t.name).status == "passed" for t in topics)
        total_passed += passed
        if console.width < NARROW:  # the bar on its own line: a title never wraps beside it
            console.print(Text(f"{track.id}. {track.title}", style="bold"))
            console.print(_bar(passed, len(topics)))
        else:
            header = Table.grid(padding=(0, 1))
            header.add_row(Text(f"{track.id}. {track.title}", style="bold"), _bar(passed, len(topics)))
            console.print(header)
        if console.width < NARROW:
            _print_topic_blocks(console, topics, state)
            console.print()
            continue
        table = Table(show_header=True, show_edge=False, pad_edge=False, box=None, padding=(0, 1), expand=True)
        table.add_column("topic", no_wrap=True, width=name_width)
        table.add_column("title", overflow="fold", ratio=1)
        table.add_column("status", no_wrap=True, width=7)
        table.add_column("best", justify="right", no_wrap=True, width=7)
        table.add_column("hints", justify="right", no_wrap=True, width=5)
        table.add_column("quiz", justify="right", no_wrap=True, width=7)
        for topic in topics:
            entry = state.topic(topic.name)
            best = "-" if entry.best_score is None else f"{entry.best_score:g}/{entry.max_score:g}"
            table.add_row(topic.name, topic.title, Text(entry.status, style=STATUS_STYLES[entry.status]),
                          best, f"{entry.hints_revealed}/{len(topic.hints)}", _quiz_best(state, topic.name))
        console.print(table)
        console.print()
    overall = Table.grid(padding=(0, 1))
    overall.add_row(Text("Overall", style="bold"), _bar(total_passed, len(course.topics)), Text("topics passed"))
    console.print(overall)


def _quiz_best(state: State, name: str) -> str:
    quiz = state.quizzes.get(name)
    if quiz is None or quiz.best_score is None:
        return "-"
    return f"{round(quiz.best_score, 1):g}/{quiz.max_score:g}"  # partial credit: 6.3/10, not 6.3333…


def _print_topic_blocks(console, topics, state: State) -> None:
    """The narrow layout: the topic's name whole on its own line, its title and progress below."""
    from rich.padding import Padding
    from rich.text import Text

    for topic in topics:
        entry = state.topic(topic.name)
        best = "-" if entry.best_score is None else f"{entry.best_score:g}/{entry.max_score:g}"
        console.print(Text.assemble((topic.name, "bold"), "  ", (entry.status, STATUS_STYLES[entry.status])))
        console.print(Padding(Text(topic.title), (0, 0, 0, 2)))
        console.print(Padding(Text(f"best {best} · hints {entry.hints_revealed}/{len(topic.hints)} · quiz "
                                   f"{_quiz_best(state, topic.name)}", style="dim"),
                              (0, 0, 0, 2)))


def _bar(done: int, total: int, width: int = 20):
    """A progress bar that reads the same in colour, without colour, and piped to a file."""
    from rich.text import Text

    filled = round(width * done / total) if total else width
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "dim"), f" {done}/{total}")


def next_topic(course: Catalog, state: State) -> str | None:
    """The first topic, in course order, not yet passed."""
    for topic in course.topics:
        if state.topic(topic.name).status != "passed":
            return topic.name
    return None


def print_next_step(console, course: Catalog, state: State) -> None:
    name = next_topic(course, state)
    console.print()
    if name is None:
        console.print("Every topic passed. Well done!")
    else:
        console.print(f"Next: open exercises/{name}.py, then run `grade {name}`.")


def print_hints(console, topic: str, hints: tuple[str, ...], revealed: int) -> None:
    from rich.text import Text

    labels = ("idea", "formula", "near-code")
    for index in range(min(revealed, len(hints))):
        console.print(Text.assemble((f"Hint {index + 1}/{len(hints)} ({labels[index]}): ", "bold"), hints[index]))
    if revealed < len(hints):
        console.print(Text(f"Run `grade hint {topic}` again for the next one.", style="dim"))
