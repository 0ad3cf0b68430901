"""HTML output: one self-contained page, MathML built at render time, nothing fetched, every piece of text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from symconv.io.problemfile import parse, solve_all
from symconv.render.html import HtmlRenderer

SHEET = {
    "title": "<script>alert(1)</script> & \\[x\\]",
    "problem": [
        {"id": "rf", "type": "receptive_field", "kernels": [4, 4, 4], "strides": [1, 2, 2]},
        {"id": "layer", "type": "conv_layer", "input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2},
        {"id": "b", "type": "bottleneck", "input": ["H", "W", "L"], "kernel": "k", "outputs": "N", "bottleneck": "P"},
    ],
}


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "link", "mspace", "mrow") or tag == "mrow":
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))  # <mspace/>, <mrow/>: nothing to close

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open[-5:], tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page() -> str:
    return HtmlRenderer("full").document([r.derivation for _, r in solve_all(parse(SHEET))], SHEET["title"])


def test_page_is_balanced_self_contained_and_scriptless() -> None:
    p = Collect()
    p.feed(page())
    assert p.open == []
    assert not [t for t, _ in p.tags if t in ("script", "link", "img", "iframe")]  # nothing runs, nothing is fetched
    assert "http" not in page().replace("http://www.w3.org/1998/Math/MathML", "")


def test_user_text_is_escaped() -> None:
    html = page()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\[x\\]" in html


def test_math_is_mathml_with_aligned_rows_as_tables() -> None:
    html = page()
    assert "\\boxed" not in html and "\\frac" not in html  # no TeX left for a script to typeset
    assert '<menclose notation="box"><mrow><mn>14</mn><mspace width="0.167em" /><mn>370</mn>' in html
    assert '<mtable class="aligned"><mtr><mtd class="lhs">' in html  # a long chain: one row per step
    assert re.search(r"<p>Weights: each filter has <math [^>]*><mrow><msub><mi>k</mi>", html)  # a label's formula


def test_no_empty_given_and_ids_are_anchors() -> None:
    html = page()
    assert '<section id="problem-rf">' in html and "[rf]" not in html
    sections = html.split("<section")
    symbolic = next(s for s in sections if 'id="problem-b"' in s)
    assert "<p>Given" not in symbolic  # every quantity is a symbol: nothing is given


def test_given_descriptions_in_a_column_of_their_own() -> None:
    # the descriptions line up whatever the width of the values (54 beside 250): a third cell per row in MathML,
    # a second alignment point in the Markdown's aligned block, never a \qquad after the value
    import symconv

    b = symconv.bottleneck(input=[54, 54, 250], kernel=7, filters=48, bottleneck=12)
    page = b.document("html")
    given = page[page.index("Given") : page.index("Original")]
    assert given.count('<mtd class="note">') == 6 and "qquad" not in given
    assert given.count("<mtr>") == 6
    md = b.document("markdown")
    assert "L &= 250 && \\text{input channels}" in md
    from symconv.render.layout import NOTE, Rows

    assert Rows([("k", "= 3" + NOTE + "\\text{kernel}")]).one_line() == "k = 3 \\qquad \\text{kernel}"  # no & alone
