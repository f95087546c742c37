"""More graph ops for ml5py.numpy_executor.graph: casts, shapes, slicing, gathering, comparisons, reductions.

The ops the MoveNet and BlazePose graphs (TF.js graph models with float16 weights) use
beside the convolutions of ``graph_ops``: their decoding steps (argmax over
heatmaps, gathering offsets, top-k of the centre map) run inside the graph. Each builder
reads a node's attributes once and returns a function of the node's input arrays,
following TF.js's kernels: float32 stays float32, integer results are int32, ties in
``ArgMax`` and ``TopKV2`` go to the lower index. Ops with several outputs (``Unpack``,
``Split``, ``TopKV2``) return a tuple; the executor hands ``name:i`` its item ``i``.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

import numpy as np

from ml5py.numpy_executor import ops

Array = np.ndarray
OpFunction = Callable[..., Any]

# Ops whose function returns a tuple of arrays, one per output (``node:0``, ``node:1`` ...).
MULTI_OUTPUT_OPS = ("Unpack", "Split", "SplitV", "TopKV2")

_TF_TYPES = {"DT_FLOAT": np.float32, "DT_INT32": np.int32, "DT_BOOL": np.bool_, "DT_INT64": np.int32}


def _type(node: Any, key: str, default: str = "DT_FLOAT") -> type:
    name = (node.attr.get(key) or {}).get("type", default)
    if name not in _TF_TYPES:
        raise NotImplementedError(f"The {node.where()} uses the type {name}, which ml5py cannot run. "
                                  f"Supported types are: float32, int32, bool.")
    return _TF_TYPES[name]


def _int(node: Any, key: str, default: int = 0) -> int:
    value = node.attr.get(key)
    return default if value is None else int(value.get("i", default))


def _ints_of(array: Array) -> list:
    return [int(v) for v in np.asarray(array).reshape(-1)]


def _axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def _float_kept(result: Array, *inputs: Array) -> Array:
    """numpy may widen float32 to float64 (with Python scalars); TF keeps float32."""
    if result.dtype == np.float64 and any(np.asarray(x).dtype == np.float32 for x in inputs):
        return result.astype(np.float32)
    return result


# ---------------------------------------------------------------- element-wise


def _cast(node: Any) -> OpFunction:
    target = _type(node, "DstT")
    if target is np.int32:  # float -> int truncates toward zero, as TF.js's cast
        return lambda x: np.trunc(x).astype(np.int32) if x.dtype.kind == "f" else x.astype(np.int32)
    return lambda x: x.astype(target)


def _element(fn: Callable[..., Array]) -> Callable[[Any], OpFunction]:
    return lambda node: (lambda *xs: _float_kept(fn(*xs), *xs))


def _floor_div(a: Array, b: Array) -> Array:
    if a.dtype.kind in "iu" and b.dtype.kind in "iu":
        return np.floor_divide(a, b).astype(np.int32)
    return np.floor(np.divide(a, b)).astype(np.float32)


def _reciprocal(x: Array) -> Array:
    with np.errstate(divide="ignore"):  # 1 / 0 is inf, as in TensorFlow
        return np.float32(1) / x


def _add_n(node: Any) -> OpFunction:
    def run(*xs: Array) -> Array:
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return _float_kept(total, *xs)
    return run


def _select(node: Any) -> OpFunction:
    def run(condition: Array, yes: Array, no: Array) -> Array:
        condition = np.asarray(condition, dtype=bool)
        if condition.ndim == 1 and yes.ndim > 1:  # TF: a vector picks whole rows
            condition = condition.reshape((-1,) + (1,) * (yes.ndim - 1))
        return np.where(condition, yes, no)
    return run


# ---------------------------------------------------------------- shapes


def _expand_dims(node: Any) -> OpFunction:
    return lambda x, dim: np.expand_dims(x, _axis(_ints_of(dim)[0], x.ndim + 1))


def _shape(node: Any) -> OpFunction:
    return lambda x: np.array(x.shape, dtype=np.int32)


def _size(node: Any) -> OpFunction:
    return lambda x: np.array(x.size, dtype=np.int32)


def _pack(node: Any) -> OpFunction:
    axis = _int(node, "axis")

    def run(*xs: Array) -> Array:
        arrays = [np.asarray(x) for x in xs]
        return np.stack(arrays, axis=_axis(axis, arrays[0].ndim + 1))
    return run


def _unpack(node: Any) -> OpFunction:
    axis = _int(node, "axis")

    def run(x: Array) -> Tuple[Array, ...]:
        where = _axis(axis, x.ndim)
        return tuple(np.take(x, i, axis=where) for i in range(x.shape[where]))
    return run


def _split(node: Any) -> OpFunction:
    count = _int(node, "num_split", 1)
    return lambda dim, x: tuple(np.split(x, count, axis=_axis(_ints_of(dim)[0], x.ndim)))


def _tile(node: Any) -> OpFunction:
    return lambda x, multiples: np.tile(x, _ints_of(multiples))


def _fill(node: Any) -> OpFunction:
    return lambda dims, value: np.full(_ints_of(dims), np.asarray(value).reshape(()), dtype=np.asarray(value).dtype)


def _range(node: Any) -> OpFunction:
    kind = _type(node, "Tidx", "DT_INT32")

    def run(start: Array, limit: Array, delta: Array) -> Array:
        first, last, step = (np.asarray(v).reshape(()).item() for v in (start, limit, delta))
        return np.arange(first, last, step).astype(kind)
    return run


def _depth_to_space(node: Any) -> OpFunction:
    block = _int(node, "block_size", 2)
    layout = node.text("data_format", "NHWC")
    if layout != "NHWC":
        raise NotImplementedError(f"The {node.where()} uses data_format '{layout}'; ml5py only runs NHWC.")

    def run(x: Array) -> Array:
        n, h, w, c = x.shape
        depth = c // (block * block)
        y = x.reshape(n, h, w, block, block, depth).transpose(0, 1, 3, 2, 4, 5)
        return np.ascontiguousarray(y.reshape(n, h * block, w * block, depth))
    return run


def _strided_slice(node: Any) -> OpFunction:
    masks = {key: _int(node, key) for key in
             ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")}

    def run(x: Array, begin: Array, end: Array, strides: Array) -> Array:
        begins, ends, steps = _ints_of(begin), _ints_of(end), _ints_of(strides)
        index: list = []
        dim = 0
        for i in range(len(begins)):
            bit = 1 << i
            if masks["ellipsis_mask"] & bit:
                later = [j for j in range(i + 1, len(begins)) if not masks["new_axis_mask"] & (1 << j)]
                covered = x.ndim - dim - len(later)
                index.extend([slice(None)] * covered)
                dim += covered
            elif masks["new_axis_mask"] & bit:
                index.append(np.newaxis)
            elif masks["shrink_axis_mask"] & bit:  # an integer index drops the axis
                index.append(begins[i] + x.shape[dim] if begins[i] < 0 else begins[i])
                dim += 1
            else:
                first = None if masks["begin_mask"] & bit else begins[i]
                last = None if masks["end_mask"] & bit else ends[i]
                index.append(slice(first, last, steps[i]))
                dim += 1
        return np.array(x[tuple(index)])  # (ascontiguousarray would make a scalar 1-D)
    return run


# ---------------------------------------------------------------- gathering, resizing, ranking


def _gather_nd(node: Any) -> OpFunction:
    def run(params: Array, indices: Array) -> Array:
        where = np.asarray(indices).astype(np.intp)
        depth = where.shape[-1]
        return np.array(params[tuple(where[..., i] for i in range(depth))])
    return run


def _resize_bilinear(node: Any) -> OpFunction:
    corners, half = node.flag("align_corners"), node.flag("half_pixel_centers")

    def run(x: Array, size: Array) -> Array:
        height, width = _ints_of(size)
        return ops.resize_bilinear(x, (height, width), align_corners=corners, half_pixel_centers=half)
    return run


def _arg_max(node: Any) -> OpFunction:
    return lambda x, axis: np.argmax(x, axis=_axis(_ints_of(axis)[0], x.ndim)).astype(np.int32)


def _top_k(node: Any) -> OpFunction:
    def run(x: Array, k: Array) -> Tuple[Array, Array]:
        count = _ints_of(k)[0]
        order = np.argsort(-x, axis=-1, kind="stable")[..., :count]  # ties: lower index first
        return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)
    return run


def _reduce(fn: Callable[..., Array]) -> Callable[[Any], OpFunction]:
    def build(node: Any) -> OpFunction:
        keep = node.flag("keep_dims")

        def run(x: Array, axes: Array) -> Array:
            where = tuple(_axis(a, x.ndim) for a in _ints_of(axes))
            return np.asarray(fn(x, axis=where, keepdims=keep)).astype(x.dtype, copy=False)
        return run
    return build


TENSOR_BUILDERS: Dict[str, Callable[[Any], OpFunction]] = {
    "Cast": _cast,
    "FloorDiv": _element(_floor_div),
    "SquaredDifference": _element(lambda a, b: np.square(a - b)),
    "Sqrt": _element(np.sqrt),
    "Exp": _element(np.exp),
    "Abs": _element(np.abs),
    "Reciprocal": _element(_reciprocal),
    "Equal": _element(np.equal),
    "Less": _element(np.less),
    "Greater": _element(np.greater),
    "GreaterEqual": _element(np.greater_equal),
    "LogicalAnd": _element(np.logical_and),
    "AddN": _add_n,
    "Select": _select,
    "SelectV2": _select,
    "ExpandDims": _expand_dims,
    "Shape": _shape,
    "Size": _size,
    "Pack": _pack,
    "Unpack": _unpack,
    "Split": _split,
    "Tile": _tile,
    "Fill": _fill,
    "Range": _range,
    "DepthToSpace": _depth_to_space,
    "StridedSlice": _strided_slice,
    "GatherNd": _gather_nd,
    "ResizeBilinear": _resize_bilinear,
    "ArgMax": _arg_max,
    "TopKV2": _top_k,
    "Sum": _reduce(np.sum),
    "Max": _reduce(np.max),
}
