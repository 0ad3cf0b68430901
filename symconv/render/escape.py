"""Escaping of user and label text for LaTeX, so no input can run commands or break braces."""

from __future__ import annotations

from symconv.core.richtext import is_control

_SPECIAL = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "^": "\\textasciicircum{}",
    "_": "\\_",
    "%": "\\%",
    "~": "\\textasciitilde{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
    "|": "\\textbar{}",
    "\u00d7": "$\\times$",
    "\u00b7": "$\\cdot$",
    "\u2212": "$-$",
    "\u2013": "--",
    "\u2014": "---",
    "\u2026": "\\ldots{}",
    "\u2192": "$\\to$",
    "\u2190": "$\\leftarrow$",
    "\u2248": "$\\approx$",
    "\u2260": "$\\neq$",
    "\u2264": "$\\leq$",
    "\u2265": "$\\geq$",
    "\u230a": "$\\lfloor$",
    "\u230b": "$\\rfloor$",
    "\u2308": "$\\lceil$",
    "\u2309": "$\\rceil$",
    "\u2032": "'",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u03b3": "$\\gamma$",
    "\u03b2": "$\\beta$",
    "\u03c1": "$\\rho$",
    "\u03c3": "$\\sigma$",
    "\u0394": "$\\Delta$",
    "\u03a3": "$\\Sigma$",
    "\u2211": "$\\sum$",
    "\u220f": "$\\prod$",
    "\u221a": "$\\surd$",
    "\u00b2": "$^2$",
    "\u2713": "$\\checkmark$",
    "\u2202": "$\\partial$",
    "\u2208": "$\\in$",
    "\u2205": "$\\emptyset$",
    "\u221e": "$\\infty$",
    "\u03b5": "$\\varepsilon$",
}


def latex_text(s: str) -> str:
    """Escape ``s`` for LaTeX text mode.

    Every character with a meaning to TeX is replaced, so ``\\input``, ``\\write18`` or an
    unbalanced brace in a title or id print literally. Letters that T1-encoded fonts have
    (Latin-1) pass through; other characters outside ASCII print as ``?``, because pdflatex
    would stop on them.
    """
    out: list[str] = []
    for ch in s:
        if ch == "'" and (not out or out[-1][-1:] in " ([\t\n"):
            out.append("`")  # an opening quote: 'same' prints as ‘same’, not ’same’
        elif ch == '"':  # "p/q" prints as “p/q”, not with T1's straight quotes
            out.append("``" if not out or out[-1][-1:] in " ([\t\n`" else "''")
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch == "\n" or ch == "\t":
            out.append(" ")
        elif is_control(ch):  # C0, DEL and C1 would stop pdflatex; format characters print nothing anyway
            continue
        elif ord(ch) < 256:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


# Characters that must be escaped inside \text{...} for LaTeX, MathJax and KaTeX alike; a backslash,
# caret or tilde has no escape all three understand, so they print as a space.
_MATH_TEXT = {
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "%": "\\%",
    "_": "\\_",
    "\\": " ",
    "^": " ",
    "~": " ",
}


_TEXT_UNICODE = set("–—…‘’“”×·°")  # characters pdflatex (utf8, T1) sets in text as MathJax does


def math_text(s: str) -> str:
    """``s`` escaped for ``\\text{…}`` inside math (one line), understood by LaTeX, MathJax and KaTeX.

    The minus sign becomes a hyphen; other characters beyond Latin-1 that pdflatex cannot set in text
    print as ``?``.
    """
    out = []
    for ch in s.replace("\u2212", "-"):
        if ch in _MATH_TEXT:
            out.append(_MATH_TEXT[ch])
        elif ch in "\n\r\t":
            out.append(" ")
        elif is_control(ch):
            continue
        else:
            out.append(ch if ord(ch) < 256 or ch in _TEXT_UNICODE else "?")
    return "".join(out)
