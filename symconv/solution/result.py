"""The result object every API call returns: exact answers now, the worked derivation on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the derivation (and with it SymPy) is imported only when steps are asked for
    from symconv.solution.derivation import Derivation, Detail, Step


class Result:
    """Answers of one problem, with its derivation built lazily (only when steps are asked for).

    Attributes:
        answers: answer key → exact value (``int``, ``Fraction``, lists of them) or SymPy closed form.
        conventions: topic → the sentence stating the convention used.
        value: the main answer (see each problem's docstring).
    """

    main: str = ""  # the answer key that .value returns

    def __init__(
        self,
        kind: str,
        title: str,
        answers: dict[str, Any],
        conventions: Mapping[str, str],
        build: Callable[[Derivation], None],
    ) -> None:
        self.kind = kind
        self.title = title
        self.answers = answers
        self.conventions = dict(conventions)
        self._build = build

    @property
    def value(self) -> Any:
        """The main answer of the problem."""
        return self.answers[self.main]

    def __getitem__(self, key: str) -> Any:
        return self.answers[key]

    @cached_property
    def derivation(self) -> Derivation:
        """The worked solution as data (steps, answers, conventions)."""
        from symconv.solution.derivation import Derivation

        d = Derivation(
            title=self.title,
            kind=self.kind,
            answers=dict(self.answers),
            conventions=dict(self.conventions),
            main=self.main,
        )
        self._build(d)
        return d

    @property
    def steps(self) -> list[Step]:
        """The steps of the derivation, in order (a group's steps right after it)."""
        return list(self.derivation.walk())

    def latex(self, detail: Detail = "full") -> str:
        """The worked solution as a LaTeX fragment (amsmath); see :meth:`document` for a whole file."""
        from symconv.render.latex import LatexRenderer

        return LatexRenderer(detail).derivation(self.derivation)

    def text(self, detail: Detail = "full", width: int | None = None) -> str:
        """The worked solution as plain (Unicode) text, ``width`` columns wide (default ``COLUMNS``, else 80)."""
        from symconv.render.text import TextRenderer

        return TextRenderer(detail, width).derivation(self.derivation)

    def document(self, fmt: str = "latex", detail: Detail = "full", title: str = "") -> str:
        """A complete document in ``fmt`` (``latex``, ``text``, …) holding this one problem."""
        from symconv.render import get_renderer

        return get_renderer(fmt)(detail).document([self.derivation], title)

    max_rows: int | None = 30
    """Notebook views show a longer table (a network's layers) as its first and last rows around ⋮.

    Set it to ``None`` on a result (or on :class:`Result` for all of them) to show every row.
    """

    def _repr_latex_(self) -> str:
        """The worked solution as one ``aligned`` display with its labels (``text/latex``, used by PDF export)."""
        from symconv.render.latex import LatexRenderer

        renderer = LatexRenderer("full")
        renderer.max_rows = self.max_rows
        renderer.sized = False  # MathJax in the notebook reads \\left … \\right
        return renderer.math_block(self.derivation)

    def _repr_markdown_(self) -> str:
        """The worked solution as Markdown (tables and ``$$`` math), for notebooks."""
        from symconv.render.markdown import MarkdownRenderer

        renderer = MarkdownRenderer("full")
        renderer.max_rows = self.max_rows
        return renderer.derivation(self.derivation)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.answers.items() if not isinstance(v, list) or len(v) <= 8)
        return f"{type(self).__name__}({shown})"

    def __str__(self) -> str:
        return self.text()
