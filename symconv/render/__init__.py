"""Renderers: one per output format, each turning derivations into text without computing anything.

A renderer's module is imported when its format is first asked for (``symconv net … --format text``
loads the text renderer only): the command's time is mostly imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symconv.render.base import Renderer
    from symconv.render.html import HtmlRenderer
    from symconv.render.json import JsonRenderer
    from symconv.render.latex import LatexRenderer
    from symconv.render.markdown import MarkdownRenderer
    from symconv.render.text import TextRenderer

_CLASSES = {
    "latex": ("symconv.render.latex", "LatexRenderer"),
    "markdown": ("symconv.render.markdown", "MarkdownRenderer"),
    "html": ("symconv.render.html", "HtmlRenderer"),
    "text": ("symconv.render.text", "TextRenderer"),
    "json": ("symconv.render.json", "JsonRenderer"),
}


class _Registry(Mapping[str, "type[Renderer]"]):
    """Format name → renderer class, each module imported on first use."""

    def __getitem__(self, name: str) -> type[Renderer]:
        module, cls = _CLASSES[name]
        return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(_CLASSES)

    def __len__(self) -> int:
        return len(_CLASSES)


RENDERERS: Mapping[str, type[Renderer]] = _Registry()
"""Renderer class per ``--format`` name."""


def get_renderer(name: str) -> type[Renderer]:
    """The renderer class for a format name; raises ValueError naming the known formats."""
    from symconv.errors import InputError

    if name not in RENDERERS:
        raise InputError("format", name, "unknown format; use one of " + ", ".join(sorted(RENDERERS)))
    return RENDERERS[name]


def __getattr__(name: str) -> Any:
    """The renderer classes by name (``from symconv.render import TextRenderer``), imported on first use."""
    for module, cls in _CLASSES.values():
        if cls == name:
            return getattr(importlib.import_module(module), cls)
    if name == "Renderer":
        return importlib.import_module("symconv.render.base").Renderer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RENDERERS",
    "HtmlRenderer",
    "JsonRenderer",
    "LatexRenderer",
    "MarkdownRenderer",
    "Renderer",
    "TextRenderer",
    "get_renderer",
]
