"""The type of a quantity in a catalogue formula."""

from __future__ import annotations

from typing import Any

Q = Any
"""A quantity: an exact number (numeric view) or a SymPy expression (symbolic views)."""
