"""The exact core: numbers, the safe expression parser, formulas, the stepper, printers, closed forms."""
