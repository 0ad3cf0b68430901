"""The HTML pages in a real browser (headless Chromium): every formula is laid out with a size, nothing is fetched.

A copy of the page gets a script (the page itself has none) that measures every ``<math>`` element and
every shape cell with ``getBoundingClientRect`` and writes the figures into the DOM, which
``chromium --dump-dom`` prints. Chromium renders MathML Core natively: an element it did not lay
out would measure zero. A screenshot is taken too. With the environment variable CI set, a missing
Chromium fails these tests instead of skipping them (.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.render.html import HtmlRenderer

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "examples" / "seed.toml", ROOT / "examples" / "symbolic.toml", ROOT / "examples" / "vgg16.toml"]

MEASURE = """
<script>
addEventListener("load", () => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const maths = [...document.querySelectorAll("math")].map(box);
  const lineHeight = parseFloat(getComputedStyle(document.body).lineHeight) || 24;
  const shapes = [...document.querySelectorAll("td.num")].map((td) => box(td)[1]);
  const boxes = [...document.querySelectorAll('menclose[notation="box"]')].map(
    (e) => getComputedStyle(e).borderTopStyle);
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({maths, shapes, lineHeight, boxes, width: document.body.scrollWidth,
                                    view: innerWidth});
  document.body.appendChild(out);
});
</script>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: CI must install it (.ci/run does)")
    pytest.skip("chromium is not installed")


def run(chromium: str, *args: str) -> str:
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": os.environ.get("TMPDIR", "/tmp")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    derivations = []
    for path in FILES:
        derivations += [r.derivation for _, r in solve_all(load(path))]
    html = HtmlRenderer("full").document(derivations, "Seed, closed forms and VGG-16")
    out = tmp_path_factory.mktemp("html") / "page.html"
    out.write_text(html, encoding="utf-8")
    return out


def test_every_formula_is_laid_out(chromium: str, page: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = run(chromium, "--window-size=1000,800", "--dump-dom", probe.as_uri())
    measured = json.loads(re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL).group(1).replace("&quot;", '"'))
    maths = measured["maths"]
    assert len(maths) > 200
    assert all(w > 0 and h > 0 for w, h in maths), [m for m in maths if not (m[0] > 0 and m[1] > 0)][:5]
    # shape and number cells of the network table stay on one line
    assert measured["shapes"] and max(measured["shapes"]) < 2 * measured["lineHeight"]
    assert measured["boxes"] and set(measured["boxes"]) == {"solid"}  # boxed answers are drawn
    assert measured["width"] <= measured["view"]  # nothing widens the page (wide math scrolls in its block)


def test_screenshot(chromium: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    run(chromium, "--window-size=1000,2000", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000  # a page with content
