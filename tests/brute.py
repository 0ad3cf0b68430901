"""Independent brute force used by the tests: naive loops and impulse responses, no symconv formulas."""

from __future__ import annotations

import numpy as np


def conv1d_positions(i: int, k: int, s: int, p_before: int, p_after: int, d: int) -> list[list[int]]:
    """Input indices (in the unpadded input, may be negative/out of range = padding) read by each output.

    Slides the window over the padded input one stride at a time, keeping windows that fit.
    """
    padded = p_before + i + p_after
    windows = []
    start = 0
    while start + d * (k - 1) < padded:
        windows.append([start + d * j - p_before for j in range(k)])
        start += s
    return windows


def pool1d_ceil_count(i: int, k: int, s: int, p: int, d: int) -> int:
    """Windows of a ceil-mode pool as PyTorch defines them: every window that starts inside the input or the
    left padding, even if it runs past the right padding (enumerated, not computed)."""
    count = 0
    start = 0
    while start < i + p:  # starts inside the left padding or the input
        count += 1
        if start + d * (k - 1) >= i + 2 * p - 1:  # this window reaches (or passes) the end: the last one
            break
        start += s
    return count


def conv2d_naive(
    x: np.ndarray, w: np.ndarray, stride: tuple[int, int], pad: tuple[int, int], dil: tuple[int, int], groups: int = 1
) -> tuple[np.ndarray, int]:
    """Cross-correlation by explicit loops over (f, y, x, c, i, j); returns (output, multiplication count)."""
    C, H, W = x.shape
    F, Cg, kh, kw = w.shape
    xp = np.zeros((C, H + 2 * pad[0], W + 2 * pad[1]), dtype=object)
    xp[:, pad[0] : pad[0] + H, pad[1] : pad[1] + W] = x
    out_rows = []
    mults = 0
    fpg = F // groups
    for f in range(F):
        g = f // fpg
        rows = []
        y = 0
        while y + dil[0] * (kh - 1) < xp.shape[1]:
            row = []
            xx = 0
            while xx + dil[1] * (kw - 1) < xp.shape[2]:
                acc = 0
                for c in range(Cg):
                    for a in range(kh):
                        for b in range(kw):
                            acc += int(w[f, c, a, b]) * int(xp[g * Cg + c, y + dil[0] * a, xx + dil[1] * b])
                            mults += 1
                row.append(acc)
                xx += stride[1]
            rows.append(row)
            y += stride[0]
        out_rows.append(rows)
    return np.array(out_rows, dtype=object), mults


def impulse_receptive_fields(
    kernels: list[int], strides: list[int], dilations: list[int], paddings: list[int], size: int
) -> list[tuple[int, int]]:
    """For each output position of a stack of 1-D convolutions (all-ones kernels, zero padding), the
    (first, last) input index whose impulse reaches it; found by pushing each impulse through real
    numpy convolutions."""

    def layer(x: np.ndarray, k: int, s: int, d: int, p: int) -> np.ndarray:
        xp = np.concatenate([np.zeros(p), x, np.zeros(p)])
        out = []
        start = 0
        while start + d * (k - 1) < len(xp):
            out.append(sum(xp[start + d * j] for j in range(k)))
            start += s
        return np.array(out)

    responses = []
    for t in range(size):
        x = np.zeros(size)
        x[t] = 1.0
        for k, s, d, p in zip(kernels, strides, dilations, paddings):
            x = layer(x, k, s, d, p)
        responses.append(x)
    resp = np.array(responses)  # [input position, output position]
    spans = []
    for o in range(resp.shape[1]):
        hit = np.nonzero(resp[:, o])[0]
        spans.append((int(hit.min()), int(hit.max())))
    return spans
