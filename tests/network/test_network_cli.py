"""`symconv net FILE`: bad network files give one clear line and exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEAD = '[[problem]]\nid = "n"\ntype = "network"\ninput = [8, 8, 3]\n'


def layer(**keys: object) -> str:
    return "\n[[problem.layers]]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in keys.items()) + "\n"


def run(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    f = tmp_path / "net.toml"
    f.write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "symconv", "net", str(f), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


BAD = {
    "cycle": (
        layer(name="a", type="conv", kernel=1, filters=2, input="b") + layer(name="b", type="relu"),
        "later layer",
    ),
    "add": (
        layer(name="a", type="conv", kernel=3, filters=3) + layer(name="s", type="add", input=["a", "input"]),
        "add needs equal sizes",
    ),
    "concat": (
        layer(name="a", type="conv", kernel=3, filters=3) + layer(name="c", type="concat", input=["a", "input"]),
        "equal spatial sizes",
    ),
    "kernel": (layer(name="big", type="conv", kernel=9, filters=3), "big.kernel"),
    "type": (layer(name="x", type="lstm"), "unknown layer type"),
    "key": (layer(name="x", type="conv", kernel=3, filters=3, strides=2), "strides"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_exit_2_with_one_line(tmp_path: Path, case: str) -> None:
    body, fragment = BAD[case]
    done = run(tmp_path, HEAD + body)
    assert done.returncode == 2
    assert fragment in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_json_answers(tmp_path: Path) -> None:
    done = run(tmp_path, HEAD + layer(name="c", type="conv", kernel=3, filters=4, padding=1), "--format", "json")
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)["problems"][0]["answers"]
    assert answers["layers"][0]["output_shape"] == [8, 8, 4]
    assert answers["parameters"] == 3 * 3 * 3 * 4 + 4 and answers["macs"] == 64 * 4 * 27


def test_memory_option(tmp_path: Path) -> None:
    body = HEAD + layer(name="c", type="conv", kernel=3, filters=4, padding=1) + layer(name="f", type="flatten")
    done = run(tmp_path, body, "--format", "json", "--memory", "float16")
    assert done.returncode == 0, done.stderr
    memory = json.loads(done.stdout)["problems"][0]["answers"]["memory"]
    # 8 × 8 × 3 input and an 8 × 8 × 4 output at 2 bytes; the flatten is a view; 112 parameters
    assert (memory["input_bytes"], memory["activation_bytes"], memory["parameter_bytes"]) == (384, 512, 224)
    assert memory["training_bytes"] == 384 + 2 * 512 + 224
    plain = run(tmp_path, body, "--format", "json", "--memory")
    assert json.loads(plain.stdout)["problems"][0]["answers"]["memory"]["bytes_per_element"] == 4
    bad = run(tmp_path, body, "--memory", "float13")
    assert bad.returncode == 2 and "float13" in bad.stderr and "Traceback" not in bad.stderr


def test_one_and_three_dimensional_files(tmp_path: Path) -> None:
    one = '[[problem]]\nid = "a"\ntype = "network"\ninput = [100, 1]\n' + layer(
        name="c", type="conv", kernel=9, stride=4, filters=8
    )
    done = run(tmp_path, one, "--format", "json")
    answers = json.loads(done.stdout)["problems"][0]["answers"]
    assert answers["layers"][0]["output_shape"] == [(100 - 9) // 4 + 1, 8] and answers["receptive_field"] == 9
    three = '[[problem]]\nid = "v"\ntype = "network"\ninput = [8, 16, 16, 3]\n' + layer(
        name="c", type="conv", kernel=[3, 1, 1], padding=[1, 0, 0], filters=2
    )
    answers = json.loads(run(tmp_path, three, "--format", "json").stdout)["problems"][0]["answers"]
    assert answers["layers"][0]["output_shape"] == [8, 16, 16, 2] and answers["receptive_field"] == [3, 1, 1]
