"""Every input ends within a budget: hostile and extreme problem files, command lines and Python calls (fuzzed).

Each example runs in a worker process (one for the module), which reports how it ended (an answer, or
one of symconv's own errors), the seconds it took and the worker's peak memory. An internal error, an
example over :data:`SECONDS`, or the worker over :data:`MEGABYTES` fails the test; a worker that does
not answer within twice the time budget is killed and fails it too. The examples are drawn to straddle
the limits of docs/limits.md (a stack of 64 or 65 symbolic layers, a padding of 383 or 5,000, …): inside
them symconv must answer in time, beyond them refuse at once.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]

SECONDS = 10.0
"""The time budget of one example (issue 12: any input within the limits ends in 10 s on 2 cores)."""

MEGABYTES = 1024
"""The memory budget of the worker (its peak resident memory over every example it ran)."""

WORKER = r"""
import contextlib, io, json, os, resource, sys, time, traceback
sys.setrecursionlimit(3000)
import symconv
from symconv.cli import main
from symconv.errors import SymconvError
from symconv.io.problemfile import parse, solve_all
import tomllib

def run(job):
    kind = job["kind"]
    if kind == "file":
        problems = parse(tomllib.loads(job["toml"]), "fuzz.toml")
        for _, r in solve_all(problems):
            r.text()
            r.document("json")
        return "ok"
    if kind == "cli":
        for name, text in job.get("files", {}).items():
            with open(name, "w", encoding="utf-8") as f:
                f.write(text)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(job["argv"])
        if status not in (0, 1, 2):
            return "internal: exit status %s: %s" % (status, err.getvalue()[-300:])
        if status == 2 and not err.getvalue().startswith(("symconv", "usage")):
            return "internal: " + err.getvalue()[-300:]
        return "ok" if status != 2 else "refused"
    fn = getattr(symconv, job["function"])
    result = fn(*job.get("args", []), **job.get("kwargs", {}))
    result.text()
    return "ok"

os.chdir(sys.argv[1])
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    try:
        outcome = run(job)
    except SymconvError as e:
        outcome = "refused"
    except Exception as e:
        outcome = "internal: " + "".join(traceback.format_exception_only(type(e), e))[-500:]
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"outcome": outcome, "seconds": seconds, "megabytes": rss}), flush=True)
"""


class Worker:
    """The process the examples run in, kept for the whole module."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(cwd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], 2 * SECONDS + 20)
        if not ready:
            self.proc.kill()
            pytest.fail(f"no answer within {2 * SECONDS + 20:.0f} s: {json.dumps(job)[:300]}")
        line = self.proc.stdout.readline()
        if not line:
            pytest.fail(f"the worker died (out of memory?) on {json.dumps(job)[:300]}")
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    w = Worker(tmp_path_factory.mktemp("fuzz"))
    yield w
    w.close()


def check(worker: Worker, job: dict[str, Any]) -> str:
    """Run one example and hold it to the budgets; returns its outcome (``ok`` or ``refused``)."""
    report = worker.run(job)
    assert not report["outcome"].startswith("internal"), (report["outcome"], json.dumps(job)[:400])
    assert report["seconds"] <= SECONDS, (report["seconds"], json.dumps(job)[:400])
    assert report["megabytes"] <= MEGABYTES, (report["megabytes"], json.dumps(job)[:400])
    return report["outcome"]  # type: ignore[no-any-return]


# --- values that straddle the limits ------------------------------------------------------------------

SIZES = st.sampled_from([1, 2, 3, 7, 10**15, 10**15 + 1, "H", "k_1", "1/2", 0, -1])
SMALL = st.sampled_from([1, 2, 3, 10**15, "s"])
COUNTS = st.sampled_from([1, 2, 3, 64, 65, 300, 1000])
PADDINGS = st.sampled_from([0, 1, 2, 383, 5000, 10**15, "same", "valid"])
ENTRIES = st.sampled_from(["0", "1", "-7", "1000000000000000", '"x"', '"1/3"', "0.5"])


