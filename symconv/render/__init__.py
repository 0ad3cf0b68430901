"""Renderers: one per output format, each turning derivations into text without computing anything."""

from __future__ import annotations

from symconv.render.base import Renderer
from symconv.render.html import HtmlRenderer
from symconv.render.json import JsonRenderer
from symconv.render.latex import LatexRenderer
from symconv.render.markdown import MarkdownRenderer
from symconv.render.text import TextRenderer

RENDERERS: dict[str, type[Renderer]] = {
    "latex": LatexRenderer,
    "markdown": MarkdownRenderer,
    "html": HtmlRenderer,
    "text": TextRenderer,
    "json": JsonRenderer,
}
"""Renderer class per ``--format`` name."""


def get_renderer(name: str) -> type[Renderer]:
    """The renderer class for a format name; raises ValueError naming the known formats."""
    from symconv.errors import InputError

    if name not in RENDERERS:
        raise InputError("format", name, "unknown format; use one of " + ", ".join(sorted(RENDERERS)))
    return RENDERERS[name]
