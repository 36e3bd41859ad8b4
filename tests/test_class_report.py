"""report.html: one self-contained page that holds the gradebook's numbers."""

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from grader.classroom import outputs, student
from grader.classroom.insights import class_insights
from grader.course import catalog
from grader.results.csv import gradebook
from helpers import SOLUTIONS, submit

TOPICS = ["softmax", "conv_params"]


class Tables(HTMLParser):
    """Every table's rows as lists of cell texts, by the table's id; and every external reference."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell, self.external = {}, None, None, None, []
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href"):
            if attrs.get(key):
                self.external.append(attrs[key])
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if tag == "svg":
            self.svgs += 1
        if tag == "table":
            self.current = attrs.get("id")
            self.tables[self.current] = []
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


@pytest.fixture(scope="module")
def class_records(tmp_path_factory):
    from helpers import grade

    root = tmp_path_factory.mktemp("report")
    reference = submit(root, "softmax", (SOLUTIONS / "softmax.py").read_text())
    (reference / "conv_params.py").write_text((SOLUTIONS / "conv_params.py").read_text())
    naive = submit(root / "b", "softmax", (SOLUTIONS / "softmax.py").read_text()
                   + "\n\ndef sigmoid(x):\n    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))\n")
    records = []
    for name, folder in (("ada <b>&amp;</b>", reference), ("ben", naive)):
        job = {"student": name, "digest": "0" * 64, "topics": TOPICS, "profile": "quick", "sandbox": "full"}
        topics = [grade(t, folder).to_dict() for t in TOPICS]
        records.append(student.make_record(job, topics, "graded", ""))
    empty = {"student": "cy", "digest": "1" * 64, "topics": TOPICS, "profile": "quick", "sandbox": "full"}
    records.append(student.make_record(empty, [], "no submission", "the folder holds no Python modules"))
    late = {"student": "dee", "digest": "2" * 64, "topics": TOPICS, "profile": "quick", "sandbox": "full"}
    records.append(student.make_record(late, [records[0]["result"]["topics"][0]], "timeout", "took longer"))
    return records


def test_the_report_is_self_contained_and_holds_the_gradebook(tmp_path, class_records):
    found = outputs.write_all(tmp_path, class_records, TOPICS, unsafe=False)
    page = (tmp_path / "report.html").read_text()
    parser = Tables()
    parser.feed(page)
    assert parser.external == [] and parser.svgs >= 3 and "<script" not in page
    book = list(csv.reader(io.StringIO((tmp_path / "gradebook.csv").read_text())))
    students = parser.tables["students"]
    assert students[0] == book[0]  # the same columns
    assert students[1:] == book[1:]  # and the same numbers, cell for cell
    assert "ada <b>&amp;</b>" in [row[0] for row in students]  # names are text, never markup
    insights = parser.tables["insights"]
    assert any("1 / (1 + exp(-x)) overflows" in row[1] for row in insights)
    assert any(row[0] == "timeout" and "dee" in row[1] for row in insights)
    checks = parser.tables["checks"]
    assert len(checks) - 1 == len(found["checks"])
    assert found["per_topic"][0]["topic"] == "softmax"
    assert "id=\"unsafe\"" not in page


def test_an_unsafe_class_says_so_in_every_output(tmp_path, class_records):
    unsafe = [dict(r, sandbox="basic") for r in class_records]
    outputs.write_all(tmp_path, unsafe, TOPICS, unsafe=True)
    assert 'id="unsafe"' in (tmp_path / "report.html").read_text()
    assert "--unsafe-no-sandbox" in (tmp_path / "junit.xml").read_text()
    assert "WITHOUT the full sandbox" in json.loads((tmp_path / "gradescope" / "ben.json").read_text())["output"]
    assert json.loads((tmp_path / "insights.json").read_text())["unsafe"] is True


def test_insights_count_students_not_occurrences(class_records):
    found = class_insights(class_records, TOPICS)
    assert found["submitted"] == 3 and found["students"] == 4
    named = [m for m in found["mistakes"] if "overflows" in m["mistake"]]
    assert len(named) == 1 and named[0]["students"] == 1 and named[0]["share"] == pytest.approx(1 / 3)
    softmax = next(t for t in found["per_topic"] if t["topic"] == "softmax")
    assert softmax["full_marks"] == 2 and softmax["students"] == 3  # ada and dee (graded before the timeout)
    assert [p["student"] for p in found["problems"]] == ["dee"]


def test_gradebook_quotes_every_field_and_defuses_formulas():
    text = gradebook([{"student": "=HYPERLINK(\"x\")", "scores": {"softmax": 1.5}, "total": 1.5, "max": 3.0,
                       "status": "graded"}], ["softmax"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=HYPERLINK(\"x\")", "1.5", "1.5", "3", "50.0", "graded"]
    assert all(line.startswith('"') for line in text.splitlines())
    assert catalog.load().names  # the course is there to grade
