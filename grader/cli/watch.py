"""`grade watch`: re-grade on every save, move on when the topic passes (rustlings-style)."""

from __future__ import annotations

import logging
from pathlib import Path

from grader import api
from grader.cli.app import while_grading
from grader.course import catalog
from grader.progress import overview, state
from grader.results import table

DEBOUNCE_MS = 300  # editors often write a file in several steps


def watch(console, root: Path, topic: str | None, *, profile: str = "quick", max_runs: int | None = None) -> int:
    """Grade, wait for a save, grade again; returns how many gradings ran."""
    from watchfiles import watch as file_changes

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # we say "Stopped watching." ourselves
    course = catalog.load()
    current = topic or overview.next_topic(course, state.load(root))
    runs = 0
    banner = None
    while current is not None:
        with while_grading(console, current):
            result = api.grade_topics([current], root=root, profile=profile).topics[0]
        runs += 1
        console.clear() if console.is_terminal else console.rule(style="dim")
        if banner:
            console.print(banner)
            banner = None
        table.print_topic(console, result)
        if max_runs is not None and runs >= max_runs:
            break
        if result.complete:
            following = overview.next_topic(course, state.load(root))
            if following is None:
                console.print("[bold green]Every topic passed. Well done![/]")
                break
            banner = f"[bold green]✓ {current} passed.[/] On to [bold]{following}[/]:\n"
            current = following
            continue
        path = root / "exercises" / f"{current}.py"
        console.print(f"[dim]Watching {path.relative_to(root)}: save to re-grade · `grade hint {current}` in "
                      f"another terminal for a hint · Ctrl-C to stop[/]")
        for _changes in file_changes(path.parent, debounce=DEBOUNCE_MS, raise_interrupt=False,
                                     watch_filter=_only(path.name)):
            break
        else:
            console.print("\nStopped watching.")  # Ctrl-C while waiting for a save
            break
    return runs


def _only(name: str):
    """A watchfiles filter for one file name (editors also touch swap and backup files)."""
    return lambda _change, changed: Path(changed).name == name
