"""conv_params: the reference against torch (Conv2d's parameters, F.conv2d's output shape),
the forbidden routines, and the checks that separate integer from floating-point arithmetic."""

import ast
import re

import pytest
import torch
from hypothesis import given, strategies as st

from grader.judging import judge
from grader.specs import conv_params as conv_spec
from helpers import SOLUTIONS, failing, grade, submit

SPEC = judge.load_spec("conv_params")
ref = SPEC.reference


def size_or_pair(sizes):
    return st.one_of(sizes, st.tuples(sizes, sizes))


def torch_param_count(c_in, c_out, kernel_size, groups, bias):
    layer = torch.nn.Conv2d(c_in, c_out, kernel_size, groups=groups, bias=bias, dtype=torch.float64)
    return sum(p.numel() for p in layer.parameters())


def torch_output_shape(h, w, kernel_size, stride, padding, dilation):
    """F.conv2d on zeros: one image, one channel, so the tensors stay tiny."""
    kh, kw = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    x = torch.zeros(1, 1, h, w, dtype=torch.float64)
    weight = torch.zeros(1, 1, kh, kw, dtype=torch.float64)
    y = torch.nn.functional.conv2d(x, weight, stride=stride, padding=padding, dilation=dilation)
    return tuple(y.shape[-2:])


# ---------------------------------------------------------------- the reference against torch

def test_the_catalog_example_3_to_64_channels_3x3_has_1792_parameters():
    assert torch_param_count(3, 64, 3, 1, True) == 1792
    assert ref.conv2d_param_count(3, 64, 3) == 1792


@given(groups=st.integers(1, 4), per_in=st.integers(1, 4), per_out=st.integers(1, 4),
       kernel_size=size_or_pair(st.integers(1, 5)), bias=st.booleans())
def test_param_count_equals_the_parameters_of_torch_conv2d(groups, per_in, per_out, kernel_size, bias):
    c_in, c_out = groups * per_in, groups * per_out
    count = ref.conv2d_param_count(c_in, c_out, kernel_size, groups=groups, bias=bias)
    assert type(count) is int
    assert count == torch_param_count(c_in, c_out, kernel_size, groups, bias)


@given(c_in=st.integers(1, 8), c_out=st.integers(1, 8), groups=st.integers(1, 8))
def test_groups_are_rejected_exactly_when_torch_rejects_them(c_in, c_out, groups):
    try:
        torch_param_count(c_in, c_out, 1, groups, True)
        torch_accepts = True
    except ValueError:
        torch_accepts = False
    if torch_accepts:
        expected = torch_param_count(c_in, c_out, 1, groups, True)
        assert ref.conv2d_param_count(c_in, c_out, 1, groups=groups) == expected
    else:
        with pytest.raises(ValueError):
            ref.conv2d_param_count(c_in, c_out, 1, groups=groups)


@given(h=st.integers(1, 12), w=st.integers(1, 12), kernel_size=size_or_pair(st.integers(1, 5)),
       stride=size_or_pair(st.integers(1, 4)), padding=size_or_pair(st.integers(0, 3)),
       dilation=size_or_pair(st.integers(1, 3)))
def test_output_shape_equals_torch_conv2d_and_fails_exactly_when_it_does(h, w, kernel_size, stride, padding,
                                                                          dilation):
    try:
        expected = torch_output_shape(h, w, kernel_size, stride, padding, dilation)
    except RuntimeError:  # torch: "Kernel size can't be greater than actual input size"
        with pytest.raises(ValueError):
            ref.conv2d_output_shape(h, w, kernel_size, stride, padding, dilation)
        return
    shape = ref.conv2d_output_shape(h, w, kernel_size, stride=stride, padding=padding, dilation=dilation)
    assert type(shape) is tuple and all(type(side) is int for side in shape)
    assert shape == expected


@pytest.mark.parametrize("bad", [dict(c_in=True), dict(c_out=True), dict(kernel_size=True),
                                 dict(kernel_size=(3, False)), dict(groups=True)])
def test_a_bool_is_not_a_size_for_the_param_count(bad):
    # torch.nn.Conv2d(True, 8, 3) builds a layer; the contract here says a bool is a ValueError.
    with pytest.raises(ValueError):
        ref.conv2d_param_count(**{**dict(c_in=4, c_out=8, kernel_size=3, groups=1), **bad})


@pytest.mark.parametrize("bad", [dict(h=True), dict(w=True), dict(kernel_size=(True, 1)), dict(stride=True),
                                 dict(padding=False), dict(dilation=(1, True))])
def test_a_bool_is_not_a_size_for_the_output_shape(bad):
    with pytest.raises(ValueError):
        ref.conv2d_output_shape(**{**dict(h=8, w=8, kernel_size=1), **bad})


def test_the_docstring_examples_are_true():
    tree = ast.parse((SOLUTIONS / "conv_params.py").read_text(encoding="utf-8"))
    examples = [re.search(r"Example: (.+) -> (.+)", ast.get_docstring(node)).groups()
                for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
                and node.name != "cnn_param_count"]  # its multi-line LeNet example: test_lenet_has_61706_...
    assert len(examples) == 2
    namespace = vars(ref.module())
    for call, result in examples:
        assert eval(call, namespace) == ast.literal_eval(result), call


# ---------------------------------------------------------------- forbidden routines

