"""The quiz in a terminal, drawn with rich: a header, one question at a time, the verdict at
once, then a summary table. A format error (or an empty line) asks again and costs nothing;
Ctrl-C or the end of input stops cleanly and keeps the answers given so far.
Readable at 80 columns, with NO_COLOR, and piped: every mark is also a word.
"""

from __future__ import annotations

from typing import Callable

from grader.quiz.marking import format_value
from grader.quiz.parsers import HOW_TO_ANSWER, FormatError, label
from grader.quiz.results import QuestionResult, QuizResult
from grader.quiz.session import Quiz, answer, unanswered
from grader.quiz.variants import Posed

VERDICTS = {  # status -> (mark, word, style)
    "correct": ("✓", "right", "green"),
    "partial": ("◐", "partly right", "yellow"),
    "wrong": ("✗", "wrong", "red"),
    "invalid": ("✗", "unreadable", "red"),
    "unanswered": ("·", "not answered", "dim"),
}


def read_line(console, prompt: str) -> str:
    """One line from the learner (KeyboardInterrupt on Ctrl-C, EOFError at the end of input)."""
    return console.input(prompt)


def print_header(console, quiz: Quiz, *, note: str = "", paper: bool = False) -> None:
    from rich.text import Text

    count = len(quiz.posed)
    console.print(Text.assemble(("Quiz: ", "bold"), (quiz.title, "bold"), f"  ({quiz.topic})"))
    console.print(f"{count} question{'s' if count != 1 else ''}, {_number(quiz.max_score)} points, "
                  f"variant {quiz.variant}." + ("" if paper else " Ctrl-C stops; answers given so far are kept."))
    if note:
        console.print(Text(note, style="dim"))


def print_question(console, posed: Posed, number: int, total: int, *, how: bool = True) -> None:
    from rich.syntax import Syntax
    from rich.text import Text

    console.print()
    points = _number(posed.points)
    console.rule(Text(f"Question {number} of {total} · {posed.kind} · {points} point{'s' if points != '1' else ''}"
                      f" · variant {posed.variant}", style="bold"), align="left", style="dim")
    console.print(Text(posed.prompt))
    if posed.code:
        from rich.padding import Padding

        # Indented as well as highlighted: the code stands apart with NO_COLOR and when piped.
        console.print(Padding(Syntax(posed.code, "python", theme="ansi_dark", word_wrap=True,
                                     background_color="default"), (0, 0, 0, 4), expand=False))
    choices = [(f"{label(i)})", o.text) for i, o in enumerate(posed.options)]
    choices += [(f"{i + 1}.", step) for i, step in enumerate(posed.steps)]
    if choices:
        from rich.table import Table

        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True, style="bold", justify="right", min_width=4)  # "  a)", " 10."
        grid.add_column(overflow="fold")  # long options wrap under their own text, not under the label
        for mark, text in choices:
            grid.add_row(mark, Text(text))
        console.print(grid)
    if how:
        console.print(Text(f"Answer with {HOW_TO_ANSWER[posed.kind]}.", style="dim"))


def ask(console, posed: Posed, read: Callable[[object, str], str]) -> QuestionResult:
    """Prompt until the answer can be read, then grade it."""
    from rich.text import Text

    while True:
        text = read(console, "> ")
        if not text.strip():
            continue
        try:
            return answer(posed, text)
        except FormatError as err:
            console.print(Text(f"Cannot read that: {err}. Try again (this costs nothing).", style="yellow"))


def print_verdict(console, result: QuestionResult) -> None:
    from rich.text import Text

    mark, word, style = VERDICTS[result.status]
    line = Text.assemble((f"{mark} {word}", f"bold {style}"),
                         f"  {_number(result.points)}/{_number(result.max_points)}")
    if result.status != "correct":
        line.append(f"   the answer: {result.correct}")
    console.print(line)
    if result.misconception:
        console.print(Text.assemble(("Misconception: ", "bold magenta"), (result.misconception, "magenta")))
    for note in result.feedback:
        console.print(Text(note))
    if result.explanation:
        console.print(Text.assemble(("Why: ", "bold"), result.explanation))


