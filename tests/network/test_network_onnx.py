"""ONNX models: graphs built with onnx.helper (checked against ONNX's own shape inference, the initializers' sizes
and MACs written out), and models exported by torch.onnx.export, whose totals equal from_torch's."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper

from symconv.errors import InputError, UnsupportedError
from symconv.network import analyse, closed_forms, from_onnx, substitute
from symconv.network.onnx_import import trace_onnx

ROOT = Path(__file__).resolve().parents[2]


def weight(name: str, *shape: int) -> Any:
    return numpy_helper.from_array(np.random.default_rng(0).random(shape, dtype=np.float32), name)


def model(nodes: list[Any], inits: list[Any], shape: list[Any], out: str = "y", opset: int = 17) -> Any:
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def torch_order(shape: tuple[Any, ...], layout: str) -> list[Any]:
    if layout in ("flat", "last") or len(shape) == 1:
        return [1, *shape]
    return [1, shape[-1], *shape[:-1]]


def matches_shape_inference(proto: Any, everywhere: bool = True) -> Any:
    """Every layer's shape equals the one ONNX's shape inference gives its value (``everywhere``: inference
    knows every value; an exported graph's run-time slicing can leave some unknown to it)."""
    inferred_model = onnx.shape_inference.infer_shapes(proto)
    inferred = {
        v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
        for v in [*inferred_model.graph.value_info, *inferred_model.graph.output]
        if v.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in v.type.tensor_type.shape.dim)
    }
    imported = trace_onnx(proto)
    a = analyse(imported.network)
    compared = 0
    for info in a.layers:
        value = imported.values[info.name]
        if value in inferred:  # shape inference leaves some sizes computed at run time unknown
            assert torch_order(info.shape, imported.layouts[info.name]) == inferred[value], info.name
            compared += 1
    assert compared == len(a.layers) if everywhere else compared > 0
    return a


def classifier() -> Any:
    """Conv (asymmetric pads) → BN → Relu → MaxPool (ceil) ; a 1 × 1 branch added back; GAP → Flatten → Gemm."""
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[0, 1, 1, 0]),
        helper.make_node("BatchNormalization", ["c1", "s", "bb", "m", "v"], ["n1"], name="bn1"),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], name="branch", kernel_shape=[1, 1]),
        helper.make_node("Add", ["p1", "c2"], ["a"], name="add"),
        helper.make_node("GlobalAveragePool", ["a"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc", "fcb"], ["y"], name="fc", transB=1),
    ]
    inits = [
        weight("w1", 8, 3, 3, 3), weight("b1", 8), weight("s", 8), weight("bb", 8), weight("m", 8), weight("v", 8),
        weight("w2", 8, 8, 1, 1), weight("fc", 10, 8), weight("fcb", 10),
    ]  # fmt: skip
    return model(nodes, inits, [1, 3, 17, 20])


def test_a_classifier_graph() -> None:
    proto = classifier()
    a = matches_shape_inference(proto)
    learned = {"w1", "b1", "s", "bb", "w2", "fc", "fcb"}  # the running mean and variance are buffers
    assert a.parameters == sum(int(np.prod(t.dims)) for t in proto.graph.initializer if t.name in learned)
    # conv1: 16 × 19 outputs (pads top 0, left 1, bottom 1, right 0), 8 filters of 3·3·3; branch: 8 × 10 × 8 of 8
    assert a.macs == 16 * 19 * 8 * 27 + 8 * 10 * 8 * 8 + 10 * 8
    assert [i.type for i in a.layers][:4] == ["conv", "batchnorm", "relu", "maxpool"]


def shuffle_graph() -> Any:
    """SAME_UPPER stride 2, Resize ×2 nearest, channel shuffle by Reshape/Transpose/Reshape, Split, Concat,
    DepthToSpace, reflect Pad, a channels-last LayerNormalization and ReduceMean over the spatial axes."""
    c = numpy_helper.from_array
    nodes = [
        helper.make_node(
            "Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"
        ),
        helper.make_node("Resize", ["c", "", "scales"], ["up"], name="up", mode="nearest"),
        helper.make_node("Reshape", ["up", "grouped"], ["g"], name="view1"),
        helper.make_node("Transpose", ["g"], ["t"], name="swap", perm=[0, 2, 1, 3, 4]),
        helper.make_node("Reshape", ["t", "back"], ["s"], name="view2"),
        helper.make_node("Split", ["s", "halves"], ["s1", "s2"], name="split", axis=1),
        helper.make_node("Concat", ["s2", "s1"], ["cat"], name="cat", axis=1),
        helper.make_node("DepthToSpace", ["cat"], ["d2s"], name="d2s", blocksize=2, mode="CRD"),
        helper.make_node("Pad", ["d2s", "pads"], ["pad"], name="pad", mode="reflect"),
        helper.make_node("Transpose", ["pad"], ["nhwc"], name="to_last", perm=[0, 2, 3, 1]),
        helper.make_node("LayerNormalization", ["nhwc", "gamma", "beta"], ["ln"], name="ln", axis=-1),
        helper.make_node("Transpose", ["ln"], ["nchw"], name="to_first", perm=[0, 3, 1, 2]),
        helper.make_node("ReduceMean", ["nchw", "axes"], ["y"], name="mean", keepdims=0),
    ]
    inits = [
        weight("w", 8, 3, 3, 3),
        c(np.array([1, 1, 2, 2], dtype=np.float32), "scales"),
        c(np.array([1, 2, 4, 14, 20], dtype=np.int64), "grouped"),
        c(np.array([1, 8, 14, 20], dtype=np.int64), "back"),
        c(np.array([4, 4], dtype=np.int64), "halves"),
        c(np.array([0, 0, 1, 2, 0, 0, 3, 0], dtype=np.int64), "pads"),
        weight("gamma", 2),
        weight("beta", 2),
        c(np.array([2, 3], dtype=np.int64), "axes"),
    ]
    return model(nodes, inits, [1, 3, 13, 19], opset=18)


def test_views_and_resampling_in_a_graph() -> None:
    a = matches_shape_inference(shuffle_graph())
    types = [i.type for i in a.layers]
    assert "channel_shuffle" in types and "pixel_shuffle" in types and "layernorm" in types
    assert a.endpoint.shape == (2,)
    assert a.parameters == 8 * 27 + 2 + 2


def test_named_input_sizes_give_closed_forms() -> None:
    nodes = [
        helper.make_node(
            "Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]
        ),
        helper.make_node("MaxPool", ["c"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2]),
    ]
    proto = model(nodes, [weight("w", 4, 3, 3, 3)], ["batch", 3, "height", "width"])
    net = from_onnx(proto)
    assert [str(n) for n in net.input[:-1]] == ["height", "width"]
    forms = closed_forms(net, height="height", width="width")
    for h, w in ((31, 40), (64, 17)):
        numeric = analyse(from_onnx(proto, input_shape=(3, h, w)))
        assert substitute(forms.macs, {"height": h, "width": w}) == numeric.macs
        assert substitute(forms.endpoint.shape, {"height": h, "width": w}) == numeric.endpoint.shape


def test_every_unsupported_operator_is_listed() -> None:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3]),
        helper.make_node("Einsum", ["c", "c"], ["e"], name="mix", equation="nchw,nchw->nchw"),
        helper.make_node("LpNormalization", ["e"], ["y"], name="norm"),
    ]
    with pytest.raises(UnsupportedError) as e:
        from_onnx(model(nodes, [weight("w", 4, 3, 3, 3)], [1, 3, 8, 8]))
    assert "mix (Einsum)" in str(e.value) and "norm (LpNormalization)" in str(e.value)


