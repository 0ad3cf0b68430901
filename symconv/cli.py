"""The ``symconv`` command: parse arguments → problems → solve → render → write (atomically).

Every error a user can cause is one line on stderr and exit status 2; ``check`` exits 1 when a
claimed answer is wrong. The commands are documented in docs/cli.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from symconv.core.arith import long_integers
from symconv.core.limits import MAX_MATRIX_FILE
from symconv.errors import InputError, SymconvError

FORMATS = ("latex", "markdown", "html", "text", "json")
_EXTENSIONS = {
    ".tex": "latex",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".json": "json",
    ".pdf": "pdf",
}

EXIT_OK, EXIT_WRONG, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake (bad option, bad value); printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and raises instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse, but a command's unknown option is an error naming the option meant (--kernel-size → --kernel),
        also when argparse would first complain that the option meant is missing (--out-channels for --filters)."""
        try:
            ns, extras = super().parse_known_args(args, namespace)
        except UsageError:
            known = {o for a in self._actions for o in a.option_strings}
            # argparse takes an unambiguous prefix (--fil for --filters): such an option is not unknown
            given = [a for a in (args or []) if a.startswith("--")]
            self._refuse_unknown([a for a in given if not any(k.startswith(a.partition("=")[0]) for k in known)])
            raise
        self._refuse_unknown([a for a in extras if a.startswith("--")])
        return ns, extras

    def _refuse_unknown(self, options: list[str]) -> None:
        if not options or " " not in self.prog:  # a command's own parser (the top one only sees the leftovers)
            return
        from symconv.core.coerce import suggest

        unknown = options[0].partition("=")[0]
        known = [o[2:].replace("-", "_") for a in self._actions for o in a.option_strings if o.startswith("--")]
        hint = suggest(unknown[2:].replace("-", "_"), known)
        meant = f"; did you mean --{hint.replace('_', '-')}?" if hint else ""
        self.error(f"unrecognized option {unknown}{meant}")


def _version() -> str:
    import symconv

    return str(getattr(symconv, "__version__", "unknown"))


# --- option values --------------------------------------------------------------------------------


def _items(text: str, option: str) -> list[str]:
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise InputError(option, text, "expected comma-separated values such as 4,4,4")
    return parts


def _pair_text(text: str) -> Any:
    """``"3"`` → ``"3"``; ``"3x5"`` → ``["3", "5"]`` (height × width)."""
    parts = re.split(r"[x×]", text)
    return parts if len(parts) > 1 else text


