"""HTML output: one self-contained page, MathJax from a CDN, every piece of text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from symconv.io.problemfile import parse, solve_all
from symconv.render.html import MATHJAX_URL, HtmlRenderer

SHEET = {
    "title": "<script>alert(1)</script> & \\[x\\]",
    "problem": [
        {"id": "rf", "type": "receptive_field", "kernels": [4, 4, 4], "strides": [1, 2, 2]},
        {"id": "layer", "type": "conv_layer", "input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2},
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
        if tag not in ("meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page() -> str:
    return HtmlRenderer("full").document([r.derivation for _, r in solve_all(parse(SHEET))], SHEET["title"])


def test_page_is_balanced_and_loads_only_mathjax() -> None:
    p = Collect()
    p.feed(page())
    assert p.open == []
    scripts = [attrs for tag, attrs in p.tags if tag == "script"]
    assert [s.get("src") for s in scripts if s.get("src")] == [MATHJAX_URL]
    assert not [t for t, a in p.tags if t in ("link", "img", "iframe")]


def test_user_text_is_escaped_and_not_typeset() -> None:
    html = page()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\[x\\]" in html
    # MathJax typesets only the .math blocks: the body ignores TeX delimiters in ordinary text.
    assert '<body class="tex2jax_ignore">' in html


def test_math_blocks_hold_the_chains() -> None:
    html = page()
    assert '<div class="math tex2jax_process">\\[' in html
    assert "\\boxed{14\\,370\\,048}" in html
    assert "&amp;=" in html  # the & of aligned, escaped for HTML, decoded before MathJax reads it
