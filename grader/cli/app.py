"""The `grade` click group and what every command shares: topic lookup, options, the console."""

from __future__ import annotations

from pathlib import Path

import click

from grader.course import catalog
from grader.api import find_root

FORMATS = ("table", "json")
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
                     help="table for people, json for machines."),
        click.option("--profile", type=click.Choice(("quick", "thorough")), default="quick", show_default=True,
                     help="How many generated inputs each check tries."),
        click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PCT",
                     help="Exit 0 when the score, as printed (one decimal, rounded down), is at least PCT percent [default: full marks]."),
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
        from grader.progress import overview, state

        learner_state = state.load(find_root())
        console = make_console()
        warn(console, learner_state.warning)
        overview.print_list(console, catalog.load(), learner_state)
        overview.print_next_step(console, catalog.load(), learner_state)


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
    from rich.console import Console

    return Console(highlight=False)


def warn(console, warning: str | None) -> None:
    if warning:
        from rich.markup import escape

        console.print(f"[yellow]warning:[/] {escape(warning)}")

