"""Import a broad sample of timm's convolutional networks with symconv and compare with PyTorch itself.

For each model (``pretrained=False``, eval mode, at the input size of its default configuration):
parameters against ``sum(p.numel())``, MACs against ``torch.utils.flop_counter.FlopCounterMode`` total / 2
(convolutions, transposed convolutions and matrix products at 2 FLOPs per multiply-accumulate), and every
layer's output shape against the same node's output in a forward pass of the traced graph. Prints a
Markdown table: a match, the differences, or the import's error. Needs timm (not a symconv dependency):

    PYTHONPATH=. python examples/check_timm.py                 # every listed model
    PYTHONPATH=. python examples/check_timm.py resnet50d dla34 # these models
    PYTHONPATH=. python examples/check_timm.py --onnx          # a few of them through ONNX as well
"""

from __future__ import annotations

import argparse
import io
import signal
import sys
from typing import Any

import timm
import torch
from zoo_compare import compare

from symconv.network.analysis import analyse
from symconv.network.torch_import import trace_torch

# (family, models): one or a few of each family timm has of convolutional networks, small enough to run
# on a CPU in seconds each (the largest, legacy_senet154, has 20.7 GMACs at its default size).
MODELS: list[tuple[str, list[str]]] = [
    ("ResNet", ["resnet18", "resnet50", "resnet50d", "resnet26t", "resnet10t", "resnet50_gn", "resnetrs50"]),
    ("ResNet v2", ["resnetv2_50", "resnetv2_50d_gn", "resnetv2_50d_frn", "resnetv2_50x1_bit"]),
    ("ResNeXt", ["resnext50_32x4d", "resnext26ts"]),
    ("SE/ECA/GC ResNet", ["seresnet50", "ecaresnet50d", "gcresnet50t", "seresnext26d_32x4d", "ecaresnetlight"]),
    ("SK ResNet", ["skresnet18", "skresnext50_32x4d"]),
    ("Res2Net", ["res2net50_26w_4s", "res2next50"]),
    ("ResNeSt", ["resnest14d", "resnest50d"]),
    ("RegNet", ["regnetx_002", "regnety_016", "regnetz_b16", "regnetv_040"]),
    ("EfficientNet", ["efficientnet_b0", "efficientnet_b2", "efficientnet_lite0", "efficientnet_es",
                      "tf_efficientnet_b0", "efficientnetv2_rw_t", "tf_efficientnetv2_b0", "efficientnet_cc_b0_4e"]),
    ("MobileNet", ["mobilenetv1_100", "mobilenetv2_100", "mobilenetv3_large_100", "mobilenetv3_small_100",
                   "tf_mobilenetv3_large_100", "mobilenetv4_conv_small", "mobilenetv4_conv_medium",
                   "mobilenet_edgetpu_100"]),
    ("MNASNet, FBNet, MixNet", ["mnasnet_100", "fbnetc_100", "fbnetv3_b", "mixnet_s", "tf_mixnet_s"]),
    ("TinyNet, HardCoReNAS, LCNet", ["tinynet_a", "hardcorenas_a", "lcnet_100"]),
    ("GhostNet", ["ghostnet_100", "ghostnetv2_100"]),
    ("RepGhost, MobileOne, RepVGG", ["repghostnet_100", "mobileone_s0", "repvgg_a0", "repvgg_b1g4"]),
    ("ReXNet", ["rexnet_100", "rexnetr_100"]),
    ("ConvNeXt", ["convnext_atto", "convnext_tiny", "convnextv2_atto", "convnext_atto_rms"]),
    ("DenseNet", ["densenet121", "densenetblur121d"]),
    ("DLA", ["dla34", "dla46_c", "dla60x", "dla60_res2net"]),
    ("DPN", ["dpn48b", "dpn68"]),
    ("HRNet", ["hrnet_w18_small", "hrnet_w18"]),
    ("Inception", ["inception_v3", "inception_v4", "inception_resnet_v2"]),
    ("Xception", ["xception41", "legacy_xception"]),
    ("NFNet", ["nf_resnet26", "nf_regnet_b0", "nfnet_f0", "eca_nfnet_l0"]),
    ("SelecSLS", ["selecsls42b"]),
    ("TResNet", ["tresnet_m"]),
    ("VGG", ["vgg11_bn", "vgg16"]),
    ("CSPNet, DarkNet", ["cspresnet50", "cspdarknet53", "cs3darknet_s", "darknet17"]),
    ("VoVNet", ["ese_vovnet19b_dw", "vovnet39a"]),
    ("GENet, HGNet", ["gernet_s", "hgnet_tiny", "hgnetv2_b0"]),
    ("EdgeNeXt, InceptionNeXt", ["edgenext_xx_small", "inception_next_atto"]),
    ("SENet (legacy)", ["legacy_seresnet18", "legacy_senet154"]),
    ("BiT, DPN misc", ["resnetblur50", "resnetaa50"]),
    ("StarNet, RDNet, MambaOut", ["starnet_s1", "rdnet_tiny", "mambaout_femto"]),
]  # fmt: skip

