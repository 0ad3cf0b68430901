"""Problem types: each validates its input, computes exact answers and builds its derivation."""
