"""The result object every API call returns: exact answers now, the worked derivation on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from symconv.core.arith import printing_long_integers
from symconv.core.coerce import is_array

if TYPE_CHECKING:  # the derivation (and with it SymPy) is imported only when steps are asked for
    from symconv.solution.derivation import Derivation, Detail, Step

V = TypeVar("V")
T = TypeVar("T")


class Answer(Generic[T]):
    """A typed attribute reading one answer: ``output_shape: Answer[list[Size]] = Answer()`` on a result class
    makes ``result.output_shape`` the answer of that key, with its type for checkers and editors (None when absent).
    The key is the attribute's name unless given."""

    def __init__(self, key: str = "") -> None:
        self.key = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = self.key or name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Answer[T]: ...

    @overload
    def __get__(self, obj: Result[Any], owner: type | None = None) -> T: ...

    def __get__(self, obj: Result[Any] | None, owner: type | None = None) -> Answer[T] | T:
        if obj is None:
            return self
        return cast(T, obj.answers.get(self.key))


class Result(Generic[V]):
    """Answers of one problem, with its derivation built lazily (only when steps are asked for).

    ``V`` is the type of :attr:`value`; each problem's result class also names its answers as typed
    attributes (``OutputSizeResult.output_size``, ``NetworkResult.parameters`` …).

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
    def value(self) -> V:
        """The main answer of the problem."""
        return cast(V, self.answers[self.main])

    def __getitem__(self, key: str) -> Any:
        return self.answers[key]

    @cached_property
    @printing_long_integers
    def derivation(self) -> Derivation:
        """The worked solution as data (steps, answers, conventions)."""
        from symconv.solution.derivation import Derivation

        answers = {k: v.tolist() if is_array(v) else v for k, v in self.answers.items()}  # documents hold lists
        d = Derivation(
            title=self.title,
            kind=self.kind,
            answers=answers,
            conventions=dict(self.conventions),
            main=self.main,
        )
        self._build(d)
        return d

    @property
    def steps(self) -> list[Step]:
        """The steps of the derivation, in order (a group's steps right after it)."""
        return list(self.derivation.walk())

    @printing_long_integers
    def latex(self, detail: Detail = "full") -> str:
        """The worked solution as a LaTeX fragment (amsmath); see :meth:`document` for a whole file."""
        from symconv.render.latex import LatexRenderer

        return LatexRenderer(detail).derivation(self.derivation)

    @printing_long_integers
    def text(self, detail: Detail = "full", width: int | None = None) -> str:
        """The worked solution as plain (Unicode) text, ``width`` columns wide (default ``COLUMNS``, else 80)."""
        from symconv.render.text import TextRenderer

        return TextRenderer(detail, width).derivation(self.derivation)

    @printing_long_integers
    def document(self, fmt: str = "latex", detail: Detail = "full", title: str = "") -> str:
        """A complete document in ``fmt`` (``latex``, ``text``, …) holding this one problem."""
        from symconv.render import get_renderer

        return get_renderer(fmt)(detail).document([self.derivation], title)

    max_rows: int | None = 30
    """Notebook views show a longer table (a network's layers) as its first and last rows around ⋮.

    Set it to ``None`` on a result (or on :class:`Result` for all of them) to show every row.
    """

    @printing_long_integers
    def _repr_latex_(self) -> str:
        """The worked solution as one ``aligned`` display with its labels (``text/latex``, used by PDF export)."""
        from symconv.render.latex import LatexRenderer

        renderer = LatexRenderer("full")
        renderer.max_rows = self.max_rows
        renderer.sized = False  # MathJax in the notebook reads \\left … \\right
        return renderer.math_block(self.derivation)

    @printing_long_integers
    def _repr_markdown_(self) -> str:
        """The worked solution as Markdown (tables and ``$$`` math), for notebooks."""
        from symconv.render.markdown import MarkdownRenderer

        renderer = MarkdownRenderer("full")
        renderer.max_rows = self.max_rows
        return renderer.derivation(self.derivation)

    @printing_long_integers
    def __repr__(self) -> str:
        def short(v: Any) -> str:  # an array as its shape and dtype: the values are in .answers
            return f"<array {'×'.join(map(str, v.shape))} {v.dtype}>" if is_array(v) else repr(v)

        shown = ", ".join(f"{k}={short(v)}" for k, v in self.answers.items() if not isinstance(v, list) or len(v) <= 8)
        return f"{type(self).__name__}({shown})"

    def __str__(self) -> str:
        return self.text()
