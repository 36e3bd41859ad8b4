"""Draw results as a rich table for people. Nothing here grades."""

from __future__ import annotations

from grader.results.model import CheckResult, RunResult, TopicResult, shown_percent

NARROW = 60  # below this many columns: one block per check instead of a table that splits words

STATUS_LABELS = {  # (mark, word, style)
    "passed": ("✓", "passed", "green"),
    "failed": ("✗", "failed", "red"),
    "error": ("✗", "raised", "red"),
    "timeout": ("✗", "timeout", "red"),
    "crashed": ("✗", "crashed", "red"),
    "todo": ("·", "todo", "yellow"),
    "forbidden": ("✗", "forbidden", "magenta"),
}


def print_topic(console, result: TopicResult, *, verbose: bool = False, sandbox_note: bool = True) -> None:
    from rich.text import Text

    console.print(Text.assemble((result.title, "bold"), f"  ({result.topic})"))
    if result.problem:  # nothing could run: say why once, not once per check
        console.print(Text(f"! {result.problem}", style="red"))
        console.print()
        console.print(Text(f"0/{_number(result.max_score)} points: none of the {len(result.checks)} checks could "
                           f"run. Fix the file above, then run `grade {result.topic}` again.", style="bold"))
        return
    if console.width < NARROW:
        _print_blocks(console, result.checks)
    else:
        _print_table(console, result.checks)
    failures = [c for c in result.checks if not c.passed]
    shown = failures if verbose else _worth_showing(failures)
    for check in _most_telling_first(shown):
        _print_failure(console, check)
    hidden = [c for c in failures if c not in shown]
    if hidden and not result.all_todo:
        console.print(Text(f"({_count_by_status(hidden)}; add --verbose to see them all)", style="dim"))
    _print_summary(console, result)
    if sandbox_note:
        _print_sandbox_note(console, result.sandbox)


def _print_table(console, checks: list[CheckResult]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("check", overflow="fold", ratio=1)
    table.add_column("tier", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    for check in checks:
        mark, word, style = STATUS_LABELS[check.status]
        table.add_row(Text(mark, style=style), Text(check.title), check.tier,
                      f"{_number(check.points)}/{_number(check.max_points)}", Text(word, style=style))
    console.print(table)


def _print_blocks(console, checks: list[CheckResult]) -> None:
    """The narrow layout: the title on its own lines (wrapped between words), then tier, points, result."""
    from rich.text import Text

    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    for check in checks:
        mark, word, style = STATUS_LABELS[check.status]
        grid.add_row(Text(mark, style=style), Text(check.title))
        grid.add_row("", Text.assemble(f"{check.tier} · {_number(check.points)}/{_number(check.max_points)} · ",
                                       (word, style)))
    console.print(grid)


def _count_by_status(checks: list[CheckResult]) -> str:
    """'14 more not detailed: 13 todo and 1 failed': what the checks not detailed are."""
    counts: dict[str, int] = {}
    for check in checks:
        word = STATUS_LABELS[check.status][1]
        counts[word] = counts.get(word, 0) + 1
    parts = [f"{n} {word}" for word, n in counts.items()]
    total = len(checks)
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{total} more not detailed: {listed}"


def _print_sandbox_note(console, sandbox: dict | None) -> None:
    """One line below the full sandbox level: the score is honest, the machine less protected."""
    from rich.text import Text

    if sandbox and sandbox.get("level") != "full":
        console.print(Text(f"Note: the sandbox is at the {sandbox.get('level')} level here (some protections are "
                           f"off); `grade doctor` says which and how to turn them on.", style="dim"))


def _worth_showing(failures: list[CheckResult]) -> list[CheckResult]:
    """The most telling few failures, but only one line of 'todo' noise for an untouched stub."""
    if failures and all(c.status == "todo" for c in failures):
        return []
    interesting = [c for c in failures if c.status != "todo" and not _skipped(c)]
    return _most_telling_first(interesting)[:3]


def _skipped(check: CheckResult) -> bool:
    """Not run because its function already timed out: the timeout itself is the detail to show."""
    return check.status == "timeout" and check.message.startswith("skipped:")


def _most_telling_first(failures: list[CheckResult]) -> list[CheckResult]:
    """A named mistake says most, then a check against the reference, then the rest in course order."""
    tiers = {"reference": 0, "contract": 1, "properties": 2, "stability": 3}  # nan at 1e4 says least

    def rank(check: CheckResult) -> tuple:
        return (_skipped(check), check.diagnosis is None, tiers.get(check.tier, 2))

    return sorted(failures, key=rank)  # stable: ties keep the spec's order


def _print_failure(console, check: CheckResult) -> None:
    from rich.table import Table
    from rich.text import Text

    mark, word, style = STATUS_LABELS[check.status]
    console.print()
    console.print(Text.assemble((f"{mark} {check.title}", f"bold {style}"), (f"  [{check.id}]", "dim")))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    rows = [("why", check.message), ("input", check.counterexample), ("got", check.got),
            ("expected", check.expected), ("mistake", check.diagnosis), ("hint", check.hint),
            ("printed", check.printed.rstrip() if check.printed else None)]
    for label, value in rows:
        if value:
            grid.add_row(label, Text(value))
    console.print(grid)


def _print_summary(console, result: TopicResult) -> None:
    from rich.text import Text

    console.print()
    if result.complete:
        console.print(Text(f"{_number(result.score)}/{_number(result.max_score)} points: {result.topic} passed.",
                           style="bold green"))
        return
    line = Text(f"{_number(result.score)}/{_number(result.max_score)} points ({_percent(result.percent)}).",
                style="bold")
    if result.all_todo:
        line.append(f" Nothing written yet: open exercises/{result.topic}.py and replace each "
                    f"`raise NotImplementedError`.", style="")
    else:
        line.append(f" Stuck? Run `grade hint {result.topic}`.", style="")
    console.print(line)


def print_run(console, run: RunResult, *, verbose: bool = False) -> None:
    for index, topic in enumerate(run.topics):
        if index:
            console.rule(style="dim")
        print_topic(console, topic, verbose=verbose, sandbox_note=False)
    if len(run.topics) > 1:
        from rich.text import Text

        console.rule(style="dim")
        passed = sum(t.complete for t in run.topics)
        console.print(Text(f"Total: {_number(run.score)}/{_number(run.max_score)} points ({_percent(run.percent)}), "
                           f"{passed} of {len(run.topics)} topics at full marks.", style="bold"))
    _print_sandbox_note(console, next((t.sandbox for t in run.topics if t.sandbox), None))


def _percent(percent: float) -> str:
    return f"{shown_percent(percent):.1f}%"


def _number(value: float) -> str:
    return f"{value:g}"