ONNX_MODELS = [
    "resnet50d", "efficientnet_b0", "tf_efficientnet_b0", "mobilenetv3_large_100", "dla34", "regnety_016",
    "convnext_atto", "nf_resnet26", "hrnet_w18_small", "inception_v3", "resnetblur50", "resnetv2_50x1_bit",
]  # fmt: skip
"""Models also exported to ONNX (TorchScript exporter, normalisations kept) and read back with from_onnx."""


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout("took too long")


def family_of(name: str) -> str:
    return next((f for f, names in MODELS if name in names), "")


def build(name: str) -> tuple[Any, tuple[int, ...]]:
    model = timm.create_model(name, pretrained=False).eval()
    shape = tuple(int(n) for n in model.pretrained_cfg.get("input_size", (3, 224, 224)))
    return model, shape


def check(name: str) -> dict[str, Any]:
    model, shape = build(name)
    return {**compare(model, shape), "shape": shape}


def check_onnx(name: str) -> str:
    """Export with the normalisations kept and compare from_onnx's totals with from_torch's."""
    from symconv.network.onnx_import import from_onnx

    model, shape = build(name)
    buffer = io.BytesIO()
    torch.onnx.export(
        model,
        (torch.rand(1, *shape),),
        buffer,
        dynamo=False,
        training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=False,
    )
    import onnx

    a = analyse(from_onnx(onnx.load_from_string(buffer.getvalue())))
    b = analyse(trace_torch(model, list(shape)).network)
    same = a.parameters == b.parameters and a.macs == b.macs
    return f"{a.parameters:,} parameters, {a.macs:,} MACs" + ("" if same else f" ≠ {b.parameters:,}, {b.macs:,}")


def row(name: str, limit: int) -> tuple[str, bool]:
    signal.alarm(limit)
    try:
        r = check(name)
    except Timeout:
        return f"| {family_of(name)} | `{name}` | | **skipped**: over {limit} s | | | |", False
    except Exception as e:  # noqa: BLE001 -- a report, not a test: every model is tried
        message = " ".join(str(e).split())[:400].replace("|", "\\|")
        return f"| {family_of(name)} | `{name}` | | **error**: {type(e).__name__}: {message} | | | |", False
    finally:
        signal.alarm(0)
    params_ok = r["params"] + r["unused"] == r["params_torch"]
    macs_ok = r["macs"] == r["macs_torch"]
    shapes_ok = not r["mismatched"]
    params = f"{r['params']:,}" + ("" if params_ok else f" ≠ {r['params_torch']:,}")
    if r["unused"]:
        params += f" (+ {r['unused']:,} unused)"
    macs = f"{r['macs']:,}" + ("" if macs_ok else f" ≠ {r['macs_torch']:,}")
    shapes = f"{r['layers']}" + ("" if shapes_ok else f", {len(r['mismatched'])} differ: {r['mismatched'][:3]}")
    size = "×".join(map(str, r["shape"]))
    return (
        f"| {family_of(name)} | `{name}` | {size} | {params} | {macs} | {shapes} | {r['seconds']:.2f} s |",
        params_ok and macs_ok and shapes_ok,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="model names (default: every listed model)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per model (default 120)")
    parser.add_argument("--onnx", action="store_true", help="also export a few models to ONNX and import them")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    torch.set_grad_enabled(False)
    names = args.names or [n for _, group in MODELS for n in group]
    print(f"torch {torch.__version__}, timm {timm.__version__}\n")
    print(
        "| family | model | input | parameters (symconv = torch) | MACs (symconv = FlopCounterMode / 2) | layers | import |"
    )
    print("| --- | --- | --- | ---: | ---: | --- | --- |")
    matches = 0
    for name in names:
        line, ok = row(name, args.timeout)
        matches += ok
        print(line, flush=True)
    print(f"\n{len(names)} models, {matches} match on parameters, MACs and every shape, {len(names) - matches} do not")
    if args.onnx:
        print("\n| model | from_onnx (normalisations kept) |\n| --- | --- |")
        for name in ONNX_MODELS:
            try:
                print(f"| `{name}` | {check_onnx(name)} |", flush=True)
            except Exception as e:  # noqa: BLE001
                message = " ".join(str(e).split())[:400].replace("|", "\\|")
                print(f"| `{name}` | **error**: {type(e).__name__}: {message} |", flush=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
