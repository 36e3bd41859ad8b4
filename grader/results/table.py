"""Draw results as a rich table for people. Nothing here grades."""

from __future__ import annotations

from grader.results.model import CheckResult, RunResult, TopicResult

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
    from rich.table import Table
    from rich.text import Text

    console.print(Text.assemble((result.title, "bold"), f"  ({result.topic})"))
    if result.problem:
        console.print(Text(f"! {result.problem}", style="red"))
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("check", overflow="fold", ratio=1)
    table.add_column("tier", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    for check in result.checks:
        mark, word, style = STATUS_LABELS[check.status]
        table.add_row(Text(mark, style=style), Text(check.title), check.tier,
                      f"{_number(check.points)}/{_number(check.max_points)}", Text(word, style=style))
    console.print(table)
    failures = [c for c in result.checks if not c.passed]
    shown = failures if verbose else _worth_showing(failures)
    for check in shown:
        _print_failure(console, check)
    hidden = len(failures) - len(shown)
    if hidden and not result.all_todo:
        console.print(Text(f"({hidden} more failing check{'s' if hidden > 1 else ''} not detailed: "
                           f"add --verbose to see them all)", style="dim"))
    _print_summary(console, result)
    if sandbox_note:
        _print_sandbox_note(console, result.sandbox)


def _print_sandbox_note(console, sandbox: dict | None) -> None:
    """One line below the full sandbox level: the score is honest, the machine less protected."""
    from rich.text import Text

    if sandbox and sandbox.get("level") != "full":
        console.print(Text(f"Note: the sandbox is at the {sandbox.get('level')} level here (some protections are "
                           f"off); `grade doctor` says which and how to turn them on.", style="dim"))


def _worth_showing(failures: list[CheckResult]) -> list[CheckResult]:
    """The first few failures, but only one line of 'todo' noise for an untouched stub."""
    if failures and all(c.status == "todo" for c in failures):
        return []
    interesting = [c for c in failures if c.status != "todo"]
    return interesting[:3]


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
            ("printed", check.printed)]
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
    line = Text(f"{_number(result.score)}/{_number(result.max_score)} points ({result.percent:.0f}%).",
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
        console.print(Text(f"Total: {_number(run.score)}/{_number(run.max_score)} points ({run.percent:.0f}%), "
                           f"{passed} of {len(run.topics)} topics at full marks.", style="bold"))
    _print_sandbox_note(console, next((t.sandbox for t in run.topics if t.sandbox), None))


def _number(value: float) -> str:
    return f"{value:g}"
