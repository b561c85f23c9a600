"""The shared argument checks of gdguide._validate, where the callers' tests do not reach."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from gdguide import _validate
from gdguide._validate import (
    as_float_array,
    check_device,
    check_float32,
    check_function_at,
    check_int,
    check_scalar_result,
)


def test_check_int_maximum():
    assert check_int("n_steps", 10, minimum=0, maximum=10) == 10
    with pytest.raises(ValueError, match=r"n_steps must be <= 10 \(a sane maximum"):
        check_int("n_steps", 11, minimum=0, maximum=10)


def test_check_float32():
    assert check_float32("w", -3.4e38) == -3.4e38
    with pytest.raises(ValueError, match="w must lie within the float32 range"):
        check_float32("w", 1e39)


def test_devices_follow_what_this_machine_has(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert _validate.available_devices() == ["cpu", "cuda:0", "cuda:1", "mps"]
    assert check_device("cuda") == torch.device("cuda")
    assert check_device(torch.device("cuda", 1)) == torch.device("cuda:1")
    assert check_device("mps") == torch.device("mps")
    with pytest.raises(ValueError, match=r"device must be available on this machine "
                       r"\(cpu, cuda:0, cuda:1, mps\), got 'cuda:2'$"):
        check_device("cuda:2")
    with pytest.raises(ValueError, match="device must be available"):
        check_device("meta")


def test_no_cuda_is_explained(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match=r"sees no CUDA GPU \(torch\.cuda\.is_available\(\)"):
        check_device("cuda")
    assert check_device("cpu") == torch.device("cpu") and check_device(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2, 2.0), (np.float32(0.5), 0.5), (np.array([[3.0]]), 3.0), (torch.tensor([1.5]), 1.5)],
)
def test_scalar_result_accepts_one_real_number(value, expected):
    assert check_scalar_result("fn", value) == expected


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (None, TypeError, "fn must return a real number .*NoneType None at w"),
        (True, TypeError, "fn must return a real number"),
        (1 + 5j, TypeError, "fn must return a real number"),
        (np.array([1 + 5j]), TypeError, "fn must return a real number, got dtype complex128 at w"),
        (torch.tensor(True), TypeError, "got dtype torch.bool"),
        (np.ones(2), ValueError, r"fn must return a scalar, got an array of shape \(2,\) at w"),
        (torch.ones(2, 2), ValueError, r"fn must return a scalar, got a tensor of shape \(2, 2\)"),
    ],
)
def test_scalar_result_names_the_function(value, error, match):
    with pytest.raises(error, match=match):
        check_scalar_result("fn", value, "at w")


def test_function_at_a_point():
    assert check_function_at("fn", lambda w: float(w.sum()), np.array([1.0, 2.0])) == 3.0
    with pytest.raises(ValueError, match=r"fn must return a finite number at \[1\.0\], got inf"):
        check_function_at("fn", lambda w: math.inf, np.array([1.0]))
    with pytest.raises(TypeError, match="fn must be callable"):
        check_function_at("fn", 3, np.array([1.0]))


def test_ragged_lists_are_named():
    with pytest.raises(TypeError, match="start must be array-like of real numbers"):
        as_float_array("start", [[1.0], [1.0, 2.0]])
