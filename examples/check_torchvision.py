"""Import every torchvision model of the listed families with symconv and compare with PyTorch itself.

For each model (weights=None, eval mode): parameters against ``sum(p.numel())``, MACs against
``torch.utils.flop_counter.FlopCounterMode`` total / 2 (it counts convolutions, transposed convolutions and
matrix products, 2 FLOPs per multiply-accumulate, as symconv's MACs count convolutions and linear layers),
and every layer's output shape against the same node's output in a forward pass of the traced graph.
Prints a Markdown table. Needs torchvision (not a symconv dependency):

    PYTHONPATH=. python examples/check_torchvision.py            # every model
    PYTHONPATH=. python examples/check_torchvision.py --quick    # one model per family
    PYTHONPATH=. python examples/check_torchvision.py resnet50 convnext_tiny
"""

from __future__ import annotations

import argparse
import re
from typing import Any

import torch
import torchvision.models as tvm
from zoo_compare import compare

FAMILIES = [
    ("ResNet", r"resnet\d+$"),
    ("ResNeXt", r"resnext"),
    ("Wide ResNet", r"wide_resnet"),
    ("VGG", r"vgg"),
    ("AlexNet", r"alexnet"),
    ("SqueezeNet", r"squeezenet"),
    ("DenseNet", r"densenet"),
    ("GoogLeNet", r"googlenet"),
    ("Inception v3", r"inception_v3"),
    ("MobileNet v2", r"mobilenet_v2"),
    ("MobileNet v3", r"mobilenet_v3"),
    ("ShuffleNet v2", r"shufflenet_v2"),
    ("MNASNet", r"mnasnet"),
    ("EfficientNet", r"efficientnet_b"),
    ("EfficientNet v2", r"efficientnet_v2"),
    ("RegNet X", r"regnet_x"),
    ("RegNet Y", r"regnet_y"),
    ("ConvNeXt", r"convnext"),
    ("FCN", r"fcn_"),
    ("DeepLabv3", r"deeplabv3_"),
    ("LR-ASPP", r"lraspp_"),
    ("R3D", r"r3d_"),
    ("MC3", r"mc3_"),
    ("R(2+1)D", r"r2plus1d_"),
]

SEGMENTATION = set(tvm.list_models(module=tvm.segmentation))
VIDEO = set(tvm.list_models(module=tvm.video))


def family_of(name: str) -> str | None:
    for family, pattern in FAMILIES:
        if re.match(pattern, name):
            return family
    return None


def input_shape(name: str) -> tuple[int, ...]:
    """The sizes torchvision evaluates each model at: video clips of 16 frames of 112 × 112, Inception v3 at
    299, segmentation at 520, the rest at 224."""
    if name in VIDEO:
        return (3, 16, 112, 112)
    if name == "inception_v3":
        return (3, 299, 299)
    if name in SEGMENTATION:
        return (3, 520, 520)
    return (3, 224, 224)


def build(name: str) -> Any:
    kwargs: dict[str, Any] = {"weights": None}
    if name in SEGMENTATION:
        kwargs["weights_backbone"] = None
    if name in ("googlenet", "inception_v3"):
        kwargs["init_weights"] = False
    return tvm.get_model(name, **kwargs).eval()


def check(name: str) -> dict[str, Any]:
    shape = input_shape(name)
    return {"name": name, "family": family_of(name), "input": "×".join(map(str, shape)), **compare(build(name), shape)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="model names (default: every model of the families)")
    parser.add_argument("--quick", action="store_true", help="one model per family")
    args = parser.parse_args()
    names = args.names or [n for n in tvm.list_models() if family_of(n)]
    if args.quick and not args.names:
        seen: set[str] = set()
        names = [n for n in names if not (family_of(n) in seen or seen.add(family_of(n)))]  # type: ignore[func-returns-value]
    order = {family: j for j, (family, _) in enumerate(FAMILIES)}
    names.sort(key=lambda n: (order[family_of(n) or ""], n))
    print(f"torch {torch.__version__}, torchvision {__import__('torchvision').__version__}\n")
    print(
        "| family | model | input | parameters (symconv = torch) | MACs (symconv = FlopCounterMode / 2) | layers, shapes | import |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    failures = 0
    for name in names:
        try:
            r = check(name)
        except Exception as e:  # noqa: BLE001 -- a report, not a test: every model is tried
            failures += 1
            print(f"| {family_of(name)} | {name} | | **error**: {type(e).__name__}: {str(e)[:300]} | | | |")
            continue
        params_ok = r["params"] + r["unused"] == r["params_torch"]
        macs_ok = r["macs"] == r["macs_torch"]
        shapes_ok = not r["mismatched"]
        failures += not (params_ok and macs_ok and shapes_ok)
        params = f"{r['params']:,}" + ("" if params_ok else f" ≠ {r['params_torch']:,}")
        if r["unused"]:
            params += f" (+ {r['unused']:,} in heads outside the forward pass)"
        macs = f"{r['macs']:,}" + ("" if macs_ok else f" ≠ {r['macs_torch']:,}")
        shapes = f"{r['layers']}, " + (
            "all equal" if shapes_ok else f"{len(r['mismatched'])} differ: {r['mismatched'][:3]}"
        )
        print(f"| {r['family']} | {name} | {r['input']} | {params} | {macs} | {shapes} | {r['seconds']:.2f} s |")
    print(f"\n{len(names)} models, {failures} with a difference or an error")


if __name__ == "__main__":
    main()
