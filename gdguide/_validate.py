"""Argument checks shared by the public functions.

Every helper raises ``TypeError`` for a value of the wrong kind and ``ValueError`` for a value of
the right kind that is out of range, and every message names the argument, the value received and
what was expected, so a learner can fix the call without reading the library.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

LANGUAGES = ("en", "ja")


def _short(value: Any) -> str:
    """Return a short ``repr`` of *value* for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    return type(value).__name__


def check_real(name: str, value: Any, *, finite: bool = True) -> float:
    """Check that *value* is a real number (not bool) and return it as ``float``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_kind(value)} {_short(value)}")
    result = float(value)
    if finite and not math.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result!r}")
    return result


def check_positive(name: str, value: Any) -> float:
    """Check that *value* is a finite real number greater than zero."""
    result = check_real(name, value)
    if result <= 0:
        raise ValueError(f"{name} must be > 0, got {result!r}")
    return result


def check_int(name: str, value: Any, *, minimum: int | None = None) -> int:
    """Check that *value* is an ``int`` (not bool), at least *minimum* when given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_kind(value)} {_short(value)}")
    result = int(value)
    if minimum is not None and result < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {result!r}")
    return result


def check_bool(name: str, value: object) -> bool:
    """Check that *value* is ``True`` or ``False`` (not 0, 1 or None)."""
    if not isinstance(value, bool):
        raise TypeError(
            f"{name} must be a bool (True or False), got {_kind(value)} {_short(value)}"
        )
    return value


def check_device(device: object) -> torch.device | None:
    """Check a ``device`` argument: ``None``, a device name or a ``torch.device``."""
    if device is None:
        return None
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(
            f"device must be None, a str such as 'cpu' or 'cuda', or a torch.device, got "
            f"{_kind(device)} {_short(device)}"
        )
    try:
        return torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device must name a torch device such as 'cpu' or 'cuda:0', got {device!r}"
        ) from None


def check_lang(lang: Any) -> str:
    """Check that *lang* is one of the site's languages."""
    if not isinstance(lang, str):
        raise TypeError(f"lang must be a str, one of {LANGUAGES}, got {_kind(lang)} {_short(lang)}")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    return lang


def check_callable(name: str, value: Any) -> Callable[..., Any]:
    """Check that *value* can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {_kind(value)} {_short(value)}")
    return value


def check_tensor(
    name: str, value: Any, *, ndim: int | None = None, finite: bool = True
) -> torch.Tensor:
    """Check that *value* is a floating-point ``torch.Tensor`` of *ndim* dimensions."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {_kind(value)} {_short(value)}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimension(s), got shape {tuple(value.shape)}"
        )
    if finite and not bool(torch.isfinite(value.detach()).all()):
        raise ValueError(f"{name} must hold only finite values, got {_short(value)}")
    return value


def as_float_array(name: str, value: Any, *, finite: bool = True) -> np.ndarray:
    """Convert a real scalar or array-like to a float64 NumPy array, checking its values.

    Tensors are refused here on purpose: functions that accept both say so and dispatch
    before calling this helper.
    """
    if isinstance(value, bool) or isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be a real number or a NumPy array, got {_kind(value)} {_short(value)}"
        )
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(
            f"{name} must be a real number or a NumPy array, got {_kind(value)} {_short(value)}"
        )
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like of real numbers: {error}") from None
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise TypeError(
            f"{name} must hold real numbers, got an array of dtype {array.dtype} ({_short(value)})"
        )
    array = array.astype(np.float64, copy=False)
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite values, got {_short(value)}")
    return array
