// ml5py's model worker (a dedicated module worker): it makes the real models of ml5py's
// compiled library and answers the page's stand-ins (ml5py/worker/proxy.py, channel.py), in
// the order they asked. Pictures come in as ImageBitmaps, callbacks as ids it calls back;
// answers go back as plain data, pictures as ImageBitmaps (transferred), ml5py's objects as
// handles, errors by their Python class.
self.ml5pyInWorker = true;
self.window = self;  // the library's browser runtime reads its config and helpers on window
self.document = {    // what the library asks of a document, in a worker: canvases (OffscreenCanvas)
  createElement: function (tag) {
    if (tag === "canvas") return new OffscreenCanvas(300, 150);
    if (tag === "img") return unloadable();
    return {  // an element nobody sees (the page's status line lives on the page)
      style: {}, dataset: {}, classList: { add: function () {}, remove: function () {} },
      appendChild: function () {}, removeChild: function () {}, setAttribute: function () {},
      addEventListener: function () {}, remove: function () {},
      click: function () { self.ml5pyDownload(this); }  // a download link: the page downloads it
    };
  },
  getElementById: function () { return null; },
  addEventListener: function () {},
  body: { appendChild: function () {}, removeChild: function () {} }
};

function unloadable() {
  // an <img> a worker cannot load (the page loads pictures): it fails, so the library says so
  var listeners = [];
  return {
    addEventListener: function (type, listener) { if (type === "error") listeners.push(listener); },
    set src(value) { setTimeout(function () { listeners.forEach(function (listener) { listener({}); }); }, 0); },
    get src() { return ""; }
  };
}

var library = null, runtime = null;

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
  // (a canvas read from the CPU, as TF.js reads an <img> on the page: a GPU canvas rounds a
  // JPEG's colours apart by a level here and there)
  var context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(value, 0, 0);
  value.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

// What the page sends: pictures (ImageBitmaps), keyword options, callbacks (ids the worker
// calls back through the page), the page's own objects (handles); plain data as it is.
function incoming(value, call) {
  if (value === null || typeof value !== "object") return value;
  if (value.ml5py_bitmap) return picture(value.ml5py_bitmap);
  if (value.ml5py_callback) return calling(value.ml5py_callback, call);
  if (value.ml5py_handle) return objects[value.ml5py_handle].made;
  if (value instanceof ImageData || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) return value.map(function (item) { return incoming(item, call); });
  var plain = {};
  Object.keys(value).forEach(function (key) {
    if (key !== "ml5py_options") plain[key] = incoming(value[key], call);
  });
  return value.ml5py_options ? runtime.__kwargtrans__(plain) : runtime.dict(plain);  // (a Python dict, as on the page)
}

function calling(callback, call) {
  // a function standing for the page's callback: its arguments go to the page
  return function () {
    var transfer = [];
    var args = Array.prototype.map.call(arguments, function (item) { return outgoing(item, transfer, call); });
    self.postMessage({ op: "callback", callback: callback, call: call.id, args: args, state: stateOf(call.target) }, transfer);
  };
}

function isModel(value) {
  // an object of one of ml5py's classes (a trainable head...): the page gets a handle to it
  var kind = value.__class__;
  return !!kind && typeof kind.__module__ === "string" && kind.__module__.indexOf("ml5py") === 0 &&
    !value.__args__;
}

function handleOf(value, call) {
  var id = handles.get(value);
  if (id !== undefined) return { ml5py_handle: id };
  id = call && call.handle ? call.handle : nextOwn--;
  keep(id, value);
  return { ml5py_handle: id, methods: publicMethods(value), name: value.__class__.__name__ };
}

function keep(id, value) {
  handles.set(value, id);
  objects[id] = { made: value, ready: Promise.resolve(value) };
}

function publicMethods(value) {
  var names = [];
  for (var key in value) if (key.charAt(0) !== "_" && typeof value[key] === "function") names.push(key);
  return names;
}

function outgoing(value, transfer, call) {
  // a model's answer -> plain data; canvases and pictures -> transferred ImageBitmaps (each
  // once per call: the callback's picture and the returned one are the same on the page)
  if (value === null || value === undefined || typeof value !== "object") {
    return typeof value === "function" ? undefined : value;
  }
  if (value instanceof OffscreenCanvas) {
    var seen = call ? call.pictures.get(value) : undefined;
    if (seen !== undefined) return { ml5py_seen: seen };
    var bitmap = value.transferToImageBitmap();
    transfer.push(bitmap);
    if (call) call.pictures.set(value, call.pictures.size + 1);
    return { ml5py_bitmap: bitmap, token: call ? call.pictures.size : 0 };
  }
  if (value.canvas instanceof OffscreenCanvas && value.width !== undefined) {
    return outgoing(value.canvas, transfer, call);  // (a picture object holding a canvas)
  }
  if (value.__args__ !== undefined || value instanceof Error) return { ml5py_error: failure(value) };
  if (isModel(value)) return handleOf(value, call);
  if (ArrayBuffer.isView(value) && value.tolist) {  // a listable typed array (core: one number per pixel)
    return { ml5py_listable: value, width: value.width, height: value.height };
  }
  if (value instanceof ImageData || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) {
    var items = value.map(function (item) { return outgoing(item, transfer, call); });
    return typeof value.tolist === "function" ? { ml5py_list: items } : items;  // (an embedding)
  }
  var plain = {};
  for (var key in value) {
    if (key === "__class__" || key === "__proto__") continue;
    var item = value[key];
    if (typeof item !== "function") plain[key] = outgoing(item, transfer, call);
  }
  return plain;
}

