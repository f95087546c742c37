"""Pictures across the model worker's boundary: frames out, answers back as today's objects.

Browser only (Transcrypt); used by ``channel.py`` (the page's line to ``web/ml5py-worker.js``)
and ``proxy.py`` (the models' stand-ins). A picture (a video, canvas, image, p5 image) leaves
as an ``ImageBitmap`` (transferred, never copied through JSON; a video at the size the sketch
gave it); the worker's answers are made the same objects again: pictures and masks as p5
images or canvases, BodyPix's numbers with ``.tolist()``.
"""
# __pragma__ ('noopov')
# __pragma__ ('notconv')

__pragma__ ('js', '{}', """
// Pictures across the worker's boundary: frames out as ImageBitmaps, answers back as today's objects.
function element_of (value) {
    if (value && value.elt && !(value instanceof Element)) return value.elt;  // a p5 element
    if (value && value.canvas && value.canvas instanceof HTMLCanvasElement && value.width !== undefined &&
        !(value instanceof Element) && !(value instanceof ImageData)) return value.canvas;  // a p5 image
    return value;
}

export function is_picture (value) {
    var found = element_of (value);
    return found instanceof HTMLVideoElement || found instanceof HTMLImageElement ||
        found instanceof HTMLCanvasElement || found instanceof ImageData ||
        found instanceof ImageBitmap || (typeof OffscreenCanvas !== 'undefined' && found instanceof OffscreenCanvas);
}

function picture_ready (value) {
    var found = element_of (value);
    if (found instanceof HTMLImageElement && !found.complete) {
        return new Promise (function (resolve, reject) {
            found.addEventListener ('load', function () { resolve (found); });
            found.addEventListener ('error', function () { reject (new Error ('Could not load the image ' + found.src)); });
        });
    }
    if (found instanceof HTMLVideoElement && found.readyState < 2) {
        return new Promise (function (resolve) { found.addEventListener ('loadeddata', function () { resolve (found); }); });
    }
    return Promise.resolve (found);
}

export function as_bitmap (value) {
    // a picture -> {bitmap} (transferred); a BrowserImage of load_image -> its <img>
    if (value && value.elt && value.ready && value.elt instanceof HTMLImageElement) value = value.elt;
    return picture_ready (value).then (function (found) {
        if (found instanceof HTMLVideoElement) {
            // the size the sketch gave the video (p5's video.size), as the main thread reads it
            var width = found.width || found.videoWidth, height = found.height || found.videoHeight;
            return createImageBitmap (found, {resizeWidth: width, resizeHeight: height, resizeQuality: 'high'}).catch (
                function () { return video_drawn (found, width, height); });
        }
        return createImageBitmap (found);
    }).then (function (bitmap) { return {ml5py_bitmap: bitmap}; });
}

function video_drawn (video, width, height) {
    // Chromium may refuse to make a bitmap of a video's frame ("could not be allocated": seen on
    // a webcam's first frames); drawn on a canvas first, the frame goes all the same
    var canvas = document.createElement ('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext ('2d', {willReadFrequently: true}).drawImage (video, 0, 0, width, height);
    return createImageBitmap (canvas);
}

export function rebuilt (value, own) {
    // the worker's answer -> today's objects (pictures as p5 images or canvases); ``own``
    // (optional) rebuilds what it knows (handles, errors) and answers undefined for the rest
    if (value === null || typeof value !== 'object') return value;
    var made = own && own (value);
    if (made !== undefined) return made;
    if (Array.isArray (value)) return value.map (function (item) { return rebuilt (item, own); });
    if (value.ml5py_bitmap) return picture (value.ml5py_bitmap);
    if (value.ml5py_listable) return listable (value.ml5py_listable, value.width, value.height);
    if (value instanceof ImageData || ArrayBuffer.isView (value) || value instanceof ArrayBuffer) return value;
    var copy = {};
    Object.keys (value).forEach (function (key) { copy [key] = rebuilt (value [key], own); });
    return copy;
}

function listable (values, width, height) {
    // one number per pixel, row by row; .tolist() gives the rows, as on the main thread
    values.width = width;
    values.height = height;
    values.tolist = function () {
        var rows = [];
        for (var y = 0; y < height; y++) rows.push (Array.prototype.slice.call (values, y * width, (y + 1) * width));
        return rows;
    };
    return values;
}

export function picture (bitmap) {
    var made, canvas;
    if (self.p5 && self.p5.instance) {
        made = self.p5.instance.createImage (bitmap.width, bitmap.height);
        canvas = made.canvas;
    } else {
        made = canvas = document.createElement ('canvas');
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
    }
    canvas.getContext ('2d').drawImage (bitmap, 0, 0);
    bitmap.close ();
    if (made.setModified) made.setModified (true);
    return made;
}
""")
