"""Escaping of user and label text for LaTeX, so no input can run commands or break braces."""

from __future__ import annotations

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
    out = []
    for ch in s:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch == "\n" or ch == "\t":
            out.append(" ")
        elif ord(ch) < 32:
            continue
        elif ord(ch) < 256:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)