def run(console, quiz: Quiz, read: Callable[[object, str], str] | None = None) -> QuizResult:
    """Ask every question in turn; on Ctrl-C or end of input stop and keep what was answered."""
    read = read or read_line
    results: list[QuestionResult] = []
    interrupted = False
    for number, posed in enumerate(quiz.posed, 1):
        print_question(console, posed, number, len(quiz.posed))
        try:
            result = ask(console, posed, read)
        except (KeyboardInterrupt, EOFError):
            interrupted = True
            console.print()
            console.print(f"Stopped at question {number}: {kept(len(results))}.")
            break
        results.append(result)
        print_verdict(console, result)
    results += [unanswered(p) for p in quiz.posed[len(results):]]
    return QuizResult(quiz.topic, quiz.title, quiz.variant, results, interrupted=interrupted)


def kept(count: int) -> str:
    return f"your {count} answer so far is kept" if count == 1 else f"your {count} answers so far are kept"


def print_summary(console, result: QuizResult) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print()
    table = Table(show_edge=False, pad_edge=False, title=None)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("question", overflow="fold", ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    for number, question in enumerate(result.questions, 1):
        mark, word, style = VERDICTS[question.status]
        word = question.misconception and f"{word}: {question.misconception}" or word
        table.add_row(str(number), question.id, question.kind,
                      f"{_number(question.points)}/{_number(question.max_points)}",
                      Text(f"{mark} {word}", style=style, overflow="fold"))
    console.print(table)
    console.print()
    score = Text(f"{_number(result.score)}/{_number(result.max_score)} points ({result.percent:.0f}%)",
                 style="bold")
    if result.score >= result.max_score:
        score.append(f": every answer right. {result.topic} quiz passed.", style="green")
    elif result.missed:
        score.append(". Missed questions come back in `grade review`.", style="")
    console.print(score)


def print_results(console, result: QuizResult) -> None:
    """Every question with its verdict (the report of a graded answers file)."""
    from rich.text import Text

    console.print(Text.assemble(("Quiz: ", "bold"), (result.title, "bold"), f"  ({result.topic}), "
                                f"variant {result.variant}"))
    for number, question in enumerate(result.questions, 1):
        console.print()
        console.print(Text(f"{number}. {question.id} ({question.kind})", style="bold"))
        if question.given is not None:
            console.print(Text(f"you answered: {question.given}"))
        print_verdict(console, question)
    print_summary(console, result)


def print_paper(console, quiz: Quiz) -> None:
    """Every question of the variant without answers: a paper quiz."""
    print_header(console, quiz, paper=True, note="Answer in a TOML or JSON file, question id = answer, then run "
                                     f"grade quiz {quiz.topic} --variant {quiz.variant} --answers FILE")
    for number, posed in enumerate(quiz.posed, 1):
        print_question(console, posed, number, len(quiz.posed))
        console.print(f"id: {posed.id}", style="dim")


def paper_dict(quiz: Quiz) -> dict:
    from grader.results.model import SCHEMA

    questions = []
    for posed in quiz.posed:
        options = [{"label": label(i), "text": o.text} for i, o in enumerate(posed.options)]
        options += [{"label": str(i + 1), "text": step} for i, step in enumerate(posed.steps)]
        questions.append({"id": posed.id, "kind": posed.kind, "variant": posed.variant,
                          "parameters": {k: _jsonable(v) for k, v in (posed.parameters or {}).items()},
                          "prompt": posed.prompt, "code": posed.code, "options": options, "points": posed.points})
    return {"schema": SCHEMA, "kind": "quiz-paper", "topic": quiz.topic, "title": quiz.title,
            "variant": quiz.variant, "max_score": quiz.max_score, "questions": questions}


def _jsonable(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return format_value(value)


def _number(value: float) -> str:
    return f"{round(value, 2):g}"  # partial credit as 0.33, not 0.333333
