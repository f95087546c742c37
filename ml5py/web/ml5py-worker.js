// ml5py's model worker (a dedicated module worker): it makes the real models of ml5py's
// compiled library and answers the page's proxies (ml5py/worker/remote.py). Pictures come in
// as ImageBitmaps, answers go back with their pictures as ImageBitmaps (transferred).
self.ml5pyInWorker = true;
self.window = self;  // the library's browser runtime reads its config and helpers on window
self.document = {    // what the library asks of a document, in a worker: canvases (OffscreenCanvas)
  createElement: function (tag) {
    if (tag === "canvas") return new OffscreenCanvas(300, 150);
    return {  // an element nobody sees (the page's status line lives on the page)
      style: {}, dataset: {}, classList: { add: function () {}, remove: function () {} },
      appendChild: function () {}, removeChild: function () {}, setAttribute: function () {},
      addEventListener: function () {}, remove: function () {}
    };
  },
  getElementById: function () { return null; },
  addEventListener: function () {},
  body: { appendChild: function () {}, removeChild: function () {} }
};

var models = {}, nextModel = 1, library = null, runtime = null;

function start(config, query) {
  // the page's ?backend= and ?wasm_threads= (the worker's own address has no query)
  var asked = new URLSearchParams(query || "");
  if (asked.get("backend")) config.backend = asked.get("backend");
  if (asked.get("wasm_threads")) config.wasm_threads = asked.get("wasm_threads");
  self.ML5PY_CONFIG = config;
  var lib = config.lib_url || "lib/";
  // the TF.js files the page runs, in order (another backend's file loads when it is chosen)
  return config.tf_scripts.reduce(function (done, name) {
    return done.then(function () { return import("./" + lib + name); });
  }, Promise.resolve())
    .then(function () { return Promise.all([import("./app/ml5py.js"), import("./app/org.transcrypt.__runtime__.js")]); })
    .then(function (modules) { library = modules[0]; runtime = modules[1]; });
}

function picture(value) {
  // an ImageBitmap from the page -> ImageData, which every model reads
  var canvas = new OffscreenCanvas(value.width, value.height);
  var context = canvas.getContext("2d");
  context.drawImage(value, 0, 0);
  value.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

function incoming(value) {
  if (value && value.ml5py_bitmap) return picture(value.ml5py_bitmap);
  if (value && value.ml5py_options) {
    delete value.ml5py_options;
    return runtime.__kwargtrans__(value);
  }
  return value;
}

function outgoing(value, transfer) {
  // a model's answer -> plain data; canvases and pictures -> transferred ImageBitmaps
  if (value === null || value === undefined || typeof value !== "object") {
    return typeof value === "function" ? undefined : value;
  }
  if (value instanceof OffscreenCanvas) {
    var bitmap = value.transferToImageBitmap();
    transfer.push(bitmap);
    return { ml5py_bitmap: bitmap };
  }
  if (value.canvas instanceof OffscreenCanvas && value.width !== undefined) {
    return outgoing(value.canvas, transfer);  // (a picture object holding a canvas)
  }
  if (ArrayBuffer.isView(value) && value.tolist) {  // a listable typed array (core: one number per pixel)
    return { ml5py_listable: value, width: value.width, height: value.height };
  }
  if (value instanceof ImageData || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(function (item) { return outgoing(item, transfer); });
  var plain = {};
  for (var key in value) {
    if (key === "__class__" || key === "__proto__") continue;
    var item = value[key];
    if (typeof item !== "function") plain[key] = outgoing(item, transfer);
  }
  return plain;
}

function failure(error) {
  var name = (error && error.__class__ && error.__class__.__name__) || (error && error.name) || "Error";
  var message = (error && error.message) || String(error);
  if (name !== "Error" && message.indexOf(name + ":") !== 0) message = name + ": " + message;
  return { name: "Error", message: message };
}

var ready = null;
var answers = {
  init: function (message) { ready = start(message.config, message.query); return ready.then(function () { return true; }); },
  create: function (message) {
    return ready.then(function () {
      var args = message.args.slice();
      if (Object.keys(message.options).length) args.push(runtime.__kwargtrans__(message.options));
      var model = library[message.name].apply(null, args);
      return Promise.resolve(model.ready).then(function () {
        var id = nextModel++;
        models[id] = model;
        return id;
      });
    });
  },
  call: function (message) {
    var model = models[message.model];
    return Promise.resolve(model[message.method].apply(model, message.args.map(incoming)));
  },
  memory: function () { return Promise.resolve(self.tf.memory().numTensors); }
};

self.onmessage = function (event) {
  var message = event.data;
  answers[message.op](message).then(function (value) {
    var transfer = [];
    var plain = outgoing(value, transfer);
    self.postMessage({ id: message.id, value: plain }, transfer);
  }, function (error) {
    self.postMessage({ id: message.id, error: failure(error) });
  });
};