@st.composite
def stack(draw: Any) -> str:
    n = draw(COUNTS)
    kernel, stride = draw(SIZES), draw(SMALL)
    symbolic = draw(st.booleans())
    kernels = [f"k_{i}" if symbolic else kernel for i in range(n)]
    out = f"kernels = {json.dumps(kernels)}\nstrides = {json.dumps([stride] * n)}\n"
    if draw(st.booleans()):
        out += f"paddings = {json.dumps([draw(st.sampled_from([0, 1, 'p']))] * n)}\n"
    return 'type = "receptive_field"\n' + out


@st.composite
def matrix(draw: Any, name: str) -> str:
    h, w = draw(st.sampled_from([1, 2, 3, 12, 40])), draw(st.sampled_from([1, 2, 3, 12, 40]))
    entry = draw(ENTRIES)
    return f"{name} = [" + ", ".join("[" + ", ".join([entry] * w) + "]" for _ in range(h)) + "]\n"


@st.composite
def convolution(draw: Any) -> str:
    out = 'type = "convolution"\n' + draw(matrix("input")) + draw(matrix("kernel"))
    for key, values in (("padding", PADDINGS), ("stride", SMALL), ("dilation", SMALL)):
        if draw(st.booleans()):
            out += f"{key} = {json.dumps(draw(values))}\n"
    return out


@st.composite
def network(draw: Any) -> str:
    n = draw(COUNTS)
    size = draw(st.sampled_from([224, 10**15, "H"]))
    stride = draw(st.sampled_from([1, 2, 10**15]))
    filters = draw(st.sampled_from([16, "C"]))
    layer = {"type": "conv", "kernel": 3, "filters": filters, "stride": stride, "padding": 1}
    layers = ", ".join("{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in layer.items()) + " }" for _ in range(n))
    return f'type = "network"\ninput = {json.dumps([size, size, 3])}\nlayers = [{layers}]\n'


@st.composite
def single(draw: Any) -> str:
    kind = draw(st.sampled_from(["conv_layer", "bottleneck", "depthwise_separable", "output_size"]))
    v = [draw(SIZES) for _ in range(6)]
    if kind == "output_size":
        return f'type = "output_size"\ninput = {json.dumps(v[0])}\nkernel = {json.dumps(v[1])}\n'
    if kind == "conv_layer":
        return (
            f'type = "conv_layer"\ninput = {json.dumps(v[:3])}\nkernel = {json.dumps(v[3])}\n'
            f"filters = {json.dumps(v[4])}\nstride = {json.dumps(v[5])}\n"
        )
    extra = f"bottleneck = {json.dumps(v[5])}\n" if kind == "bottleneck" else ""
    return (
        f'type = "{kind}"\ninput = {json.dumps(v[:3])}\nkernel = {json.dumps(v[3])}\nfilters = {json.dumps(v[4])}\n'
        + extra
    )


@st.composite
def explore(draw: Any) -> str:
    first, last = draw(st.sampled_from([1, 7])), draw(st.sampled_from([48, 100_000, 1_000_000, 10**15]))
    if draw(st.booleans()):
        return (
            f'type = "sweep"\nquantity = "savings"\nvary = "P"\nrange = [{first}, {last}]\n'
            "given = { L = 250, N = 48, k = 7 }\n"
        )
    return (
        f'type = "solve"\nquantity = "layer"\nunknown = "s"\ntarget = 1000\nrelation = ">="\nrange = [{first}, {last}]\n'
        "given = { H = 224, W = 224, C = 3, N = 16, k = 3, p = 1 }\n"
    )


PROBLEMS = st.one_of(stack(), convolution(), network(), single(), explore())


@st.composite
def problem_file(draw: Any) -> str:
    count = draw(st.sampled_from([1, 2, 3, 40]))
    body = draw(PROBLEMS)
    title = draw(st.sampled_from(["", "T\x1b[31m\x7f\x85", "x" * 200]))
    return f"title = {json.dumps(title)}\n" + "".join(f'[[problem]]\nid = "p{i}"\n{body}' for i in range(count))


# --- the tests ----------------------------------------------------------------------------------------

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@FUZZ
@given(text=problem_file())
def test_problem_files_end_within_the_budget(worker: Worker, text: str) -> None:
    check(worker, {"kind": "file", "toml": text})


