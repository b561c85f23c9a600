"""Time gdguide.training.train against a bare five-line training loop.

Usage::

    .venv/bin/python benchmarks/bench_train.py [--epochs N] [--repeats R] [--units U]

Every run starts from the same data and the same freshly seeded model and optimiser, so all
variants do identical arithmetic; only the loop around it differs. The variants are run
interleaved (in a rotating order) to spread machine noise evenly, and the median time per epoch
is reported, with the ratio of each variant to the bare loop taken within each round (median over
rounds). The progress bar is written to os.devnull so the terminal is not flooded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import torch

from gdguide.training import make_sine_data, make_training_setup, train


def bare_loop(features, labels, model, loss_fn, optimizer, n_epochs) -> list[float]:
    losses = []
    for _ in range(n_epochs):
        optimizer.zero_grad()
        prediction = model(features)
        loss = loss_fn(prediction, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def train_no_bar(features, labels, model, loss_fn, optimizer, n_epochs) -> list[float]:
    return train(features, labels, model, loss_fn, optimizer, n_epochs, progress=False)


def train_with_bar(features, labels, model, loss_fn, optimizer, n_epochs) -> list[float]:
    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        return train(features, labels, model, loss_fn, optimizer, n_epochs, progress=True)


VARIANTS: dict[str, Callable[..., list[float]]] = {
    "bare loop": bare_loop,
    "train(progress=False)": train_no_bar,
    "train(progress=True)": train_with_bar,
}


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def time_once(
    variant, features, labels, n_units: int, n_epochs: int, clock=time.perf_counter
) -> tuple[float, float]:
    """Return (seconds per epoch, final loss) of one run from a freshly seeded model."""
    model, loss_fn, optimizer = make_training_setup(n_units=n_units)
    start = clock()
    losses = variant(features, labels, model, loss_fn, optimizer, n_epochs)
    elapsed = clock() - start
    return elapsed / n_epochs, losses[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300, help="epochs per run (default 300)")
    parser.add_argument("--repeats", type=int, default=7, help="runs per variant (default 7)")
    parser.add_argument("--units", type=int, default=512, help="hidden width (default 512)")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: time.perf_counter (default); cpu: time.process_time, steadier on a machine "
        "shared with other jobs, since time spent waiting for a core is not counted",
    )
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.repeats < 1 or args.units < 1:
        parser.error("--epochs, --repeats and --units must be >= 1")

    torch.set_num_threads(1)
    features, labels = make_sine_data()
    names = list(VARIANTS)

    # Warm-up: one short run of each variant (allocator, lazy imports, tqdm).
    for name in names:
        time_once(VARIANTS[name], features, labels, args.units, min(args.epochs, 20))

    per_epoch: dict[str, list[float]] = {name: [] for name in names}
    final_loss: dict[str, float] = {}
    for repeat in range(args.repeats):
        order = names[repeat % len(names) :] + names[: repeat % len(names)]
        for name in order:
            seconds, last = time_once(
                VARIANTS[name], features, labels, args.units, args.epochs, CLOCKS[args.clock]
            )
            per_epoch[name].append(seconds)
            final_loss[name] = last

    def paired_ratio(name: str) -> float:
        # Each round times every variant back to back, so dividing within a round cancels the
        # slow drift of a shared machine's load; the median over rounds drops the outliers.
        pairs = zip(per_epoch[name], per_epoch["bare loop"], strict=True)
        return statistics.median(mine / bare for mine, bare in pairs)

    print(f"torch {torch.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(
        f"threads: torch.set_num_threads(1) -> torch.get_num_threads() = "
        f"{torch.get_num_threads()} (fixed to 1 for stable timings)"
    )
    print(
        f"{args.repeats} interleaved rounds x {args.epochs} epochs, WideNet({args.units}), "
        f"{features.shape[0]} samples, full batch, CPU; clock: {args.clock} "
        f"({CLOCKS[args.clock].__name__}), load average {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} CPUs"
    )
    print()
    header = (
        f"{'variant':<24} | {'median µs/epoch':>15} | {'ratio vs bare loop':>18} | "
        f"{'min µs/epoch':>12}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        print(
            f"{name:<24} | {statistics.median(per_epoch[name]) * 1e6:>15.1f} | "
            f"{paired_ratio(name):>18.3f} | {min(per_epoch[name]) * 1e6:>12.1f}"
        )
    print()
    print("ratio = median over rounds of (variant time / bare-loop time in the same round).")
    ratio = paired_ratio("train(progress=False)")
    verdict = "meets" if ratio <= 1.05 else "misses"
    print(f"train(progress=False) vs bare loop: {ratio:.3f} ({verdict} the <= 1.05 target)")
    finals = {f"{value:.6g}" for value in final_loss.values()}
    print(f"final loss of every variant: {', '.join(sorted(finals))} (one value = same arithmetic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
