"""Worked solutions as data (steps, derivations) and the result objects every problem returns."""