CLAIMS = st.sampled_from(
    [
        "inf",
        "nan",
        "-inf",
        "1e400",
        '"94.68979591836734693877551020408163265306"',
        '"(H+W+L+k+N+P)**30 * (H+W+1)**30"',
        '"(H+W)**30 - (H**2+2*H*W+W**2)**15 + 1 - P/L - P/(k^2*N)"',
        '"1 - P/L - P/(k^2*N)"',
        "1e-400",
    ]
)


@st.composite
def command(draw: Any) -> dict[str, Any]:
    fmt = draw(st.sampled_from(["text", "json", "latex", "markdown", "html"]))
    which = draw(st.sampled_from(["rf", "conv", "layer", "file", "check", "net"]))
    files: dict[str, str] = {}
    if which == "rf":
        n, k, s = draw(COUNTS), draw(st.sampled_from(["3", "k", "1000000000000000"])), draw(SMALL)
        argv = ["rf", "--kernels", ",".join([k] * n), "--strides", ",".join([str(s)] * n)]
    elif which == "conv":
        m = draw(st.sampled_from(["1 2; 3 4", "x y; z w", "@/dev/zero", "1 " * 1000]))
        argv = ["conv", "--input", m, "--kernel", "1 0; 0 1", "--padding", str(draw(PADDINGS))]
    elif which == "layer":
        h = draw(st.sampled_from(["38", "H", "1000000000000000"]))
        argv = ["layer", "--input", f"{h}x{h}x3", "--kernel", str(draw(SIZES)), "--filters", "16"]
    elif which == "check":
        files["sheet.toml"] = (
            '[[problem]]\nid = "b"\ntype = "bottleneck"\ninput = ["H", "W", "L"]\nkernel = "k"\n'
            'filters = "N"\nbottleneck = "P"\n[[problem]]\nid = "n"\ntype = "bottleneck"\ninput = [54, 54, 250]\n'
            "kernel = 7\nfilters = 48\nbottleneck = 12\n"
        )
        key, value = draw(st.sampled_from([("b", "savings"), ("n", "savings_percent"), ("n", "savings")])), draw(CLAIMS)
        files["claimed.toml"] = f"[{key[0]}]\n{key[1]} = {value}\n"
        argv = ["check", "sheet.toml", "--answers", "claimed.toml"]
    else:
        files["net.toml"] = f'[[problem]]\nid = "n"\n{draw(network())}'
        argv = ["net" if which == "net" else "solve", "net.toml"]
    if which != "check":
        argv += ["--format", fmt]
    return {"kind": "cli", "argv": argv, "files": files}


@FUZZ
@given(job=command())
def test_commands_end_within_the_budget(worker: Worker, job: dict[str, Any]) -> None:
    check(worker, job)


@st.composite
def api_call(draw: Any) -> dict[str, Any]:
    which = draw(st.sampled_from(["receptive_field", "convolve", "conv_layer", "output_size", "analyse_network"]))
    if which == "receptive_field":
        n = draw(COUNTS)
        return {"function": which, "kwargs": {"kernels": [draw(SIZES)] * n, "strides": [draw(SMALL)] * n}}
    if which == "convolve":
        h, k = draw(st.sampled_from([1, 3, 40])), draw(st.sampled_from([1, 2, 10]))
        entry = draw(st.sampled_from([1, -7, 10**15, "x", "1/3"]))
        return {
            "function": which,
            "args": [[[entry] * h] * h, [[entry] * k] * k],
            "kwargs": {"padding": draw(PADDINGS), "stride": draw(SMALL)},
        }
    if which == "conv_layer":
        return {
            "function": which,
            "kwargs": {
                "input": [draw(SIZES)] * 3,
                "kernel": draw(SIZES),
                "filters": draw(SIZES),
                "stride": draw(SIZES),
            },
        }
    if which == "output_size":
        return {"function": which, "kwargs": {"input": draw(SIZES), "kernel": draw(SIZES), "padding": draw(SIZES)}}
    n, size = draw(COUNTS), draw(st.sampled_from([224, "H"]))
    layers = [{"type": "conv", "kernel": 3, "filters": 8, "stride": draw(st.sampled_from([1, 2])), "padding": 1}] * n
    return {"function": which, "args": [{"input": [size, size, 3], "layers": layers}]}


@FUZZ
@given(job=api_call())
def test_python_calls_end_within_the_budget(worker: Worker, job: dict[str, Any]) -> None:
    check(worker, {"kind": "api", **job})
