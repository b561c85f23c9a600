"""Reading and quoting what the learner's code returned.

Conversions accept the many right ways to write an answer (Python floats, NumPy scalars and
arrays, tensors of any real dtype) and return ``None`` for anything that is not made of real
numbers; the ``*_text`` helpers quote values briefly and language-free for the messages.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from gdguide._validate import _kind

#: Relative tolerance of every comparison with the reference answer.
RTOL = 1e-5
#: Absolute tolerance for float64 answers (NumPy, math).
ATOL_FLOAT64 = 1e-8
#: Absolute tolerance for tensor answers, which may be float32, and for training losses.
ATOL_FLOAT32 = 1e-6

_MAX_TEXT = 160  # longest value or error text quoted in a message


def clip(text: str) -> str:
    """Shorten *text* to at most 160 characters."""
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def number_text(value: Any) -> str:
    """Format a number with 4 significant digits (``nan`` and ``inf`` as such).

    >>> number_text(0.123456), number_text(float("nan"))
    ('0.1235', 'nan')
    """
    value = float(value)
    if not math.isfinite(value):
        return repr(value)
    return f"{value:.4g}"


def _nested(values: Any) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(value) for value in values) + "]"
    return number_text(values)


def numbers_text(values: Sequence[Any]) -> str:
    """Format numbers as a tuple: ``(a, b, ...)``."""
    return clip("(" + ", ".join(number_text(value) for value in values) + ")")


def tensor_text(tensor: torch.Tensor) -> str:
    """Format a tensor's values as ``tensor([...])``, without grad_fn or dtype noise."""
    return clip(f"tensor({_nested(tensor.detach().cpu().double().tolist())})")


def value_text(value: Any) -> str:
    """Format any value the learner returned, briefly."""
    if isinstance(value, torch.Tensor) and not (value.is_complex() or value.dtype == torch.bool):
        return tensor_text(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return clip(_nested(value.astype(np.float64).tolist()))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return number_text(value)
    if isinstance(value, (tuple, list)) and len(value) <= 8:
        open_, close = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        return clip(open_ + ", ".join(value_text(item) for item in value) + close)
    return clip(repr(value))


def kind_text(value: Any) -> str:
    """Return the type of *value* for a message, with the dtype of arrays and tensors."""
    dtype = getattr(value, "dtype", None)
    if isinstance(value, (torch.Tensor, np.ndarray)) and dtype is not None:
        return f"{_kind(value)} ({dtype})"
    return _kind(value)


def error_text(error: BaseException) -> str:
    """``"TypeError: first line of the message"``, shortened."""
    message = str(error).strip().splitlines()
    first = message[0] if message else ""
    name = type(error).__name__
    if len(first) > _MAX_TEXT:  # keep the first sentence of a long explanation
        first = first.split(". ")[0]
    first = first.rstrip(".")
    return clip(f"{name}: {first}" if first else name)


def as_real_array(value: Any) -> np.ndarray | None:
    """Return *value* as a float64 array, or ``None`` if it is not made of real numbers.

    >>> as_real_array(torch.tensor([1, 2])).tolist(), as_real_array("1.0")
    ([1.0, 2.0], None)
    """
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.is_complex() or value.dtype == torch.bool:
            return None
        return value.double().numpy()
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged or exotic objects are simply "not numbers"
        return None
    if array.dtype.kind not in "iuf":
        return None
    return array.astype(np.float64)


def as_real_number(value: Any) -> float | None:
    """Return *value* as a float if it is one real number (a 0-d or one-element array too).

    >>> as_real_number(np.float32(0.5)), as_real_number(torch.tensor([2.0])), as_real_number([1, 2])
    (0.5, 2.0, None)
    """
    array = as_real_array(value)
    if array is None or array.size != 1:
        return None
    return float(array.reshape(()))


def as_items(value: Any, count: int) -> list[Any] | None:
    """Return the *count* items of a sequence, array or tensor, or ``None``.

    >>> as_items((1, 2), 2), as_items("ab", 2), as_items([1, 2, 3], 2)
    ([1, 2], None, None)
    """
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    try:
        items = list(value)
    except Exception:  # noqa: BLE001 - not iterable
        return None
    return items if len(items) == count else None


def close_float64(got: Any, expected: Any) -> bool:
    """Equal within ``rtol = 1e-5`` and ``atol = 1e-8`` (arrays element by element)."""
    return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL_FLOAT64))


def close_tensors(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """Tell whether both have one shape and are equal within rtol 1e-5 and atol 1e-6 (float64)."""
    if got.shape != expected.shape:
        return False
    return bool(
        torch.allclose(
            got.detach().cpu().double(),
            expected.detach().cpu().double(),
            rtol=RTOL,
            atol=ATOL_FLOAT32,
        )
    )
