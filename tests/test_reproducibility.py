from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from gdguide import reproducibility
from gdguide.reproducibility import SEED, get_device, seed_worker, set_seed


def _draw() -> tuple[float, float, torch.Tensor]:
    return random.random(), float(np.random.rand()), torch.rand(3)


def test_seed_constant():
    assert SEED == 2021


def test_set_seed_makes_all_three_generators_repeat():
    set_seed(SEED)
    first = _draw()
    set_seed(SEED)
    second = _draw()
    assert first[0] == second[0]  # same generator, same state: identical draws, not computed floats
    assert first[1] == second[1]
    assert torch.equal(first[2], second[2])


def test_default_seed_is_2021():
    set_seed()
    default = torch.rand(4)
    set_seed(2021)
    assert torch.equal(default, torch.rand(4))


def test_different_seeds_differ():
    set_seed(1)
    a = torch.rand(8)
    set_seed(2)
    assert not torch.equal(a, torch.rand(8))


def test_set_seed_matches_plain_library_calls():
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    expected = _draw()
    set_seed(7)
    got = _draw()
    assert expected[:2] == got[:2]
    assert torch.equal(expected[2], got[2])


@pytest.mark.parametrize("seed", [0, 2**32 - 1])
def test_seed_bounds_accepted(seed):
    set_seed(seed)


def test_deterministic_flags(monkeypatch):
    monkeypatch.setattr(torch.backends.cudnn, "deterministic", False)
    monkeypatch.setattr(torch.backends.cudnn, "benchmark", True)
    set_seed(SEED, deterministic=False)
    assert torch.backends.cudnn.deterministic is False
    assert torch.backends.cudnn.benchmark is True
    set_seed(SEED)
    assert torch.backends.cudnn.deterministic is True
    assert torch.backends.cudnn.benchmark is False


def _manual_seed_all_calls(monkeypatch, available: bool) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: available)
    monkeypatch.setattr(torch.cuda, "manual_seed_all", calls.append)
    set_seed(123)
    return calls


def test_cuda_generators_seeded_when_available(monkeypatch):
    # torch.manual_seed already forwards to torch.cuda.manual_seed_all (lazily); set_seed adds
    # one explicit call when a GPU is present, and none without one.
    with_gpu = _manual_seed_all_calls(monkeypatch, True)
    without_gpu = _manual_seed_all_calls(monkeypatch, False)
    assert set(with_gpu) | set(without_gpu) <= {123}
    assert len(with_gpu) == len(without_gpu) + 1


@pytest.mark.parametrize("bad", [1.0, "2021", None, True, np.float64(3.0)])
def test_set_seed_rejects_non_int(bad):
    with pytest.raises(TypeError, match="seed"):
        set_seed(bad)


@pytest.mark.parametrize("bad", [-1, 2**32, 2**40])
def test_set_seed_rejects_out_of_range(bad):
    with pytest.raises(ValueError, match="seed"):
        set_seed(bad)


@pytest.mark.parametrize("bad", [1, None, "yes"])
def test_set_seed_rejects_non_bool_deterministic(bad):
    with pytest.raises(TypeError, match="deterministic"):
        set_seed(SEED, deterministic=bad)


def test_bad_seed_leaves_generators_alone():
    set_seed(5)
    expected = torch.rand(3)
    set_seed(5)
    with pytest.raises(ValueError, match="seed"):
        set_seed(-3)
    assert torch.equal(expected, torch.rand(3))


def test_seed_worker_copies_torch_seed():
    torch.manual_seed(2**40 + 17)  # larger than NumPy accepts: must be reduced mod 2**32
    seed_worker(0)
    got = (random.random(), float(np.random.rand()))
    worker_seed = (2**40 + 17) % 2**32
    random.seed(worker_seed)
    np.random.seed(worker_seed)
    assert got == (random.random(), float(np.random.rand()))


def test_seed_worker_in_dataloader():
    generator = torch.Generator().manual_seed(SEED)
    loader = torch.utils.data.DataLoader(
        list(range(4)), batch_size=2, worker_init_fn=seed_worker, generator=generator
    )
    assert [batch.tolist() for batch in loader] == [[0, 1], [2, 3]]


@pytest.mark.parametrize(("bad", "error"), [(1.0, TypeError), (True, TypeError), (-1, ValueError)])
def test_seed_worker_rejects_bad_id(bad, error):
    with pytest.raises(error, match="worker_id"):
        seed_worker(bad)


def test_get_device_cpu_when_not_preferred(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device(prefer_gpu=False) == torch.device("cpu")


def test_get_device_cuda_when_available(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_get_device_cpu_without_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")


def test_get_device_matches_real_hardware():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert get_device().type == expected


@pytest.mark.parametrize("bad", [1, None, "cuda"])
def test_get_device_rejects_non_bool(bad):
    with pytest.raises(TypeError, match="prefer_gpu"):
        get_device(bad)


def test_public_names():
    assert set(reproducibility.__all__) == {"SEED", "set_seed", "seed_worker", "get_device"}