def _shape_text(text: str, option: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[x×,]", text)]
    if len(parts) != 3 or not all(parts):
        raise InputError(option, text, "expected HxWxC, e.g. 38x38x22")
    return parts


def _matrix_text(text: str, option: str) -> Any:
    """A matrix or stack of matrices: JSON-style nested lists, or rows split by ';' and channels by '|'.

    ``"3 0; 1 -2"`` is a 2 × 2 matrix; ``"1 2; 3 4 | 5 6; 7 8"`` two channels; ``@FILE`` reads
    the same syntax from a file.
    """
    if text.startswith("@"):
        text = _read_matrix_file(text[1:], option)
    t = text.strip()
    if t.startswith("["):
        try:
            return json.loads(t)
        except (json.JSONDecodeError, RecursionError):
            raise InputError(option, text, "malformed nested list") from None
    channels = [c for c in t.split("|")]
    out = []
    for c in channels:
        rows = [r.replace(",", " ").split() for r in c.strip().split(";")]
        if not all(rows):
            raise InputError(option, text, "empty row; write rows as '3 0; 1 -2' and channels separated by '|'")
        out.append(rows)
    return out[0] if len(out) == 1 else out


def _read_matrix_file(name: str, option: str) -> str:
    """The text of ``@FILE``, at most :data:`MAX_MATRIX_FILE` bytes (``@/dev/zero`` must not read forever)."""
    try:
        with open(name, "rb") as f:
            raw = f.read(MAX_MATRIX_FILE + 1)
    except OSError as e:
        raise InputError(option, "@" + name, f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_MATRIX_FILE:
        raise InputError(option, "@" + name, f"longer than {MAX_MATRIX_FILE:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(option, "@" + name, "not UTF-8 text") from None


# --- the parser -----------------------------------------------------------------------------------


def _output_options(
    p: argparse.ArgumentParser, default_format: str, default_detail: str | None = "full", detail_help: str = ""
) -> None:
    g = p.add_argument_group("output")
    g.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write to OUT (atomically) instead of stdout; the format follows OUT's extension unless --format is given",
    )
    g.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=f"output format (default: {default_format}, or from OUT's extension)",
    )
    g.add_argument(
        "--detail",
        choices=("full", "compact", "answer"),
        default=default_detail,
        help="full: every partial evaluation; compact: formula, substitution, result; answer: answers only "
        f"(default: {detail_help or default_detail})",
    )
    g.add_argument(
        "--pdf",
        action="store_true",
        help="compile the LaTeX with pdflatex (or latexmk), shell escape off; writes OUT or NAME.pdf",
    )
    p.set_defaults(default_format=default_format)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``symconv`` command."""
    parser = _Parser(
        prog="symconv",
        description="Worked solutions of convolutional-network arithmetic: closed forms, every step, exact answers.",
        epilog="Run 'symconv COMMAND --help' for the options of a command. Documentation: docs/cli.md.",
    )
    parser.add_argument("--version", action="version", version=f"symconv {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "solve",
        help="solve every problem of a problem file (TOML)",
        description="Solve every problem of a TOML problem file (docs/problem-format.md).",
    )
    p.add_argument("file", metavar="FILE", help="problem file")
    # None: full, or compact for a file of networks only (as `symconv net`: table and totals, no SymPy)
    _output_options(p, "latex", None, "full; compact for a file of networks only, as net")

    p = sub.add_parser(
        "check",
        help="check claimed answers against the derived ones",
        description="Check a claimed solution: report every wrong answer with the correct value and the "
        "step where they part. Exit status 0: all right; 1: some wrong; 2: bad input.",
    )
    p.add_argument("file", metavar="FILE", help="problem file")
    p.add_argument(
        "--answers", metavar="CLAIMED", required=True, help="TOML file: a table per problem id of claimed answers"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT instead of stdout")

    p = sub.add_parser(
        "rf",
        help="receptive field of a layer stack",
        description="Receptive field, effective stride (and effective padding) of a stack of layers.",
    )
    p.add_argument("--kernels", required=True, metavar="K,K,…", help="per layer: k or k_hxk_w, e.g. 4,4,4 or 3x5,3")
    p.add_argument("--strides", metavar="S,S,…", help="per layer, default 1")
    p.add_argument("--dilations", metavar="D,D,…", help="per layer, default 1")
    p.add_argument("--paddings", metavar="P,P,…", help="per layer, per side; gives the effective padding")
    _output_options(p, "text")

    p = sub.add_parser(
        "size",
        help="output size along one axis",
        description="Output size of a convolution, pooling or transposed convolution along one axis.",
    )
    p.add_argument("--input", metavar="I", help="input size (left out: a closed form in i)")
    p.add_argument("--kernel", metavar="K", help="kernel size (left out: a closed form in k)")
    p.add_argument("--stride", metavar="S")
    p.add_argument("--padding", metavar="P", help="per side")
    p.add_argument("--dilation", metavar="D")
    p.add_argument("--mode", choices=("floor", "ceil", "transposed", "tf_same"))
    p.add_argument("--output-padding", metavar="A", help="transposed mode only")
    _output_options(p, "text")

    p = sub.add_parser(
        "layer",
        help="shape, parameters and costs of a convolution layer",
        description="Output shape, parameters, multiplications, MACs and FLOPs of one convolution layer.",
    )
    p.add_argument("--input", required=True, metavar="HxWxC", help="input shape, e.g. 38x38x22")
    p.add_argument("--kernel", required=True, metavar="K", help="k or k_hxk_w")
    p.add_argument("--filters", required=True, metavar="N", help="number of filters (output channels)")
    p.add_argument("--stride", metavar="S", help="s or s_hxs_w, default 1")
    p.add_argument("--padding", metavar="P", help="per side: p, p_hxp_w, valid or same; default 0")
    p.add_argument("--dilation", metavar="D", help="default 1")
    p.add_argument("--groups", metavar="G", help="default 1")
    p.add_argument("--no-bias", action="store_true", help="the layer has no biases")
    p.add_argument("--transposed", action="store_true", help="a transposed convolution")
    p.add_argument("--output-padding", metavar="A", help="transposed convolutions only")
    _output_options(p, "text")

    p = sub.add_parser(
        "bottleneck",
        help="savings of a 1 × 1 bottleneck",
        description="Multiplications of a k × k convolution from L to N channels against a 1 × 1 "
        "reduction to P channels followed by the k × k convolution.",
    )
    p.add_argument("--input", required=True, metavar="HxWxL")
    p.add_argument("--kernel", required=True, metavar="K")
    p.add_argument("--filters", "--outputs", dest="filters", required=True, metavar="N", help="output channels")
    p.add_argument("--bottleneck", required=True, metavar="P")
    _output_options(p, "text")

    p = sub.add_parser(
        "separable",
        help="savings of a depthwise-separable convolution",
        description="Multiplications of a standard convolution against a depthwise-separable one.",
    )
    p.add_argument("--input", required=True, metavar="HxWxM")
    p.add_argument("--kernel", required=True, metavar="K")
    p.add_argument("--filters", "--outputs", dest="filters", required=True, metavar="N", help="output channels")
    _output_options(p, "text")

    p = sub.add_parser(
        "conv",
        help="a convolution computed element by element",
        description="The output feature map of a convolution, every element worked out. Matrices: rows "
        "separated by ';', channels by '|' (\"3 0; 1 -2\"), or JSON-style nested lists, or @FILE.",
    )
    p.add_argument("--input", required=True, metavar="MATRIX", help="[C][H][W] or [H][W]")
    p.add_argument(
        "--kernel",
        required=True,
        action="append",
        metavar="MATRIX",
        help="one filter [C][kh][kw] or [kh][kw]; repeat for several filters",
    )
    p.add_argument("--stride", metavar="S")
    p.add_argument("--padding", metavar="P")
    p.add_argument("--dilation", metavar="D")
    p.add_argument("--bias", metavar="B")
    p.add_argument("--groups", metavar="G")
    p.add_argument("--flip", action="store_true", help="flip the kernel (true convolution, not cross-correlation)")
    _output_options(p, "text")

    p = sub.add_parser(
        "net",
        help="analyse a network described in a TOML file",
        description="Per-layer shapes, receptive fields, parameters and costs of a network file.",
    )
    p.add_argument("file", metavar="FILE", help="a network problem file (TOML), or an ONNX model (.onnx)")
    p.add_argument(
        "--memory",
        metavar="DTYPE",
        nargs="?",
        const="float32",
        help="add the memory of every layer and torchinfo's training estimate (default data type float32)",
    )
    # the table and the totals; --detail full adds a worked row of each kind of layer (and imports SymPy)
    _output_options(p, "latex", "compact")

    p = sub.add_parser(
        "formula",
        help="a general closed form with its derivation ('list' lists them)",
        description="Show a general closed form with its derivation (e.g. 'savings'), or 'list' the catalogue.",
    )
    p.add_argument(
        "name",
        metavar="NAME",
        help="'list', a derived name (savings, ratio, layer, output_size, receptive_field_3) or a catalogue formula",
    )
    p.add_argument(
        "--diff",
        metavar="SYMBOL",
        help="the partial derivative with respect to SYMBOL (finite difference where it is inside a floor) and the elasticity",
    )
    p.add_argument("--given", metavar="X=V,…", help="with --diff: the point, every symbol (a name keeps it symbolic)")
    _output_options(p, "text")

    p = sub.add_parser(
        "solve-for",
        help="the integers a symbol may take so that a quantity meets a target",
        description="Solve QUANTITY REL TARGET for UNKNOWN: the exact set of admissible integers, every "
        "rearrangement shown (a floor becomes a double inequality). Example: symconv solve-for s "
        "conv_output_size --target 18 --given i=38,k=3,p=0,d=1",
    )
    p.add_argument("unknown", metavar="UNKNOWN", help="the symbol solved for, e.g. s")
    p.add_argument("quantity", metavar="QUANTITY", help="a catalogue formula or a derived name (symconv formula list)")
    p.add_argument("--target", required=True, metavar="T", help="a number (18, 9/10, 0.9) or a symbol name")
    p.add_argument(
        "--relation", metavar="REL", help="==, >=, <=, > or < (or eq, ge, le, gt, lt: no shell quoting); default =="
    )
    p.add_argument("--given", metavar="X=V,…", help="every other symbol, e.g. i=38,k=3,p=0,d=1")
    p.add_argument("--range", metavar="LO,HI", help="values of the unknown to consider, e.g. 1,64")
    p.add_argument(
        "--network",
        metavar="FILE",
        help="a network file (input and layers, symbol names allowed): QUANTITY is then parameters, macs, "
        "receptive_field or effective_stride",
    )
    _output_options(p, "text")

    p = sub.add_parser(
        "sweep",
        help="a quantity over one parameter: exact table and plot",
        description="Evaluate QUANTITY exactly at every integer of --range (or each of --values) of --vary; "
        "the table and a plot. -o plot.svg or plot.png writes the figure (needs pip install 'symconv[plot]').",
    )
    p.add_argument("quantity", metavar="QUANTITY", help="a formula, a derived name, or with --network a network total")
    p.add_argument("--vary", required=True, metavar="X", help="the symbol swept")
    p.add_argument("--range", metavar="FIRST,LAST", help="every integer from FIRST to LAST")
    p.add_argument("--values", metavar="V,V,…", help="an explicit list of values")
    p.add_argument("--given", metavar="X=V,…", help="every other symbol; a value for X marks the given point")
    p.add_argument(
        "--network",
        metavar="FILE",
        help="a network file (input and layers, symbol names allowed): QUANTITY is then parameters, macs, "
        "receptive_field or effective_stride",
    )
    _output_options(p, "text")

    p = sub.add_parser(
        "compare",
        help="compare designs (layer stacks) described in a TOML file",
        description="Receptive field, parameters, MACs and output shape of two or more layer stacks side by side, "
        "with their exact ratios to the first (docs/problem-format.md, type compare).",
    )
    p.add_argument("file", metavar="FILE")
    _output_options(p, "text")
    return parser


# --- commands -------------------------------------------------------------------------------------


def _format(args: argparse.Namespace) -> str:
    if args.pdf:
        if args.format not in (None, "latex"):
            raise UsageError(
                f"symconv {args.command}: --pdf compiles LaTeX; it cannot be combined with --format {args.format}"
            )
        return "pdf"
    if args.format:
        return str(args.format)
    if args.output:  # an empty OUT is refused when it is written
        fmt = _EXTENSIONS.get(Path(args.output).suffix.lower())
        if fmt:
            return fmt
    return str(args.default_format)


def _emit(args: argparse.Namespace, fmt: str, render: Any, stem: str) -> None:
    """Render (a callable taking the format), compile if PDF, and write to OUT or stdout."""
    if fmt == "pdf":
        from symconv.io.writing import compile_pdf

        pdf = compile_pdf(render("latex"))
        out = args.output if args.output is not None else f"{stem}.pdf"
        _write(out, pdf)
        print(f"symconv: wrote {_printable(out)}", file=sys.stderr)
        return
    _write(args.output, render(fmt))


def _write(output: str | None, data: str | bytes) -> None:
    """Write to the ``-o`` path (see :func:`~symconv.io.writing.write_output`) or to standard output."""
    from symconv.io.writing import OutputError, write_output

    if output is not None:
        write_output(output, data)
        return
    if sys.stdout is None:  # started with stdout closed (`symconv … >&-`)
        raise OutputError("standard output is closed; give -o OUT")
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:  # EBADF, ENOSPC (/dev/full), EIO
        _discard_stdout()
        raise OutputError(f"standard output: cannot write: {e.strerror or e}") from None


def _discard_stdout() -> None:
    """Point fd 1 at /dev/null so the interpreter's final flush of what is left cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _document(derivations: Sequence[Any], title: str, fmt: str, detail: str) -> str:
    from symconv.render import get_renderer

    return get_renderer(fmt)(detail).document(list(derivations), title)  # type: ignore[arg-type]


def cmd_solve(args: argparse.Namespace) -> int:
    from symconv.io.problemfile import load, solve_all

    fmt = _format(args)
    problems = load(args.file)
    solved = solve_all(problems)  # everything is derived before anything is written
    derivations = [r.derivation for _, r in solved]
    # a file of networks reads as `symconv net` does: the worked rows (SymPy's) on request only
    networks_only = bool(problems.problems) and all(p.type.name == "network" for p in problems.problems)
    detail = args.detail or ("compact" if networks_only else "full")
    _emit(args, fmt, lambda f: _document(derivations, problems.title, f, detail), Path(args.file).stem)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from symconv.io.check import check, report_json, report_text
    from symconv.io.problemfile import load, solve_all

    problems = load(args.file)
    report = check(problems, solve_all(problems), args.answers)
    text = report_json(report, args.answers) if args.format == "json" else report_text(report, args.answers)
    _write(args.output, text)
    return EXIT_OK if report.ok else EXIT_WRONG


def _one(
    args: argparse.Namespace, type_name: str, params: dict[str, Any], options: dict[str, str] | None = None
) -> int:
    """Solve one problem given on the command line, through the same checks as a problem file."""
    fmt = _format(args)
    d = _solved(args, type_name, params, options).derivation
    d.id = ""
    _emit(args, fmt, lambda f: _document([d], "", f, args.detail), f"symconv-{args.command}")
    return EXIT_OK


def _solved(
    args: argparse.Namespace, type_name: str, params: dict[str, Any], options: dict[str, str] | None = None
) -> Any:
    """The Result of one command-line problem; errors name the option (``options`` maps a field to its option)."""
    from symconv.io.problemfile import Problem, ProblemFileError, solve
    from symconv.io.types import get_type

    ptype = get_type(type_name)
    given = {k: v for k, v in params.items() if v is not None}

    def option(field: str) -> str:
        base, sep, rest = field.partition(".")
        named = (options or {}).get(base, "--" + base.replace("_", "-"))
        return named + sep + rest

    try:
        checked = ptype.check(given, "")
    except InputError as e:
        raise InputError(option(e.field), e.value, e.reason) from None
    try:
        return solve(Problem(args.command, ptype, checked, 1, "command line"))
    except ProblemFileError as e:
        raise InputError(option(e.field), e.value, e.reason) from None


def _assignments(text: str | None, option: str) -> dict[str, str] | None:
    """``"i=38,k=3"`` → ``{"i": "38", "k": "3"}``."""
    if text is None:
        return None
    out: dict[str, str] = {}
    for item in _items(text, option):
        key, eq, value = item.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise InputError(option, text, "expected NAME=VALUE pairs separated by commas, e.g. i=38,k=3")
        out[key.strip()] = value.strip()
    return out


def _two(text: str | None, option: str) -> list[str] | None:
    """``"1,64"`` → ``["1", "64"]``."""
    if text is None:
        return None
    parts = _items(text, option)
    if len(parts) != 2:
        raise InputError(option, text, "expected LOWEST,HIGHEST such as 1,64")
    return parts


_POSITIONAL = ("UNKNOWN", "QUANTITY", "NAME")
"""Positional arguments that errors name (the options are named --option)."""

_RELATION_WORDS = {"eq": "==", "ge": ">=", "le": "<=", "gt": ">", "lt": "<", "=": "=="}


def cmd_rf(args: argparse.Namespace) -> int:
    def layers(text: str | None, option: str) -> Any:
        return None if text is None else [_pair_text(x) for x in _items(text, option)]

    return _one(
        args,
        "receptive_field",
        {
            "kernels": layers(args.kernels, "--kernels"),
            "strides": layers(args.strides, "--strides"),
            "dilations": layers(args.dilations, "--dilations"),
            "paddings": layers(args.paddings, "--paddings"),
        },
    )


def cmd_size(args: argparse.Namespace) -> int:
    return _one(
        args,
        "output_size",
        {
            "input": args.input,
            "kernel": args.kernel,
            "stride": args.stride,
            "padding": args.padding,
            "dilation": args.dilation,
            "mode": args.mode,
            "output_padding": args.output_padding,
        },
    )


def _maybe_pair(text: str | None) -> Any:
    return None if text is None else _pair_text(text)


def cmd_layer(args: argparse.Namespace) -> int:
    from symconv.catalogue.rules import padding_word

    padding = args.padding
    if padding is not None and padding_word(padding, "--padding") is None:
        padding = _pair_text(padding)
    return _one(
        args,
        "conv_layer",
        {
            "input": _shape_text(args.input, "--input"),
            "kernel": _pair_text(args.kernel),
            "filters": args.filters,
            "stride": _maybe_pair(args.stride),
            "padding": padding,
            "dilation": _maybe_pair(args.dilation),
            "groups": args.groups,
            "bias": False if args.no_bias else None,
            "transposed": True if args.transposed else None,
            "output_padding": _maybe_pair(args.output_padding),
        },
    )


def cmd_bottleneck(args: argparse.Namespace) -> int:
    return _one(
        args,
        "bottleneck",
        {
            "input": _shape_text(args.input, "--input"),
            "kernel": args.kernel,
            "filters": args.filters,
            "bottleneck": args.bottleneck,
        },
    )


def cmd_separable(args: argparse.Namespace) -> int:
    return _one(
        args,
        "depthwise_separable",
        {"input": _shape_text(args.input, "--input"), "kernel": args.kernel, "filters": args.filters},
    )


def cmd_conv(args: argparse.Namespace) -> int:
    kernels = [_matrix_text(k, "--kernel") for k in args.kernel]
    params: dict[str, Any] = {
        "input": _matrix_text(args.input, "--input"),
        "stride": _maybe_pair(args.stride),
        "padding": _maybe_pair(args.padding),
        "dilation": _maybe_pair(args.dilation),
        "bias": args.bias,
        "groups": args.groups,
        "flip": True if args.flip else None,
    }
    if len(kernels) == 1:
        params["kernel"] = kernels[0]
    else:
        params["kernels"] = kernels
    return _one(args, "convolution", params)


def cmd_solve_for(args: argparse.Namespace) -> int:
    relation = args.relation
    if relation is not None:
        relation = _RELATION_WORDS.get(relation.strip(), relation.strip())
    params: dict[str, Any] = {
        "quantity": args.quantity,
        "unknown": args.unknown,
        "target": args.target,
        "relation": relation,
        "given": _assignments(args.given, "--given"),
        "range": _two(args.range, "--range"),
    }
    if args.network:
        params.update(_network_table(args.network))
    return _one(args, "solve", params, {"quantity": "QUANTITY", "unknown": "UNKNOWN"})


def _network_table(path: str) -> dict[str, Any]:
    """The network of a file: a bare table (input, layers), or a problem file holding one network problem."""
    from symconv.io.problemfile import MISSING, ProblemFileError, read_toml

    table = read_toml(path)
    if "problem" in table:
        networks = [t for t in table["problem"] if isinstance(t, dict) and t.get("type") == "network"]
        if len(networks) != 1:
            raise ProblemFileError(path, None, "problem", MISSING, "expected exactly one network problem")
        table = networks[0]
    keys = ("input", "layers", "count_bias", "count_batchnorm", "count_other_ops")
    return {k: table[k] for k in keys if k in table}


_FIGURES = {".svg": "svg", ".png": "png"}


def cmd_sweep(args: argparse.Namespace) -> int:
    params: dict[str, Any] = {
        "quantity": args.quantity,
        "vary": args.vary,
        "range": _two(args.range, "--range"),
        "values": None if args.values is None else _items(args.values, "--values"),
        "given": _assignments(args.given, "--given"),
    }
    if args.network:
        params.update(_network_table(args.network))
    figure = _FIGURES.get(Path(args.output).suffix.lower()) if args.output and not args.format else None
    if figure is None:
        return _one(args, "sweep", params, {"quantity": "QUANTITY"})
    if args.pdf:
        raise UsageError("symconv sweep: --pdf makes a document; -o with .svg or .png makes a figure")
    from symconv.render.figure import figure_bytes
    from symconv.solution.derivation import Plot

    result = _solved(args, "sweep", params, {"quantity": "QUANTITY"})
    plot = next(step for step in result.derivation.steps if isinstance(step, Plot))
    _write(args.output, figure_bytes(plot, figure))
    return EXIT_OK


def _one_type_file(path: str, table: dict[str, Any], type_name: str, what: str) -> tuple[list[Any], str]:
    """The derivations and title of a file of ``type_name`` problems only, or of one bare table of that type."""
    from symconv.io.problemfile import MISSING, Problem, ProblemFileError, parse, solve, solve_all
    from symconv.io.types import get_type

    if "problem" in table:
        problems = parse(table, path)
        others = [p.id for p in problems if p.type.name != type_name]
        if others:
            raise ProblemFileError(
                path,
                repr(others[0]),
                "type",
                problems.by_id()[others[0]].type.name,
                f"not {what}; use `symconv solve` for files with other problem types",
            )
        return [r.derivation for _, r in solve_all(problems)], problems.title
    if not table:
        raise ProblemFileError(path, None, "", MISSING, "empty file")
    title = table.pop("title", "") if isinstance(table.get("title", ""), str) else ""
    ptype = get_type(type_name)
    try:
        checked = ptype.check(table)
    except InputError as e:
        raise ProblemFileError(path, None, e.field, e.value, e.reason) from None
    return [solve(Problem(Path(path).stem, ptype, checked, 1, path)).derivation], title


def cmd_compare(args: argparse.Namespace) -> int:
    """A problem file of ``type = "compare"`` problems, or one bare table (``input``, ``[[design]]``)."""
    from symconv.io.problemfile import read_toml

    fmt = _format(args)
    derivations, title = _one_type_file(args.file, read_toml(args.file), "compare", "a comparison")
    _emit(args, fmt, lambda f: _document(derivations, title, f, args.detail), Path(args.file).stem)
    return EXIT_OK


def cmd_net(args: argparse.Namespace) -> int:
    """A problem file of ``type = "network"`` problems, or one bare network table (``input``, ``layers``)."""
    from symconv.io.problemfile import read_toml

    fmt = _format(args)
    if Path(args.file).suffix.lower() == ".onnx":
        from symconv.network import from_onnx, network

        result = network(from_onnx(args.file), memory=args.memory or False, where=f"{args.file}: ")
        _emit(args, fmt, lambda f: _document([result.derivation], "", f, args.detail), Path(args.file).stem)
        return EXIT_OK
    table = read_toml(args.file)
    if args.memory is not None:
        for t in table.get("problem", [table]):
            if isinstance(t, dict) and t.get("type", "network") == "network":
                t.setdefault("memory", args.memory)
    derivations, title = _one_type_file(args.file, table, "network", "a network")
    _emit(args, fmt, lambda f: _document(derivations, title, f, args.detail), Path(args.file).stem)
    return EXIT_OK


def cmd_formula(args: argparse.Namespace) -> int:
    from symconv.problems.general import catalogue_listing, formula_derivation

    fmt = _format(args)
    if args.given is not None and args.diff is None:
        raise UsageError("symconv formula: --given goes with --diff (the point where the derivative is taken)")
    if args.diff is not None:
        if args.name == "list":
            raise UsageError("symconv formula: --diff needs a formula's name, not list")
        params = {"quantity": args.name, "wrt": args.diff, "given": _assignments(args.given, "--given")}
        return _one(args, "sensitivity", params, {"quantity": "NAME", "wrt": "--diff"})
    if args.name == "list":
        from symconv.render.listing import listing

        entries = catalogue_listing()
        _emit(args, fmt, lambda f: listing(entries, f), "formulas")
        return EXIT_OK
    d = formula_derivation(args.name)
    _emit(args, fmt, lambda f: _document([d], "", f, args.detail), f"formula-{args.name}")
    return EXIT_OK


COMMANDS = {
    "solve": cmd_solve,
    "check": cmd_check,
    "rf": cmd_rf,
    "size": cmd_size,
    "layer": cmd_layer,
    "bottleneck": cmd_bottleneck,
    "separable": cmd_separable,
    "conv": cmd_conv,
    "net": cmd_net,
    "formula": cmd_formula,
    "solve-for": cmd_solve_for,
    "sweep": cmd_sweep,
    "compare": cmd_compare,
}


def _printable(text: str) -> str:
    """``text`` with control and format characters escaped (``\\x1b``): user text never drives the terminal."""
    from symconv.core.richtext import printable

    return printable(text)


def _one_line(message: str) -> str:
    return _printable(" ".join(message.split()))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 wrong claimed answers, 2 bad input)."""
    parser = build_parser()
    args = argparse.Namespace(command=None)
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        with long_integers():  # answers of any size within the limits print exactly (docs/limits.md)
            return COMMANDS[args.command](args)
    except UsageError as e:
        print(_one_line(str(e)), file=sys.stderr)
        return EXIT_USAGE
    except (SymconvError, ValueError) as e:  # InputError, ProblemFileError, PdfError, UnsupportedError
        message = str(e)
        # an option (--given) or a positional argument (UNKNOWN) of a one-line command
        if isinstance(e, InputError) and (e.field.startswith("--") or e.field.partition(".")[0] in _POSITIONAL):
            message = f"symconv {args.command}: {message}"  # an option of a one-line command
        print(f"symconv: error: {_one_line(message)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # the reader went away (`symconv … | head`): stop quietly, as Unix tools do.
        _discard_stdout()
        return 141
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(_one_line(f"symconv: error:{where}: {e.strerror or e}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("symconv: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("symconv: error: input nested too deeply", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # a bug in symconv: still one line, but say so
        if os.environ.get("SYMCONV_DEBUG"):
            raise
        print(
            f"symconv: internal error ({type(e).__name__}: {_one_line(str(e))}); "
            "rerun with SYMCONV_DEBUG=1 for a traceback and please report it",
            file=sys.stderr,
        )
        return 3
