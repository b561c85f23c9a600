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

from gdguide.languages import CODES, LANGUAGES, Language


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


def check_nonnegative(name: str, value: Any) -> float:
    """Check that *value* is a finite real number, zero or more."""
    result = check_real(name, value)
    if result < 0:
        raise ValueError(f"{name} must be >= 0, got {result!r}")
    return result


#: The largest finite float32 number: parameters stored as float32 must not exceed it.
FLOAT32_MAX = float(torch.finfo(torch.float32).max)


def check_float32(name: str, value: Any) -> float:
    """Check that *value* is a real number that float32 can hold (|value| <= 3.4e38).

    A larger number would silently become ``inf`` in a float32 tensor.
    """
    result = check_real(name, value)
    if abs(result) > FLOAT32_MAX:
        raise ValueError(
            f"{name} must lie within the float32 range (|{name}| <= {FLOAT32_MAX:.4g}), got "
            f"{result!r}, which float32 would store as infinity"
        )
    return result


def check_int(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Check that *value* is an ``int`` (not bool) within ``[minimum, maximum]`` when given.

    *maximum* is the documented sane limit of a count (epochs, steps, levels, samples): a larger
    count would run for hours or exhaust the memory rather than fail.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {_kind(value)} {_short(value)}")
    result = int(value)
    if minimum is not None and result < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {result!r}")
    if maximum is not None and result > maximum:
        raise ValueError(
            f"{name} must be <= {maximum} (a sane maximum for this count), got {result!r}"
        )
    return result


def check_str(name: str, value: Any) -> str:
    """Check that *value* is a ``str``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_kind(value)} {_short(value)}")
    return value


def check_bool(name: str, value: object) -> bool:
    """Check that *value* is ``True`` or ``False`` (not 0, 1 or None)."""
    if not isinstance(value, bool):
        raise TypeError(
            f"{name} must be a bool (True or False), got {_kind(value)} {_short(value)}"
        )
    return value


def available_devices() -> list[str]:
    """Return the names of the devices this machine can compute on: ``cpu``, ``cuda:i``, ``mps``."""
    names = ["cpu"]
    if torch.cuda.is_available():
        names += [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    if torch.backends.mps.is_available():
        names.append("mps")
    return names


def check_device(device: object) -> torch.device | None:
    """Check a ``device`` argument: ``None``, a device name or a ``torch.device``.

    The device must exist on this machine: ``"cuda"`` needs ``torch.cuda.is_available()`` (and
    ``"cuda:i"`` at least ``i + 1`` GPUs), ``"mps"`` needs ``torch.backends.mps.is_available()``;
    other device types are refused, so that a wrong device fails here, naming ``device``,
    rather than deep inside PyTorch.
    """
    if device is None:
        return None
    if isinstance(device, torch.device):
        target = device
    elif isinstance(device, str):
        try:
            target = torch.device(device)
        except RuntimeError:
            raise ValueError(
                f"device must name a torch device such as 'cpu' or 'cuda:0', got {device!r}"
            ) from None
    else:
        raise TypeError(
            f"device must be None, a str such as 'cpu' or 'cuda', or a torch.device, got "
            f"{_kind(device)} {_short(device)}"
        )
    available = available_devices()
    if target.type == "cpu":
        return target
    if target.type == "cuda" and torch.cuda.is_available():
        if target.index is None or target.index < torch.cuda.device_count():
            return target
    if target.type == "mps" and torch.backends.mps.is_available():
        return target
    raise ValueError(
        f"device must be available on this machine ({', '.join(available)}), got "
        f"{_short(device)}"
        + (
            "; this PyTorch sees no CUDA GPU (torch.cuda.is_available() is False)"
            if target.type == "cuda" and not torch.cuda.is_available()
            else ""
        )
    )


def check_lang(lang: Any) -> Language:
    """Check that *lang* is the code of one of the site's languages and return that language.

    The one place a ``lang`` argument is checked: a public function calls it where the code
    enters and passes the returned :class:`~gdguide.languages.Language` on.
    """
    if not isinstance(lang, str):
        raise TypeError(f"lang must be a str, one of {CODES}, got {_kind(lang)} {_short(lang)}")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {CODES}, got {lang!r}")
    return LANGUAGES[lang]


def check_callable(name: str, value: Any) -> Callable[..., Any]:
    """Check that *value* can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {_kind(value)} {_short(value)}")
    return value


def check_tensor(
    name: str, value: Any, *, ndim: int | None = None, finite: bool = True
) -> torch.Tensor:
    """Check that *value* is a ``torch.Tensor`` of real numbers of *ndim* dimensions.

    Real means an integer or floating dtype: ``bool`` and complex tensors are refused (a
    conversion to float would silently drop the imaginary part or turn truth values into 0/1).
    """
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {_kind(value)} {_short(value)}")
    if value.dtype == torch.bool or value.is_complex():
        raise TypeError(
            f"{name} must hold real numbers (an integer or floating dtype), got dtype "
            f"{value.dtype}"
        )
    if ndim is not None and value.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimension(s), got shape {tuple(value.shape)}"
        )
    if finite and not bool(torch.isfinite(value.detach()).all()):
        raise ValueError(f"{name} must hold only finite values, got {_short(value)}")
    return value


def check_scalar_result(name: str, value: Any, where: str = "") -> float:
    """Check what the learner's function *name* returned: one real number; return it as float.

    Accepted: a Python real number (not bool), a NumPy scalar or one-element array, a
    one-element tensor (integer or floating). The value may be non-finite; callers that need
    a finite one say so. *where* (e.g. ``"at w = [1.0, 2.0]"``) is appended to messages.
    """
    suffix = f" {where}" if where else ""
    if isinstance(value, torch.Tensor):
        if value.dtype == torch.bool or value.is_complex():
            raise TypeError(f"{name} must return a real number, got dtype {value.dtype}{suffix}")
        if value.numel() != 1:
            raise ValueError(
                f"{name} must return a scalar, got a tensor of shape {tuple(value.shape)}{suffix}"
            )
        return float(value.detach().reshape(()).item())
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
            raise TypeError(f"{name} must return a real number, got dtype {array.dtype}{suffix}")
        if array.size != 1:
            raise ValueError(
                f"{name} must return a scalar, got an array of shape {array.shape}{suffix}"
            )
        return float(array.reshape(()))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise TypeError(
        f"{name} must return a real number (a float, a 0-d array or a one-element tensor), "
        f"got {_kind(value)} {_short(value)}{suffix}"
    )


def check_function_at(name: str, fn: Callable[[np.ndarray], Any], point: np.ndarray) -> float:
    """Call *fn* at *point* and check that it returns one finite real number.

    For functions handed to a figure or a run, so that a function returning ``None``, a string
    or a vector fails at once, naming the argument, instead of drawing nothing.
    """
    check_callable(name, fn)
    where = f"at {np.asarray(point).tolist()!r}"
    result = check_scalar_result(name, fn(np.array(point, dtype=np.float64)), where)
    if not math.isfinite(result):
        raise ValueError(f"{name} must return a finite number {where}, got {result!r}")
    return result


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
