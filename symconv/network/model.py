"""The network model: the Layer every kind derives from, padding, and a Network in topological order.

A :class:`Network` is data: the input size ``[H, W, C]`` (``[L, C]`` for 1-D signals, ``[D, H, W, C]``
for volumes and video), the layers in an order where every layer
reads only the input or earlier layers, and the endpoint whose receptive field is the problem's
answer. Sizes are Python ints; the input's H, W, C and channel counts may be SymPy symbols. The kinds
of layer (conv, pooling, add …) are the subclasses of :class:`Layer` in symconv.network.kinds, one
module each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.errors import InputError

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.info import Counting, LayerInfo, Source
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall

INPUT = "input"
"""The name under which layers read the network's input."""

Pair = tuple[int, int]
Sizes = tuple[int, ...]
"""A size per spatial axis (kernel, stride, dilation): one for a 1-D map, two for 2-D, three for 3-D."""


@dataclass(frozen=True, init=False)
class Padding:
    """Padding of a windowed layer, in pixels per side of each spatial axis, or TensorFlow's ``'same'`` rule.

    ``sides`` holds (before, after) per spatial axis in the axes' order (depth, height, width; the
    length of a 1-D map); no padding at all is ``()``, valid for any number of axes.
    ``Padding(top, bottom, left, right)`` is the 2-D form. ``same=True`` means TensorFlow's 'SAME':
    the output size is ceil(i / s) and the total padding max((o - 1) s + k_eff - i, 0) is split with
    the smaller half before and the extra pixel after; it depends on the input size, so it is
    resolved per layer.
    """

    sides: tuple[Pair, ...]
    same: bool

    def __init__(
        self,
        top: int = 0,
        bottom: int = 0,
        left: int = 0,
        right: int = 0,
        same: bool = False,
        *,
        sides: tuple[Pair, ...] | None = None,
    ) -> None:
        if sides is None:
            sides = ((top, bottom), (left, right))
        sides = tuple((b, e) for b, e in sides)
        if same or all(b == 0 and e == 0 for b, e in sides):
            sides = ()  # no padding: the same for any number of axes
        object.__setattr__(self, "sides", sides)
        object.__setattr__(self, "same", same)

    @classmethod
    def symmetric(cls, *per_axis: int) -> Padding:
        """The same padding on both sides of each axis (``symmetric(p_h, p_w)``, ``symmetric(p_l)`` …)."""
        return cls(sides=tuple((p, p) for p in per_axis))

    @property
    def top(self) -> int:
        return self.axis(0)[0]

    @property
    def bottom(self) -> int:
        return self.axis(0)[1]

    @property
    def left(self) -> int:
        return self.axis(1)[0]

    @property
    def right(self) -> int:
        return self.axis(1)[1]

    @property
    def is_symmetric(self) -> bool:
        return not self.same and all(b == e for b, e in self.sides)

    @property
    def rank(self) -> int | None:
        """The number of axes it was given for (None: no padding, or 'same', which fit any)."""
        return len(self.sides) or None

    def axis(self, axis: int) -> Pair:
        """(before, after) padding along a spatial axis (0 is the first); meaningless when ``same``."""
        return self.sides[axis] if self.sides else (0, 0)

    def describe(self) -> str:
        if self.same:
            return "same"
        if not self.sides:
            return "0"
        if self.is_symmetric:
            per_axis = [b for b, _ in self.sides]
            return str(per_axis[0]) if len(set(per_axis)) == 1 else str(per_axis).replace("'", "")
        return str([p for side in self.sides for p in side])


VALID = Padding()
SAME = Padding(same=True)


_KINDS: dict[str, type[Layer]] = {}
"""Every layer kind by the type names of problem files (``conv``, ``maxpool``, ``relu`` …), in registration order."""


def register(cls: type[Layer], *type_names: str) -> None:
    """Let problem files build ``cls`` from layers of these types (a kind's own types register themselves)."""
    for type_name in type_names:
        _KINDS[type_name] = cls