def test_not_an_onnx_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_text("not a model")
    with pytest.raises(InputError, match="not an ONNX model"):
        from_onnx(bad)


torch = pytest.importorskip("torch")


def exported(module: Any, shape: tuple[int, ...], **kwargs: Any) -> Any:
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.rand(1, *shape),), f, dynamo=False, **kwargs)
    return onnx.load_from_string(f.getvalue())


def _blocks() -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_network_zoo import BLOCKS

    return {k: v for k, v in BLOCKS.items() if k != "pixel shuffle, padding"}


@pytest.mark.parametrize("name", sorted(_blocks()))
def test_exported_models_have_from_torch_totals(name: str) -> None:
    """torch.onnx.export (the TorchScript exporter, batch normalisation kept): the same parameters and MACs,
    and every shape equals ONNX's shape inference."""
    from symconv.network import from_torch

    make, shape = _blocks()[name]
    module = make().eval()
    proto = exported(module, shape, training=torch.onnx.TrainingMode.PRESERVE)
    from_file = matches_shape_inference(proto, everywhere=False)
    reference = analyse(from_torch(module, shape))
    assert (from_file.parameters, from_file.macs) == (reference.parameters, reference.macs)


def test_folded_batch_norm_keeps_the_macs() -> None:
    """Exported in eval mode with constant folding, batch normalisation is folded into the convolutions: the same
    MACs; each folded normalisation's 2C parameters become C biases of a convolution that had none."""
    from symconv.network import from_torch

    make, shape = _blocks()["channel shuffle"]
    module = make().eval()
    folded = analyse(from_onnx(exported(module, shape)))
    reference = analyse(from_torch(module, shape))
    norms = [m for m in module.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert folded.macs == reference.macs
    assert folded.parameters == reference.parameters - sum(m.num_features for m in norms)


def test_symconv_net_reads_an_onnx_file(tmp_path: Path) -> None:
    path = tmp_path / "classifier.onnx"
    onnx.save(classifier(), str(path))
    done = subprocess.run(
        [sys.executable, "-m", "symconv", "net", str(path), "--format", "json", "--memory"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"training_bytes"' in done.stdout and '"parameters"' in done.stdout
    (tmp_path / "bad.onnx").write_bytes(b"\x00\x01garbage")
    bad = subprocess.run(
        [sys.executable, "-m", "symconv", "net", str(tmp_path / "bad.onnx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2 and "not an ONNX model" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("axis", "opset", "accepted"), [(1, 17, True), (-3, 17, True), (None, 17, False), (2, 17, False), (1, 11, False)]
)
def test_a_softmax_is_an_activation_only_over_the_channels(axis: int | None, opset: int, accepted: bool) -> None:
    """Along a spatial axis (opset 13's default, the last one) each output reads the whole axis: refused, by name;
    before opset 13 axis 1 flattens C × H × W into one softmax, which mixes positions too."""
    attrs = {} if axis is None else {"axis": axis}
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3]),
        helper.make_node("Softmax", ["c"], ["y"], name="attend", **attrs),
    ]
    proto = model(nodes, [weight("w", 4, 3, 3, 3)], [1, 3, 8, 8], opset=opset)
    if accepted:
        assert analyse(from_onnx(proto)).layers[-1].field.rf == (3, 3)
    else:
        with pytest.raises(UnsupportedError, match=r"attend \(Softmax\).*mixes positions"):
            from_onnx(proto)
