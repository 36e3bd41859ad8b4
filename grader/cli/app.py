"""The `grade` click group and what every command shares: topic lookup, options, the console."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from grader.course import catalog
from grader.api import NotInProject, project_root

FORMATS = ("table", "json", "junit", "gradescope", "csv")
EXIT_OK, EXIT_BELOW = 0, 1  # click itself exits 2 on usage errors


def complete_topics(ctx, param, incomplete):
    return [name for name in catalog.load().names if name.startswith(incomplete)]


class TopicGroup(click.Group):
    """`grade softmax` grades a topic; `grade list` runs a command."""

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, self._options_before_topic(list(args)))

    def _options_before_topic(self, args: list[str]) -> list[str]:
        """`grade -v softmax`, `grade --exercises DIR all`: move the command (or topic) to the front.

        Click reads options before a command as the group's own; the group has none but --help
        and --version, so options that come first belong to the command that follows them.
        """
        if not args or not args[0].startswith("-") or args[0] in ("-h", "--help", "--version"):
            return args
        takes_value = {name for command in self.commands.values() for param in command.params
                       if isinstance(param, click.Option) and not param.is_flag for name in param.opts}
        index = 0
        while index < len(args) and args[index].startswith("-"):
            if args[index] == "--":
                return args
            if args[index] in takes_value:  # "--exercises DIR"; "--exercises=DIR" is one token
                index += 1
            index += 1
        if index >= len(args):
            return args
        first = args[index]
        if first in self.commands:
            return [first, *args[:index], *args[index + 1:]]
        return ["check", *args]

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
                     help="table for people; json, junit, gradescope or csv (a row per check) for machines."),
        click.option("--profile", type=click.Choice(("quick", "thorough")), default="quick", show_default=True,
                     help="How many generated inputs each check tries."),
        click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT",
                     help="Exit 0 when the score, as printed (one decimal), is at least PCT percent "
                          "[default: full marks]."),
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
        from grader.progress import overview

        console = make_console()
        learner_state = load_state_or_none(console)
        if learner_state is None:
            return
        overview.print_list(console, catalog.load(), learner_state)
        overview.print_next_step(console, catalog.load(), learner_state)


def require_project() -> Path:
    """The project root, or a clear error (exit 1) before anything is read or written."""
    try:
        return project_root()
    except NotInProject as err:
        raise click.ClickException(str(err)) from None


def load_state_or_none(console):
    """The learner's state; outside a project, the course alone with a note (nothing is written)."""
    from grader.progress import overview, state

    try:
        root = project_root()
    except NotInProject as err:
        overview.print_list(console, catalog.load(), state.State(Path(".grade", "state.json")))
        console.print()
        console.print(f"{err}; no progress shown.")
        return None
    learner_state = state.load(root)
    warn(console, learner_state.warning)
    return learner_state


def save_or_fail(learner_state, what: str) -> None:
    """Save the learner's state, or stop with a clear error (exit 1) that says nothing was changed."""
    try:
        learner_state.save()
    except OSError as err:
        raise click.ClickException(f"could not record {what}: {reason(err)}; nothing was changed") from None


def reason(err: OSError) -> str:
    return f"{err.strerror} ({err.filename})" if err.strerror and err.filename else str(err)


def resolve_topics(typed) -> list[str]:
    known = catalog.load()
    names = []
    for text in typed:
        try:
            names.append(known.resolve(text))
        except catalog.UnknownTopic as err:
            raise click.UsageError(str(err)) from None
    return list(dict.fromkeys(names))


def make_console():
    """The console every command prints on; piped, its lines carry no padding at the end."""
    import sys

    from rich.console import Console

    stream = sys.stdout
    if stream is None or not stream.isatty():
        return Console(highlight=False, file=TrimmedLines(stream))
    return Console(highlight=False)


class TrimmedLines:
    """A text stream that drops the spaces rich pads table lines with (they end up in files and diffs)."""

    def __init__(self, stream):
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.stream.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:  # a line without its newline yet: written as it is
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.stream.fileno()


@contextmanager
def while_grading(console, topic: str, after: float = 1.0):
    """A spinner naming the topic being graded, once grading has taken `after` seconds.

    Only on a terminal: piped and JSON output never carry it. Yields a function that names the
    next topic.
    """
    if not console.is_terminal:
        yield lambda name: None
        return
    import threading

    status = console.status(f"grading {topic}...", spinner="dots")
    lock = threading.Lock()
    state = {"done": False, "started": False}

    def start():
        with lock:
            if not state["done"]:
                status.start()
                state["started"] = True

    timer = threading.Timer(after, start)
    timer.daemon = True
    timer.start()
    try:
        yield lambda name: status.update(f"grading {name}...")
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["started"]:
                status.stop()


def warn(console, warning: str | None) -> None:
    if warning:
        from rich.markup import escape

        console.print(f"[yellow]warning:[/] {escape(warning)}")