BUILDS_THE_LAYER = '''
{reference}

def conv2d_param_count(c_in, c_out, kernel_size, groups=1, bias=True):
    import torch.nn as nn
    return sum(p.numel() for p in nn.Conv2d(c_in, c_out, kernel_size, groups=groups, bias=bias).parameters())
'''

RUNS_THE_LAYER = '''
{reference}

def conv2d_output_shape(h, w, kernel_size, stride=1, padding=0, dilation=1):
    import torch
    from torch.nn.functional import conv2d
    k = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
    y = conv2d(torch.zeros(1, 1, h, w), torch.zeros(1, 1, *k), stride=stride, padding=padding, dilation=dilation)
    return tuple(y.shape[-2:])
'''


@pytest.mark.parametrize(("template", "function"), [(BUILDS_THE_LAYER, "conv2d_param_count"),
                                                    (RUNS_THE_LAYER, "conv2d_output_shape")])
def test_building_or_running_the_layer_is_forbidden_in_that_function(tmp_path, template, function):
    reference = (SOLUTIONS / "conv_params.py").read_text(encoding="utf-8")
    result = grade("conv_params", submit(tmp_path, "conv_params", template.format(reference=reference)))
    assert {c.status for c in result.checks if c.function == function} == {"forbidden"}
    # cnn_param_count reuses both functions, so only the other one's checks are sure to pass
    assert {c.status for c in result.checks if c.function not in (function, "cnn_param_count")} == {"passed"}


def test_importing_torch_nn_at_module_level_forbids_both_functions(tmp_path):
    reference = (SOLUTIONS / "conv_params.py").read_text(encoding="utf-8")
    header = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:  # never runs, but the import is still there\n" \
             "    from torch import nn\n"
    result = grade("conv_params", submit(tmp_path, "conv_params", header + reference))
    assert {c.status for c in result.checks} == {"forbidden"}
    assert "torch.nn" in result.checks[0].message


# ---------------------------------------------------------------- integer arithmetic

FLOAT_ROUTE = {
    "weights = c_out * (c_in // groups) * kh * kw": "weights = int(c_out * (c_in / groups) * kh * kw)",
    "out.append((size + 2 * p - span) // s + 1)": "out.append(int((size + 2 * p - span) / s) + 1)",
}


def test_only_the_stability_checks_catch_a_formula_computed_in_floats(tmp_path):
    source = (SOLUTIONS / "conv_params.py").read_text(encoding="utf-8")
    for exact, rounded in FLOAT_ROUTE.items():
        assert exact in source
        source = source.replace(exact, rounded)
    result = grade("conv_params", submit(tmp_path, "conv_params", source))
    assert {c.id for c in failing(result)} == {"conv_params.param_count_is_exact_for_huge_layers",
                                               "conv_params.output_shape_is_exact_for_huge_inputs"}
    assert all("2**53" in c.message for c in failing(result))


def test_the_huge_examples_are_beyond_what_floats_and_int32_represent():
    check = next(c for c in SPEC.checks if c.id == "conv_params.param_count_is_exact_for_huge_layers")
    counts = [ref.conv2d_param_count(**example) for example in check.examples]
    assert any(count > 2**53 and int(float(count)) != count for count in counts)
    assert all(2**31 < count < 2**63 for count in counts)  # an int64 solution is still right


def test_a_float_result_fails_the_contract_even_when_its_value_is_right(tmp_path):
    source = (SOLUTIONS / "conv_params.py").read_text(encoding="utf-8")
    source += "\n\n_exact = conv2d_param_count\nconv2d_param_count = lambda *a, **k: float(_exact(*a, **k))\n"
    result = grade("conv_params", submit(tmp_path, "conv_params", source))
    failed = {c.id: c for c in failing(result)}
    assert "conv_params.param_count_returns_int" in failed
    assert "is a float; expected an int" in failed["conv_params.param_count_returns_int"].message
    # Values are judged leniently outside the contract tier: 1792.0 equals 1792.
    assert "conv_params.param_count_matches_reference" not in failed


def torch_cnn_param_count(input_shape, layers):
    """The same network in torch on the meta device: each Linear's in_features read off the tensor that reaches it."""
    x = torch.zeros(1, *input_shape, device="meta")
    total = 0
    for layer in layers:
        if layer["type"] == "conv":
            module = torch.nn.Conv2d(x.shape[1], layer["out_channels"], layer["kernel_size"],
                                     stride=layer.get("stride", 1), padding=layer.get("padding", 0),
                                     dilation=layer.get("dilation", 1), groups=layer.get("groups", 1),
                                     bias=layer.get("bias", True), device="meta")
        elif layer["type"] == "pool":
            module = torch.nn.MaxPool2d(layer["kernel_size"], stride=layer.get("stride"),
                                        padding=layer.get("padding", 0))
        else:
            x = x.flatten(1)
            module = torch.nn.Linear(x.shape[1], layer["out_features"], bias=layer.get("bias", True), device="meta")
        x = module(x)
        total += sum(p.numel() for p in module.parameters())
    return total


@given(conv_spec.CNNS)
def test_cnn_param_count_matches_torch(network):
    assert ref.cnn_param_count(**network) == torch_cnn_param_count(**network)


def test_lenet_has_61706_parameters_in_torch_too():
    assert torch_cnn_param_count(**conv_spec.LENET) == ref.cnn_param_count(**conv_spec.LENET) == 61706
