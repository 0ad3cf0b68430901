"""Numeric engines: the exact vectorised convolution (numpy)."""
