"""Static detection of forbidden library calls: aliases, from-imports, getattr, dynamic imports."""

import pytest

from grader.judging import forbidden

FORBIDDEN = ("scipy.special.softmax", "numpy.linalg.svd", "torch.nn", "scipy.stats")
FUNCTIONS = ("softmax", "svd")


def found(source, methods=("softmax",)):
    return [(f.name, f.scope) for f in forbidden.find(source, FORBIDDEN, methods, FUNCTIONS)]


@pytest.mark.parametrize("source, name", [
    ("import scipy.special\ndef softmax(z):\n    return scipy.special.softmax(z)", "scipy.special.softmax"),
    ("import scipy.special as sp\ndef softmax(z):\n    return sp.softmax(z)", "scipy.special.softmax"),
    ("from scipy import special\ndef softmax(z):\n    return special.softmax(z)", "scipy.special.softmax"),
    ("import numpy as np\ndef svd(a):\n    return np.linalg.svd(a)", "numpy.linalg.svd"),
    ("import numpy.linalg as la\ndef svd(a):\n    return la.svd(a)", "numpy.linalg.svd"),
    ("import numpy as np\ndef svd(a):\n    f = getattr(np.linalg, 'svd')\n    return f(a)", "numpy.linalg.svd"),
    ("import torch\ndef softmax(z):\n    return torch.nn.functional.softmax(z)", "torch.nn.functional.softmax"),
    ("import importlib\ndef softmax(z):\n    return importlib.import_module('scipy.stats')", "scipy.stats"),
    ("def softmax(z):\n    return __import__('scipy.stats')", "scipy.stats"),
])
def test_forbidden_use_inside_a_function_is_found_in_that_function(source, name):
    function = source.split("def ")[1].split("(")[0]
    assert (name, function) in found(source)


def test_a_from_import_forbids_every_function():
    findings = forbidden.find("from scipy.special import softmax\n", FORBIDDEN, (), FUNCTIONS)
    assert forbidden.affected(findings, FUNCTIONS).keys() == set(FUNCTIONS)


def test_a_helper_using_a_forbidden_call_forbids_every_function():
    source = "import numpy as np\ndef _helper(a):\n    return np.linalg.svd(a)\ndef svd(a):\n    return _helper(a)\n"
    assert forbidden.affected(forbidden.find(source, FORBIDDEN, (), FUNCTIONS), FUNCTIONS).keys() == set(FUNCTIONS)


def test_tensor_methods_are_caught():
    assert (".softmax()", "softmax") in found("def softmax(z):\n    return z.softmax(dim=-1)")


@pytest.mark.parametrize("source", [
    "import numpy as np\ndef softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()",
    "import numpy as np\ndef svd(a):\n    return np.linalg.eigh(a.T @ a)",
    "import torch\ndef softmax(z):\n    return torch.exp(torch.as_tensor(z))",
    "def softmax(z):\n    return my_softmax(z)\ndef my_softmax(z):\n    return z",
    "from . import softmax\n",
])
def test_allowed_code_is_not_flagged(source):
    assert found(source) == []


def test_eval_and_exec_are_reported_as_unverifiable():
    names = [name for name, _ in found("def softmax(z):\n    return eval('z')")]
    assert names == ["eval"]
    message = forbidden.find("def softmax(z):\n    return eval('z')", FORBIDDEN, (), FUNCTIONS)[0].message()
    assert "cannot check" in message and "line 2" in message


def test_source_that_does_not_parse_has_no_findings():
    assert found("def softmax(:\n") == []


def test_a_method_the_learner_defines_is_not_the_library_one():
    source = ("class Layer:\n    def backward(self, grad):\n        return grad\n"
              "def softmax(z):\n    return Layer().backward(z)\n")
    assert found(source, methods=("backward",)) == []
    assert found("def softmax(z):\n    return z.backward()", methods=("backward",)) == [(".backward()", "softmax")]
