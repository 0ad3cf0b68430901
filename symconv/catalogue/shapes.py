"""Shapes of the operations that move pixels without weights: interpolation, pixel shuffle, channel slices, bytes.

Interpolation (PyTorch's ``F.interpolate``/``nn.Upsample``, ``align_corners=False``) maps output
position y to the source coordinate c = (y + 1/2)·i/o − 1/2 and reads the t pixels around it (t = 1
nearest, 2 linear, 4 cubic, per axis). Upsampling by a whole factor s is then exactly a transposed
window of stride s (kernel and padding below), and downsampling by s a window of stride s: the
receptive field follows the transposed-convolution and window recurrences.
"""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula, ceil, floor

# --- interpolation -------------------------------------------------------------------------------


def interpolation_output_size(i: Q, r: Q) -> Q:
    return floor(i * r)


def upsampling_kernel(t: Q, s: Q) -> Q:
    return (t - 1) * s + 2 * (s // 2)


def upsampling_padding(t: Q, s: Q) -> Q:
    return (t - 2) * s // 2 + s // 2


def downsampling_kernel(t: Q, s: Q) -> Q:
    return t - s + 2 * (s // 2)


def downsampling_padding(t: Q, s: Q) -> Q:
    return t // 2 - 1 - (s - 1) // 2


def resampled_stride(j: Q, i: Q, o: Q) -> Q:
    return j * i / o


# --- pixel shuffle ---------------------------------------------------------------------------------


def pixel_shuffle_channels(C: Q, r: Q, n: Q) -> Q:
    return C / r**n


def pixel_unshuffle_channels(C: Q, r: Q, n: Q) -> Q:
    return C * r**n


# --- channel slices -----------------------------------------------------------------------------


def chunk_size(C: Q, n: Q) -> Q:
    return ceil(C / n)


def slice_end(u: Q, m: Q) -> Q:
    return u + m


def slice_channels(a: Q, b: Q) -> Q:
    return b - a


INTERPOLATION_OUTPUT = Formula(
    interpolation_output_size,
    name="interpolation_output_size",
    lhs="o",
    description="Output size of an interpolation (PyTorch's F.interpolate and nn.Upsample) with scale factor r "
    "along one axis: the input size times the scale, rounded down.",
)
UPSAMPLING_KERNEL = Formula(
    upsampling_kernel,
    name="upsampling_kernel",
    lhs="k",
    description="Upsampling by a whole factor s with a t-tap filter (t = 2 linear, 4 cubic; align_corners=False) is a "
    "transposed window of stride s and this extent: 2s for linear and even s, 2s - 1 for odd s (an output that "
    "falls on an input pixel reads that pixel alone).",
)
UPSAMPLING_PADDING = Formula(
    upsampling_padding,
    name="upsampling_padding",
    lhs="p",
    description="Padding of the transposed window equal to upsampling by a whole factor s with a t-tap filter: "
    "output 0's source coordinate is 1/(2s) - 1/2, so its window starts floor(s/2) + (t - 2)s/2 positions before.",
)
DOWNSAMPLING_KERNEL = Formula(
    downsampling_kernel,
    name="downsampling_kernel",
    lhs="k",
    description="Downsampling by a whole factor s with a t-tap filter (align_corners=False, no antialias): output y "
    "reads the t pixels around ys + (s - 1)/2, one fewer when that is a pixel (odd s).",
)
DOWNSAMPLING_PADDING = Formula(
    downsampling_padding,
    name="downsampling_padding",
    lhs="p",
    description="Padding of the window equal to downsampling by a whole factor s with a t-tap filter: output 0 "
    "reads from pixel floor((s - 1)/2) - t/2 + 1 on (a negative padding: the window starts inside the input).",
)
RESAMPLED_STRIDE = Formula(
    resampled_stride,
    name="resampled_stride",
    lhs="S_n",
    description="Effective stride after resampling i pixels to o: neighbouring outputs are i/o input positions "
    "apart, S_n = S_{n-1} i/o (input pixels).",
    symbols={"j": "S_{n-1}"},
)
PIXEL_SHUFFLE_CHANNELS = Formula(
    pixel_shuffle_channels,
    name="pixel_shuffle_channels",
    lhs="C'",
    description="Pixel shuffle with upscale factor r over n spatial axes: the channels shrink r^n times (they "
    "become the r^n new positions).",
)
PIXEL_UNSHUFFLE_CHANNELS = Formula(
    pixel_unshuffle_channels,
    name="pixel_unshuffle_channels",
    lhs="C'",
    description="Pixel unshuffle with downscale factor r over n spatial axes: each block of r^n positions becomes "
    "channels, C r^n.",
)
CHUNK_SIZE = Formula(
    chunk_size,
    name="chunk_size",
    lhs="m",
    description="Channels per part when torch.chunk splits C channels into n parts: ceil(C/n) (the last part "
    "holds the rest).",
)
SLICE_END = Formula(
    slice_end,
    name="slice_end",
    lhs="v",
    description="End (exclusive) of a slice of m channels starting at channel u; the next slice starts there.",
)
SLICE_CHANNELS = Formula(
    slice_channels,
    name="slice_channels",
    lhs="C'",
    description="Channels of the slice [u, v) of a map's channels.",
    symbols={"a": "u", "b": "v"},
)
