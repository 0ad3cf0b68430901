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
    out, mults, _ = conv2d_counted(x, w, stride, pad, dil, groups)
    return out, mults


def conv2d_counted(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, int],
    pad: tuple[int, int],
    dil: tuple[int, int],
    groups: int = 1,
    bias: np.ndarray | None = None,
) -> tuple[np.ndarray, int, int]:
    """Cross-correlation by explicit loops, counting every multiplication and every addition performed.

    Each output element starts from its first product; every further product, and the bias, is one
    addition. Returns (output, multiplications, additions).
    """
    C, H, W = x.shape
    F, Cg, kh, kw = w.shape
    xp = np.zeros((C, H + 2 * pad[0], W + 2 * pad[1]), dtype=object)
    xp[:, pad[0] : pad[0] + H, pad[1] : pad[1] + W] = x
    out_rows = []
    mults = adds = 0
    fpg = F // groups
    for f in range(F):
        g = f // fpg
        rows = []
        y = 0
        while y + dil[0] * (kh - 1) < xp.shape[1]:
            row = []
            xx = 0
            while xx + dil[1] * (kw - 1) < xp.shape[2]:
                acc = None
                for c in range(Cg):
                    for a in range(kh):
                        for b in range(kw):
                            product = int(w[f, c, a, b]) * int(xp[g * Cg + c, y + dil[0] * a, xx + dil[1] * b])
                            mults += 1
                            if acc is None:
                                acc = product
                            else:
                                acc, adds = acc + product, adds + 1
                if bias is not None:
                    acc, adds = acc + int(bias[f]), adds + 1
                row.append(acc)
                xx += stride[1]
            rows.append(row)
            y += stride[0]
        out_rows.append(rows)
    return np.array(out_rows, dtype=object), mults, adds


def conv_transpose2d_counted(
    size: tuple[int, int],
    c_in: int,
    c_out: int,
    k: tuple[int, int],
    s: tuple[int, int],
    p: tuple[int, int],
    d: tuple[int, int],
    a: tuple[int, int],
    groups: int = 1,
    bias: bool = True,
) -> tuple[tuple[int, int], int, int]:
    """A transposed convolution done as PyTorch defines it, by scattering: input (c, y, x) times tap (u, v) of
    each filter of its group lands at (y·s + u·d − p, x·s + v·d − p); products outside the output are dropped.

    The output extends to the last position a product can reach plus the output padding a. Counts, per
    output element, the products that land there; summing n of them takes n − 1 additions (n with a bias).
    Returns ((H', W'), landing products, additions).
    """
    # the uncropped scatter reaches up to its last position; p is cropped from each end, a given back at the end
    extent = [max(y * s[n] + u * d[n] for y in range(size[n]) for u in range(k[n])) + 1 for n in (0, 1)]
    out = (extent[0] - 2 * p[0] + a[0], extent[1] - 2 * p[1] + a[1])
    landed: dict[tuple[int, int, int], int] = {}
    per_group_out = c_out // groups
    per_group_in = c_in // groups
    for c in range(c_in):
        g = c // per_group_in
        for f in range(g * per_group_out, (g + 1) * per_group_out):
            for y in range(size[0]):
                for x in range(size[1]):
                    for u in range(k[0]):
                        for v in range(k[1]):
                            oy, ox = y * s[0] + u * d[0] - p[0], x * s[1] + v * d[1] - p[1]
                            if 0 <= oy < out[0] and 0 <= ox < out[1]:
                                landed[f, oy, ox] = landed.get((f, oy, ox), 0) + 1
    products = sum(landed.values())
    additions = products if bias else sum(n - 1 for n in landed.values())
    return out, products, additions


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