function isPlain(value, depth) {
  if (value === null || typeof value !== "object") return typeof value !== "function" && value !== undefined;
  if (depth > 2 || value.__class__ && !Array.isArray(value) && value.__class__.__name__ !== "dict") return false;
  if (ArrayBuffer.isView(value) || value instanceof ImageData) return false;
  var items = Array.isArray(value) ? value : Object.keys(value).map(function (key) { return value[key]; });
  return items.every(function (item) { return isPlain(item, depth + 1); });
}

function stateOf(id) {
  // what the page answers at once: the object's plain fields and its get_...() answers
  var entry = objects[id], made = entry && entry.made;
  if (!made) return null;
  var fields = {}, answers = {};
  for (var key in made) {
    if (key.charAt(0) === "_" || key === "ready") continue;
    var item;
    try { item = made[key]; } catch (error) { continue; }
    if (typeof item === "function") {
      if (key.indexOf("get_") !== 0) continue;
      try { item = item.call(made); } catch (error) { continue; }
      if (isPlain(item, 0)) answers[key] = outgoing(item, [], null);
    } else if (isPlain(item, 0)) fields[key] = outgoing(item, [], null);
  }
  return { id: id, fields: fields, answers: answers };
}

function failure(error) {
  // an error -> its Python class name and text (the page raises the same class)
  if (error && error.ml5py_unmade) return Object.assign(failure(error.error), { unmade: true });
  var name = (error && error.__class__ && error.__class__.__name__) || (error && error.name) || "Error";
  var message = error && error.__args__ ? (error.__args__.length ? String(error.__args__[0]) : "") :
    (error && error.message) || String(error);
  return { name: name, message: message };
}

var ready = null, objects = {}, handles = new Map(), nextOwn = -1;
var answers = {
  init: function (message) { ready = start(message.config, message.query); return ready.then(function () { return true; }); },
  create: function (message) {
    // the object exists (and takes calls) at once, as on the main thread; the answer waits for it to be ready
    var made = ready.then(function () {
      var model = library[message.name].apply(null, incoming(message.args, message));
      keep(message.target, model);
      return model;
    });
    objects[message.target] = { ready: made };
    return made.then(function (model) { return Promise.resolve(model.ready); }).then(function () { return null; });
  },
  call: function (message) {
    var entry = objects[message.target];
    if (!entry) return Promise.reject(new Error("This model was never made in the worker."));
    var unmade = function (error) { throw { ml5py_unmade: true, error: error }; };  // (the page shows it once)
    var done = entry.ready.then(null, unmade).then(function (model) {
      var method = model[message.method];
      if (typeof method !== "function") throw new Error(model.__class__.__name__ + " has no method " + message.method + "()");
      var value = method.apply(model, incoming(message.args, message));
      if (message.handle && value && typeof value === "object" && isModel(value)) keep(message.handle, value);
      return value;
    });
    // a call that makes an object the page already holds (features.classification()): later
    // calls on it wait for it
    if (message.handle) objects[message.handle] = { ready: done.then(function () { return objects[message.handle].made; }) };
    return done;
  },
  memory: function () { return Promise.resolve(self.tf.memory().numTensors); }
};

// the library's prints and downloads reach the page
console.log = function () {
  var args = Array.prototype.map.call(arguments, function (item) { return typeof item === "string" ? item : String(item); });
  self.postMessage({ op: "print", args: args });
};
self.ml5pyDownload = function (link) { self.postMessage({ op: "download", href: link.href, name: link.download }); };

self.onmessage = function (event) {
  var message = event.data;
  message.pictures = new Map();
  answers[message.op](message).then(function (value) {
    var transfer = [];
    var plain = outgoing(value, transfer, message);
    message.pictures = new Map();  // a callback after the answer sends its pictures afresh
    self.postMessage({ id: message.id, value: plain, state: stateOf(message.target) }, transfer);
  }, function (error) {
    self.postMessage({ id: message.id, error: failure(error), state: stateOf(message.target) });
  });
};
