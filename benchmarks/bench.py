"""Speed benchmark: lectureml's convolution and pooling against PyTorch (CPU) and the naive loops.

    python benchmarks/bench.py                 # full table, saved to benchmarks/results/
    python benchmarks/bench.py --repeats 10 --rounds 1   # quicker, noisier
    python benchmarks/bench.py --cpu-time      # 1 thread each, CPU time: for a busy machine

Every library is timed in its own subprocess (the script re-invokes itself with
`--library numpy|torch|naive` and reads back JSON), because numpy's and torch's thread pools slow
each other down when they run in one process; the libraries alternate for a few rounds and each
case keeps its best round (see `run_rounds`). PyTorch is optional (`pip install torch`); without
it its column says so. Times are medians and minima in milliseconds, float32, LeNet-sized shapes.

To add a case, write a function that takes the library
name and the batch size and returns a zero-argument callable doing one step and returning its
outputs (or None when the library has no such operation), and add it to CASES.
"""

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

LIBRARIES = ("numpy", "torch", "naive")
BATCH_SIZE = 64
# The naive loops take seconds per call at batch 64: time them on a small batch and scale up
# (their cost is exactly proportional to the batch size).
NAIVE_BATCH_SIZE = 4
NAIVE_REPEATS = 3
WARM_UP_CALLS = 3
TORCH_THREADS = 2
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SINGLE_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def conv_forward(library, batch_size, in_channels, out_channels, size):
    """conv2d forward, 3x3 kernels, padding 1."""
    x, w, b, _ = _conv_data(batch_size, in_channels, out_channels, size)
    if library == "numpy":
        from lectureml.conv import conv2d

        return lambda: conv2d(x, w, b, padding=1)
    if library == "naive":
        from lectureml.conv import conv2d_naive

        return lambda: conv2d_naive(x, w, b, padding=1)
    import torch
    import torch.nn.functional as functional

    x_t, w_t, b_t = (torch.from_numpy(a) for a in (x, w, b))

    def step():
        with torch.no_grad():
            return functional.conv2d(x_t, w_t, b_t, padding=1)

    return step


def conv_forward_backward(library, batch_size, in_channels, out_channels, size):
    """conv2d forward then the gradients of x, w and b, 3x3 kernels, padding 1."""
    x, w, b, dout = _conv_data(batch_size, in_channels, out_channels, size)
    if library == "numpy":
        from lectureml.conv import conv2d, conv2d_backward

        def step():
            return conv2d(x, w, b, padding=1), conv2d_backward(dout, x, w, padding=1)

        return step
    if library == "naive":
        return None
    import torch
    import torch.nn.functional as functional

    x_t, w_t, b_t = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
    dout_t = torch.from_numpy(dout)

    def step():
        x_t.grad = w_t.grad = b_t.grad = None
        out = functional.conv2d(x_t, w_t, b_t, padding=1)
        out.backward(dout_t)
        return out, x_t.grad, w_t.grad, b_t.grad

    return step


