"""The seed's worked solutions through the Python API: prints a complete LaTeX document.

Run: python examples/seed.py > seed.tex   (the same solutions as `symconv solve examples/seed.toml`)
"""

from __future__ import annotations

import symconv
from symconv.render.latex import LatexRenderer


def main() -> None:
    results = [
        symconv.receptive_field(kernels=[4, 4, 4], strides=[1, 2, 2]),
        symconv.convolve(
            [[[4, 3, 1], [1, 2, 1], [3, 3, 4]], [[4, 3, 2], [2, 5, 1], [2, 3, 3]], [[4, 4, 1], [1, 3, 3], [5, 3, 1]]],
            [[[3, 0], [1, -2]], [[-2, 2], [-1, -1]], [[1, -2], [-3, -2]]],
        ),
        symconv.conv_layer(input=[38, 38, 22], kernel=3, filters=224, stride=2),
        symconv.bottleneck(input=[54, 54, 250], kernel=7, outputs=48, bottleneck=12),
    ]
    print(LatexRenderer("full").document([r.derivation for r in results], "CNN arithmetic: worked solutions"))


if __name__ == "__main__":
    main()
