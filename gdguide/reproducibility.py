"""Seeds and device choice, so every page prints the same numbers on every build.

The lesson seeds Python's :mod:`random`, NumPy and PyTorch together with one number,
:data:`SEED`, and re-seeds before each step whose randomness matters (the data, then the
model). :func:`set_seed` does exactly that; :func:`seed_worker` extends it to the worker
processes of a :class:`torch.utils.data.DataLoader`; :func:`get_device` picks the GPU when
there is one.
"""

from __future__ import annotations

import random

import numpy as np
import torch

from gdguide._validate import check_bool, check_int

__all__ = ["SEED", "get_device", "seed_worker", "set_seed"]

#: The seed used throughout the lesson.
SEED = 2021

_SEED_LIMIT = 2**32  # NumPy's legacy seeding accepts 0 <= seed < 2**32


def set_seed(seed: int = SEED, *, deterministic: bool = True) -> None:
    """Seed Python's ``random``, NumPy and PyTorch with one number.

    Parameters
    ----------
    seed : int, default SEED
        The seed, ``0 <= seed < 2**32`` (the range NumPy accepts).
    deterministic : bool, default True
        When true, also ask cuDNN for deterministic kernels
        (``torch.backends.cudnn.deterministic = True``, ``benchmark = False``). When false, the
        cuDNN flags are left as they are.

    Raises
    ------
    TypeError
        If *seed* is not an ``int`` or *deterministic* is not a ``bool``.
    ValueError
        If *seed* is outside ``[0, 2**32)``.

    Notes
    -----
    CUDA generators are seeded too (``torch.cuda.manual_seed_all``) when a GPU is present.
    On the CPU, a fixed PyTorch version then gives bit-identical results run after run.

    Examples
    --------
    >>> import torch
    >>> set_seed(2021)
    >>> a = torch.rand(2)
    >>> set_seed(2021)
    >>> torch.equal(a, torch.rand(2))
    True
    """
    seed = check_int("seed", seed, minimum=0)
    if seed >= _SEED_LIMIT:
        raise ValueError(f"seed must be < 2**32 ({_SEED_LIMIT}), got {seed!r}")
    check_bool("deterministic", deterministic)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    if deterministic:
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False


def seed_worker(worker_id: int) -> None:
    """Seed NumPy and ``random`` inside a ``DataLoader`` worker process.

    Pass it as ``worker_init_fn``. PyTorch already gives every worker its own torch seed
    (derived from the loader's generator); this copies that seed to NumPy and ``random`` so that
    their numbers are reproducible too.

    Parameters
    ----------
    worker_id : int
        The worker's index, ``>= 0`` (supplied by the ``DataLoader``; not used for the seed).

    Raises
    ------
    TypeError
        If *worker_id* is not an ``int``.
    ValueError
        If *worker_id* is negative.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader
    >>> loader = DataLoader(range(4), num_workers=0, worker_init_fn=seed_worker)
    """
    check_int("worker_id", worker_id, minimum=0)
    worker_seed = torch.initial_seed() % _SEED_LIMIT
    np.random.seed(worker_seed)
    random.seed(worker_seed)


def get_device(prefer_gpu: bool = True) -> torch.device:
    """Return the device to compute on.

    Parameters
    ----------
    prefer_gpu : bool, default True
        Use the GPU when CUDA is available; with ``False`` always use the CPU.

    Returns
    -------
    torch.device
        ``cuda`` if a GPU is available and preferred, otherwise ``cpu``.

    Raises
    ------
    TypeError
        If *prefer_gpu* is not a ``bool``.

    Examples
    --------
    >>> get_device(prefer_gpu=False)
    device(type='cpu')
    """
    check_bool("prefer_gpu", prefer_gpu)
    if prefer_gpu and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")
