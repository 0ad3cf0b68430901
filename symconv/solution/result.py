"""The result object every API call returns: exact answers now, the worked derivation on demand."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from symconv.core.coerce import is_array

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
        conventions: dict[str, str],
        build: Callable[[Derivation], None],
    ) -> None:
        self.kind = kind
        self.title = title
        self.answers = answers
        self.conventions = conventions
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

        answers = {k: v.tolist() if is_array(v) else v for k, v in self.answers.items()}  # documents hold lists
        d = Derivation(title=self.title, kind=self.kind, answers=answers, conventions=dict(self.conventions))
        self._build(d)
        return d

    @property
    def steps(self) -> list[Step]:
        """The steps of the derivation, in order."""
        return self.derivation.steps

    def latex(self, detail: Detail = "full") -> str:
        """The worked solution as a LaTeX fragment (amsmath); see :meth:`document` for a whole file."""
        from symconv.render.latex import LatexRenderer

        return LatexRenderer(detail).derivation(self.derivation)

    def text(self, detail: Detail = "full") -> str:
        """The worked solution as plain (Unicode) text."""
        from symconv.render.text import TextRenderer

        return TextRenderer(detail).derivation(self.derivation)

    def document(self, fmt: str = "latex", detail: Detail = "full", title: str = "") -> str:
        """A complete document in ``fmt`` (``latex``, ``text``, …) holding this one problem."""
        from symconv.render import get_renderer

        return get_renderer(fmt)(detail).document([self.derivation], title)

    def _repr_latex_(self) -> str | None:
        from symconv.render.latex import LatexRenderer
        from symconv.solution.derivation import Plot, Table

        if any(isinstance(step, (Table, Plot)) for step in self.derivation.steps):
            return None  # a table or a plot is not math: Jupyter shows _repr_markdown_ instead
        return LatexRenderer("full").math_block(self.derivation)

    def _repr_markdown_(self) -> str:
        """The worked solution as Markdown (tables and ``$$`` math), for notebooks."""
        from symconv.render.markdown import MarkdownRenderer

        return MarkdownRenderer("full").derivation(self.derivation)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.answers.items() if not isinstance(v, list) or len(v) <= 8)
        return f"{type(self).__name__}({shown})"

    def __str__(self) -> str:
        return self.text()