def layer_kinds() -> list[type[Layer]]:
    """Every layer kind, once each, in the order they were defined (symconv.network.kinds imports them all)."""
    import symconv.network.kinds  # noqa: F401 -- registers the kinds

    return list(dict.fromkeys(_KINDS.values()))


def kind_of(type_name: str) -> type[Layer] | None:
    """The layer kind a problem file's ``type`` names (None: unknown)."""
    import symconv.network.kinds  # noqa: F401 -- registers the kinds

    return _KINDS.get(type_name)


def type_names() -> tuple[str, ...]:
    """Every ``type`` a problem file may give a layer: the kinds' own, then the activations by name."""
    import symconv.network.kinds  # noqa: F401 -- registers the kinds

    own = tuple(t for cls in layer_kinds() for t in cls.spec_types)
    return own + tuple(sorted(set(_KINDS) - set(own)))


@dataclass(frozen=True, kw_only=True)
class Layer:
    """A layer: its unique ``name`` and the names of the tensors it reads (empty: the previous layer).

    A layer kind is one subclass in one module of symconv.network.kinds, holding everything about
    it: its fields, how a problem file and a PyTorch module describe it, and its rules (the output
    shape, receptive field and costs through the catalogue's compositions; the steps of its row).
    Defining the subclass registers it under its ``spec_types``.

    Class attributes:
        kind: the layer's type as written in problem files.
        arity: number of inputs; None: two or more (merges); a pair: at least, at most (see :meth:`inputs_error`).
        spec_types: the problem-file types that build this kind (default: ``kind``).
        spec_keys: the keys a problem file may give (besides name, type, input).
        torch_modules, torch_functions: the PyTorch module classes and functions (or tensor methods)
            that convert to this kind (see :meth:`from_torch_module`, :meth:`from_torch_function`).
        macs_layer: its MACs are multiplications by weights (convolutions, linear layers).
        per_element_rule: with ``count_other_ops``, what it is charged per element (ptflops' rule,
            stated in the conventions); '' when it costs nothing.
        label: the kind in the conventions' lists ('pooling', 'activations' …).
        allocates: its output is a new tensor in memory (False for views: flatten, identity, dropout at
            inference, channel slices, permutations share their input's memory).
    """

    kind: ClassVar[str] = ""
    arity: ClassVar[int | None | tuple[int, int]] = 1
    spec_types: ClassVar[tuple[str, ...]] = ()
    spec_keys: ClassVar[frozenset[str]] = frozenset()
    torch_modules: ClassVar[tuple[str, ...]] = ()
    torch_functions: ClassVar[tuple[str, ...]] = ()
    macs_layer: ClassVar[bool] = False
    per_element_rule: ClassVar[str] = ""
    label: ClassVar[str] = ""
    allocates: ClassVar[bool] = True

    name: str
    inputs: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" not in cls.__dict__:
            return  # a shared base of several kinds, not a kind
        if "spec_types" not in cls.__dict__:
            cls.spec_types = (cls.kind,)
        register(cls, *cls.spec_types)

    @property
    def type_name(self) -> str:
        """The layer's type as written in problem files (``conv``, ``maxpool``, ``relu`` …)."""
        return self.kind

    @property
    def references(self) -> tuple[str, ...]:
        """Tensors the layer reads only for their shape (an interpolation to another tensor's size), after ``inputs``."""
        return ()

    def inputs_error(self, count: int) -> str | None:
        """Why ``count`` inputs are wrong for this layer (None: they are right)."""
        arity = self.arity
        if arity is None:
            return None if count >= 2 else f"{self.type_name} needs a list of two or more inputs"
        if isinstance(arity, tuple):
            low, high = arity
            return None if low <= count <= high else f"{self.type_name} reads {low} to {high} inputs"
        if count != arity:
            return (
                f"{self.type_name} reads exactly one input" if arity == 1 else f"{self.type_name} reads {arity} inputs"
            )
        return None

    # -- how files and PyTorch describe it ---------------------------------------------------------
    @classmethod
    def keys_for(cls, type_name: str) -> frozenset[str]:
        """The keys a problem-file layer of this ``type`` may have besides name, type and input."""
        return cls.spec_keys

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        """The layer a problem file's table describes (``f`` reads its keys, naming the field in errors)."""
        return cls(**common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        """The layer of PyTorch module ``m`` (one of :attr:`torch_modules`, or a subclass keeping its forward)."""
        return cls(name=call.name, inputs=call.inputs)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        """The layer of a torch.fx call of one of :attr:`torch_functions` (None: not this kind's form of it; raise
        ``call.unsupported(reason)`` to say why)."""
        return cls(name=call.name, inputs=call.inputs)

    # -- its rules --------------------------------------------------------------------------------
    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        """Output shape, receptive field, parameters and MACs; a kind without rules is an error, never free."""
        from symconv.errors import UnsupportedError

        raise UnsupportedError(f"layer {self.name!r}: no rule for {type(self).__name__}")

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        """The steps of its row along one spatial axis (``tag`` 'h'/'w', or '' when both axes agree)."""

    def derive_counts(self, row: Row) -> None:
        """The steps of its parameters and MACs (default: the counted figures, as a note)."""
        from symconv.core.richtext import rich

        info = row.info
        row.der.note(rich("{name}: {n} parameters counted, {m} MACs.", name=info.name, n=info.parameters, m=info.macs))


@dataclass(frozen=True)
class Network:
    """A network: input ``(H, W, C)`` (``(L, C)``, ``(D, H, W, C)``), layers in topological order, the endpoint.

    On construction every layer's ``inputs`` is made explicit (the previous layer, or the input
    for the first layer), and names, references and arities are checked.

    Raises:
        InputError: duplicate or reserved names, a layer reading an unknown or later layer
            (which also rules out cycles), a merge with fewer than two inputs, an unknown endpoint.
    """

    input: tuple[Any, ...]
    layers: tuple[Layer, ...]
    endpoint: str = ""
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.layers:
            raise InputError("layers", [], "a network needs at least one layer")
        resolved: list[Layer] = []
        index: dict[str, int] = {}
        previous = INPUT
        for position, layer in enumerate(self.layers):
            where = f"layers[{position}] ({layer.name!r})"
            if layer.name == INPUT:
                raise InputError(f"{where}.name", layer.name, f"{INPUT!r} is reserved for the network's input")
            if layer.name in index:
                raise InputError(f"{where}.name", layer.name, "duplicate layer name")
            inputs = layer.inputs or (previous,)
            for source in (*inputs, *layer.references):
                if source == layer.name:
                    raise InputError(f"{where}.input", source, "a layer cannot read itself (a cycle)")
                if source != INPUT and source not in index:
                    later = any(other.name == source for other in self.layers[position + 1 :])
                    reason = (
                        "reads a later layer (layers must be listed so that each reads only earlier ones; "
                        "a cycle is not allowed)"
                        if later
                        else "unknown layer"
                    )
                    raise InputError(f"{where}.input", source, reason)
            wrong = layer.inputs_error(len(inputs))
            if wrong:
                raise InputError(f"{where}.input", list(inputs), wrong)
            resolved.append(layer if layer.inputs == inputs else replace(layer, inputs=tuple(inputs)))
            index[layer.name] = position
            previous = layer.name
        object.__setattr__(self, "layers", tuple(resolved))
        object.__setattr__(self, "index", index)
        endpoint = self.endpoint or self.layers[-1].name
        if endpoint not in index:
            raise InputError("endpoint", endpoint, "no layer has this name")
        object.__setattr__(self, "endpoint", endpoint)

    def layer(self, name: str) -> Layer:
        """The layer called ``name``."""
        if name not in self.index:
            raise InputError("layer", name, "no layer has this name")
        return self.layers[self.index[name]]