def max_pool_forward_backward(library, batch_size, channels, size):
    """2x2 max pooling with stride 2, forward then the gradient of x."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch_size, channels, size, size), dtype=np.float32)
    dout = rng.standard_normal((batch_size, channels, size // 2, size // 2), dtype=np.float32)
    if library == "numpy":
        from lectureml.pooling import max_pool2d, max_pool2d_backward

        def step():
            return max_pool2d(x, 2), max_pool2d_backward(dout, x, 2)

        return step
    if library == "naive":
        return None
    import torch
    import torch.nn.functional as functional

    x_t = torch.from_numpy(x).requires_grad_()
    dout_t = torch.from_numpy(dout)

    def step():
        x_t.grad = None
        out = functional.max_pool2d(x_t, 2)
        out.backward(dout_t)
        return out, x_t.grad

    return step


def cnn_training_step(library, batch_size):
    """One SGD step (momentum 0.9) of a small CNN on a batch of 28x28 digits-sized images.

    conv 3x3 1->8 (padding 1) -> ReLU -> max-pool 2 -> conv 3x3 8->16 (padding 1) -> ReLU
    -> max-pool 2 -> flatten (784) -> dense 64 -> ReLU -> dense 10 -> softmax cross-entropy:
    forward, loss, backward through every layer and the parameter update.
    """
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch_size, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, size=batch_size)
    if library == "naive":
        return None
    if library == "numpy":
        from lectureml import layers, losses, optim

        model = layers.Sequential(
            layers.Conv2D(1, 8, kernel_size=3, rng=rng, padding=1),
            layers.ReLU(),
            layers.MaxPool2D(2),
            layers.Conv2D(8, 16, kernel_size=3, rng=rng, padding=1),
            layers.ReLU(),
            layers.MaxPool2D(2),
            layers.Flatten(),
            layers.Dense(16 * 7 * 7, 64, rng=rng),
            layers.ReLU(),
            layers.Dense(64, 10, rng=rng),
        )
        optimizer = optim.SGD(model, lr=0.01, momentum=0.9)

        def step():
            logits = model.forward(x, training=True)
            loss, dlogits = losses.softmax_cross_entropy(logits, labels)
            model.backward(dlogits)
            optimizer.step()
            return loss

        return step
    import torch
    from torch import nn

    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x_t, labels_t = torch.from_numpy(x), torch.from_numpy(labels)

    def step():
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x_t), labels_t)
        loss.backward()
        optimizer.step()
        return loss

    return step


def _conv_data(batch_size, in_channels, out_channels, size):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch_size, in_channels, size, size), dtype=np.float32)
    w = rng.standard_normal((out_channels, in_channels, 3, 3), dtype=np.float32)
    b = rng.standard_normal(out_channels, dtype=np.float32)
    dout = rng.standard_normal((batch_size, out_channels, size, size), dtype=np.float32)
    return x, w, b, dout


# Case name -> function(library, batch_size) returning a step callable or None.
CASES = {
    "conv2d forward, 1->8 channels, 28x28": lambda lib, n: conv_forward(lib, n, 1, 8, 28),
    "conv2d forward, 8->16 channels, 14x14": lambda lib, n: conv_forward(lib, n, 8, 16, 14),
    "conv2d forward+backward, 1->8 channels, 28x28": (
        lambda lib, n: conv_forward_backward(lib, n, 1, 8, 28)
    ),
    "conv2d forward+backward, 8->16 channels, 14x14": (
        lambda lib, n: conv_forward_backward(lib, n, 8, 16, 14)
    ),
    "max_pool2d forward+backward, 8x28x28": (
        lambda lib, n: max_pool_forward_backward(lib, n, 8, 28)
    ),
    "max_pool2d forward+backward, 16x14x14": (
        lambda lib, n: max_pool_forward_backward(lib, n, 16, 14)
    ),
    "small CNN training step (forward, loss, backward, SGD)": cnn_training_step,
}


def time_library(library, repeats, cpu_time):
    """Median and minimum time (ms) of every case for one library, at batch size BATCH_SIZE.

    With cpu_time, the clock is the process's CPU time and every library runs one thread.
    """
    clock = time.process_time if cpu_time else time.perf_counter
    if library == "torch":
        import torch

        torch.set_num_threads(1 if cpu_time else TORCH_THREADS)
    batch_size = NAIVE_BATCH_SIZE if library == "naive" else BATCH_SIZE
    repeats = NAIVE_REPEATS if library == "naive" else repeats
    results = {}
    for name, make_step in CASES.items():
        step = make_step(library, batch_size)
        if step is None:
            continue
        # Warm-up: library set-up and the allocator's first requests are not what we measure.
        outputs = [step() for _ in range(WARM_UP_CALLS)]
        times = []
        for _ in range(repeats):
            start = clock()
            # Keep the previous outputs alive during the call, as a training loop keeps its
            # activations: freeing them first lets malloc return the memory to the system and
            # page-fault it back in on every call, which can cost more than the computation.
            outputs = step()
            times.append(clock() - start)
        del outputs
        scale = BATCH_SIZE / batch_size
        results[name] = {
            "median_ms": statistics.median(times) * 1e3 * scale,
            "min_ms": min(times) * 1e3 * scale,
            "timed_batch_size": batch_size,
            "repeats": repeats,
        }
    return results


def run_in_subprocess(library, repeats, cpu_time):
    """Time one library in a fresh interpreter and return its results."""
    command = [sys.executable, __file__, "--library", library, "--repeats", str(repeats)]
    environment = dict(os.environ)
    if cpu_time:
        command.append("--cpu-time")
        # Thread pools read these when they start, so they must be set before numpy is imported.
        environment.update(dict.fromkeys(SINGLE_THREAD_VARIABLES, "1"))
    completed = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    return json.loads(completed.stdout)


def run_rounds(repeats, rounds, cpu_time):
    """Alternate the libraries for several rounds; keep each case's best median and minimum.

    On a shared machine a burst of outside load can hit one library's run and not the other's;
    alternating and keeping the best round makes the ratios about the code, not the neighbours.
    The naive loops take part in every round too: timed once, their median swung between 1.3 and
    2.5 s per call at 8->16 channels from one run to the next on an idle machine. Libraries
    that are not installed map to None.
    """
    results = dict.fromkeys(LIBRARIES)
    available = [
        library
        for library in LIBRARIES
        if library != "torch" or importlib.util.find_spec("torch") is not None
    ]
    for _ in range(rounds):
        for library in available:
            kept = results[library] or {}
            for name, timing in run_in_subprocess(library, repeats, cpu_time).items():
                if name in kept:
                    for statistic in ("median_ms", "min_ms"):
                        timing[statistic] = min(timing[statistic], kept[name][statistic])
                kept[name] = timing
            results[library] = kept
    return results


def format_table(results, statistic):
    """Markdown table of one statistic ("median_ms" or "min_ms") and the ratios."""
    lines = [
        "| case | lectureml (ms) | torch (ms) | naive (ms) "
        "| lectureml / torch | naive / lectureml |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in CASES:
        times = {
            library: (results[library] or {}).get(name, {}).get(statistic) for library in LIBRARIES
        }
        ours, torch_time, naive = times["numpy"], times["torch"], times["naive"]
        cells = [
            name,
            _number(ours),
            _number(torch_time) if results["torch"] is not None else "not installed",
            _number(naive),
            f"{ours / torch_time:.2f}x" if ours and torch_time else "-",
            f"{naive / ours:,.0f}x" if ours and naive else "-",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _number(value):
    return "-" if value is None else f"{value:,.2f}"


def machine_description(results, args):
    threads = (
        "every library on 1 thread, CPU time of the process"
        if args.cpu_time
        else f"torch threads {TORCH_THREADS}, numpy BLAS default threads, wall-clock time"
    )
    parts = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"{os.cpu_count()} cores",
        f"batch {BATCH_SIZE}, float32",
        threads,
        f"best of {args.rounds} alternating rounds of {args.repeats} repeats",
        f"naive loops timed on batch {NAIVE_BATCH_SIZE} x {NAIVE_REPEATS} repeats and scaled "
        f"to batch {BATCH_SIZE}",
    ]
    if results["torch"] is not None:
        parts.insert(2, f"torch {importlib.metadata.version('torch')}")
    return "; ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", choices=LIBRARIES, help="internal: time one library")
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per case")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per library")
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="one thread per library and CPU time instead of wall-clock time: comparable "
        "numbers on a busy machine, since time spent waiting for a free core is not counted",
    )
    args = parser.parse_args()
    if args.library:
        print(json.dumps(time_library(args.library, args.repeats, args.cpu_time)))
        return
    load_before = os.getloadavg()[0]
    results = run_rounds(args.repeats, args.rounds, args.cpu_time)
    load_after = os.getloadavg()[0]
    table = (
        "Median time per call (ms):\n\n"
        + format_table(results, "median_ms")
        + "\n\nFastest call (ms), closer to an idle machine's times when the cores are shared:"
        + "\n\n"
        + format_table(results, "min_ms")
    )
    notes = (
        f"{machine_description(results, args)}; "
        f"1-minute load average {load_before:.1f} before, {load_after:.1f} after "
        f"(anything well above 0 means other programs shared the cores)"
    )
    print(table)
    print()
    print(notes)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S") + ("-cpu-time" if args.cpu_time else "")
    (RESULTS_DIR / f"bench-{stamp}.md").write_text(f"{table}\n\n{notes}\n")
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    print(f"\nSaved to {RESULTS_DIR / f'bench-{stamp}.md'} (and .json)")


if __name__ == "__main__":
    main()
