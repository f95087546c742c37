"""BlazePose's geometry: rectangles, rotations and the projective matrices that cut a body out.

Written once for CPython and the browser (plain numbers), following the MediaPipe
calculators as tfjs-models pose-detection 2.1.3 has them. A rectangle ("rect") is
``{x_center, y_center, width, height, rotation}``, normalised (0..1 of the picture) unless
said otherwise; rotation in radians.

- ``letterbox(rect, size)``: how a rect is padded to the network's square input
  (the padding on each side, 0..1 of the input), widening or heightening the rect;
- ``rect_to_picture_matrix(rect, width, height)``: the 4x4 matrix from the input's 0..1
  coordinates to the picture's 0..1 coordinates, and ``projective_transform`` its
  8-number form for ``tf.image.transform`` (input pixel -> picture pixel);
- ``alignment_rect`` / ``transform_rect``: the region of interest from two keypoints (the
  hips' middle and a point that gives the body's size and direction), enlarged by 1.25
  and made square;
- ``inverse_matrix``: a 4x4 inverse (the mask goes back from the input to the picture).
"""
# __pragma__ ('noopov')

import math


def normalize_radians(angle):
    """An angle in -pi..pi."""
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def whole_picture(width, height):
    """The rect of the whole picture, in pixels."""
    return {"x_center": 0.5 * width, "y_center": 0.5 * height, "width": width, "height": height, "rotation": 0}


def in_pixels(rect, width, height):
    """A normalised rect in the picture's pixels."""
    return {"x_center": rect["x_center"] * width, "y_center": rect["y_center"] * height,
            "width": rect["width"] * width, "height": rect["height"] * height, "rotation": rect["rotation"]}


def letterbox(rect, size):
    """Pad ``rect`` (pixels) to the square input of ``size``: widens it; the padding, 0..1 of the input."""
    rect_ratio = rect["height"] / rect["width"]
    horizontal = 0
    vertical = 0
    if 1 > rect_ratio:  # the input's ratio (square) is taller: pad above and below
        new_width = rect["width"]
        new_height = rect["width"]
        vertical = (1 - rect_ratio) / 2
    else:
        new_width = rect["height"]
        new_height = rect["height"]
        horizontal = (1 - 1 / rect_ratio) / 2
    rect["width"] = new_width
    rect["height"] = new_height
    return {"top": vertical, "left": horizontal, "right": horizontal, "bottom": vertical}


def rect_to_picture_matrix(rect, width, height):
    """The 4x4 matrix taking a point of ``rect``'s input (0..1) to the picture (0..1)."""
    a = rect["width"]
    b = rect["height"]
    c = math.cos(rect["rotation"])
    d = math.sin(rect["rotation"])
    e = rect["x_center"]
    f = rect["y_center"]
    g = 1.0 / width
    h = 1.0 / height
    return [[a * c * g, -b * d * g, 0.0, (-0.5 * a * c + 0.5 * b * d + e) * g],
            [a * d * h, b * c * h, 0.0, (-0.5 * b * c - 0.5 * a * d + f) * h],
            [0.0, 0.0, a * g, 0.0],
            [0.0, 0.0, 0.0, 1.0]]


def projective_transform(matrix, from_size, to_size):
    """``tf.image.transform``'s 8 numbers: a pixel of ``to_size`` -> a pixel of ``from_size``."""
    return [matrix[0][0] * from_size[0] / to_size[0], matrix[0][1] * from_size[0] / to_size[1],
            matrix[0][3] * from_size[0],
            matrix[1][0] * from_size[1] / to_size[0], matrix[1][1] * from_size[1] / to_size[1],
            matrix[1][3] * from_size[1], 0, 0]


def input_plan(rect, width, height, side):
    """What cutting ``rect`` (normalised, or None: the whole picture) into a side x side input needs:
    ``{"padding", "matrix" (4x4), "transform" (8 numbers)}``."""
    region = whole_picture(width, height) if rect is None else in_pixels(rect, width, height)
    padding = letterbox(region, side)
    matrix = rect_to_picture_matrix(region, width, height)
    return {"padding": padding, "matrix": matrix,
            "transform": projective_transform(matrix, [width, height], [side, side])}


def _rotation(points, start, end, width, height):
    """The rect's rotation: the vector from ``start`` to ``end`` turned to point up (90 degrees)."""
    x0 = points[start]["x"] * width
    y0 = points[start]["y"] * height
    x1 = points[end]["x"] * width
    y1 = points[end]["y"] * height
    return normalize_radians(math.pi / 2 - math.atan2(-(y1 - y0), x1 - x0))


def alignment_rect(points, start, end, width, height):
    """A square rect centred on ``points[start]``, twice as wide as its distance to ``points[end]``."""
    x_center = points[start]["x"] * width
    y_center = points[start]["y"] * height
    x_scale = points[end]["x"] * width
    y_scale = points[end]["y"] * height
    box = math.sqrt((x_scale - x_center) * (x_scale - x_center) + (y_scale - y_center) * (y_scale - y_center)) * 2
    return {"x_center": x_center / width, "y_center": y_center / height, "width": box / width,
            "height": box / height, "rotation": _rotation(points, start, end, width, height)}


ROI_SCALE = 1.25  # the margin the landmark model was trained with


def transform_rect(rect, width, height):
    """The rect made square on its longer side (in pixels) and enlarged by ``ROI_SCALE``."""
    longest = max(rect["width"] * width, rect["height"] * height)
    rect["width"] = longest / width * ROI_SCALE
    rect["height"] = longest / height * ROI_SCALE
    return rect


def roi_from_points(points, width, height):
    """The region of interest from two points: the body's middle (0), then its size and direction (1)."""
    return transform_rect(alignment_rect(points, 0, 1, width, height), width, height)


def _det3(m, i1, i2, i3, j1, j2, j3):
    return m[i1][j1] * (m[i2][j2] * m[i3][j3] - m[i2][j3] * m[i3][j2])


def _cofactor(m, i, j):
    i1 = (i + 1) % 4
    i2 = (i + 2) % 4
    i3 = (i + 3) % 4
    j1 = (j + 1) % 4
    j2 = (j + 2) % 4
    j3 = (j + 3) % 4
    return _det3(m, i1, i2, i3, j1, j2, j3) + _det3(m, i2, i3, i1, j1, j2, j3) + _det3(m, i3, i1, i2, j1, j2, j3)


def inverse_matrix(m):
    """The inverse of a 4x4 matrix, by cofactors (as MediaPipe's inverse matrix calculator)."""
    inverse = [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    for i in range(4):
        for j in range(4):
            sign = 1 if (i + j) % 2 == 0 else -1
            inverse[j][i] = sign * _cofactor(m, i, j)
    scale = m[0][0] * inverse[0][0] + m[1][0] * inverse[0][1] + m[2][0] * inverse[0][2] + m[3][0] * inverse[0][3]
    for i in range(4):
        for j in range(4):
            inverse[i][j] = inverse[i][j] / scale
    return inverse
