// Timing harness injected by bench/browser_bench.py into the page built from bench/page/sketch.py.
//
// For each model it times, on the same page and the same TF.js backend:
//   ml5py: `await classifier.classify(image)` on the ImageClassifier the sketch made;
//   raw:   the same model.json loaded with tf.loadLayersModel, then
//          tf.tidy(fromPixels -> same preprocessing -> model.predict), `await y.data()`, dispose.
// Warm-up first, then the two are interleaved (ml5py, raw, raw, ml5py, ...) so that drifts
// in machine load hit both alike. Python starts `window.benchStart(plan)` and polls
// `window.benchState` (a single long execute_async_script would hit Selenium's 120 s limit).
(function () {
  "use strict";

  const state = { done: false, error: null, log: [], results: [], env: null };
  window.benchState = state;

  function note(line) {
    state.log.push(line);
  }

  function numTensors() {
    return tf.memory().numTensors;
  }

  function summary(samples) {
    const sorted = samples.slice().sort((a, b) => a - b);
    const n = sorted.length;
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { median: median, min: sorted[0], max: sorted[n - 1], samples: samples };
  }

  function describeError(error) {
    return window.ml5py && window.ml5py.describe ? window.ml5py.describe(error) : String(error);
  }

  async function environment() {
    const env = {
      backend: tf.getBackend(),
      tfjs_version: tf.version && tf.version.tfjs,
      user_agent: navigator.userAgent,
      hardware_concurrency: navigator.hardwareConcurrency,
      cross_origin_isolated: !!window.crossOriginIsolated,
    };
    if (env.backend === "wasm") {
      env.wasm_simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      env.wasm_threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    }
    if (env.backend === "webgl") {
      env.webgl_version = tf.env().getNumber("WEBGL_VERSION");
      const gl = document.createElement("canvas").getContext("webgl2");
      const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
      env.renderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
    }
    return env;
  }

  // The raw TF.js forward pass: what a JavaScript programmer would write by hand.
  function rawScores(model, source, size, element) {
    const prep = source.preprocessing;
    return tf.tidy(() => {
      let x = tf.cast(tf.browser.fromPixels(element), "float32");
      x = tf.add(tf.mul(x, prep.scale), prep.offset);
      if (x.shape[0] !== size[0] || x.shape[1] !== size[1]) {
        x = tf.image.resizeBilinear(x, size, prep.align_corners);
      }
      if (prep.gray === "mean_round") x = tf.round(tf.mean(x, 2, true));
      let y = model.predict(tf.expandDims(x, 0));
      if (source.softmax) y = tf.softmax(y);
      return y;
    });
  }

  async function rawOnce(model, source, size, element) {
    const y = rawScores(model, source, size, element);
    const values = await y.data();
    y.dispose();
    return values;
  }

  function pairedRatio(ours, theirs) {
    return summary(ours.map((value, i) => value / theirs[i])).median;
  }

  // ml5py's fixed cost per call, without the network: both sides get a stub model that
  // returns fixed scores, and a canvas already at the model's input size (no resize).
  // What is left is preprocessing ops, promise plumbing, reading the scores and top-k.
  async function fixedOverhead(classifier, source, size, calls) {
    const labels = classifier.labels.length;
    const scores = Array.from({ length: labels }, (_, i) => ((i * 7919) % labels) / labels);
    const stub = { predict: () => tf.tensor(scores, [1, labels]), inputs: classifier.model.inputs };
    const canvas = document.createElement("canvas");
    canvas.width = size[1];
    canvas.height = size[0];
    canvas.getContext("2d").fillRect(0, 0, 8, 8);
    const model = classifier.model;
    classifier.model = stub;
    try {
      const sides = { ml5py: () => classifier.classify(canvas), raw: () => rawOnce(stub, source, size, canvas) };
      const total = { ml5py: 0, raw: 0 };
      for (const name of ["ml5py", "raw"]) for (let i = 0; i < 5; i++) await sides[name]();
      for (let block = 0; block < 4; block++) {
        for (const name of block % 2 ? ["raw", "ml5py"] : ["ml5py", "raw"]) {
          const start = performance.now();
          for (let i = 0; i < calls / 4; i++) await sides[name]();
          total[name] += performance.now() - start;
        }
      }
      return { ml5py_ms: total.ml5py / calls, raw_ms: total.raw / calls,
               overhead_ms: (total.ml5py - total.raw) / calls, calls: calls };
    } finally {
      classifier.model = model;
    }
  }

  async function timed(work) {
    const start = performance.now();
    const value = await work();
    return [performance.now() - start, value];
  }

  function argmax(values) {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
  }

  async function benchModel(item, plan, image, element) {
    const classifier = window.bench_classifiers[item.name];
    const source = item.source;
    const result = { model: item.name, id: source.id, backend: tf.getBackend() };

    let start = performance.now();
    await classifier.ready;
    result.ml5py_ready_ms = performance.now() - start;  // mostly overlaps the page load
    start = performance.now();
    const model = await tf.loadLayersModel("models/" + source.id + "/" + source.entry);
    result.raw_load_ms = performance.now() - start;
    const shape = model.inputs[0].shape;
    const size = source.preprocessing.input_size || [shape[1], shape[2]];

    const ml5pyOnce = () => classifier.classify(image);
    const rawRun = () => rawOnce(model, source, size, element);

    result.tensors_before_first_call = numTensors();
    for (let i = 0; i < plan.warmup; i++) {
      const [ms] = await timed(ml5pyOnce);
      const [rawMs] = await timed(rawRun);
      note(item.name + " warm-up " + (i + 1) + "/" + plan.warmup + ": ml5py " + ms.toFixed(1) +
           " ms, raw " + rawMs.toFixed(1) + " ms");
    }

    // Same answer from both? (top-1 label index and its score)
    const ml5pyTop = await classifier.classify(image, 1);
    const rawValues = await rawRun();
    const best = argmax(rawValues);
    result.check = {
      ml5py_label: ml5pyTop[0].label, ml5py_confidence: ml5pyTop[0].confidence,
      raw_label: classifier.labels[best], raw_confidence: rawValues[best],
    };

    const ml5pyMs = [];
    const rawMs = [];
    let tensorGrowth = 0;
    result.tensors_before = numTensors();
    for (let i = 0; i < plan.repeats; i++) {
      const order = i % 2 === 0 ? ["ml5py", "raw"] : ["raw", "ml5py"];
      for (const which of order) {
        if (which === "ml5py") {
          const before = numTensors();
          const [ms] = await timed(ml5pyOnce);
          tensorGrowth += numTensors() - before;
          ml5pyMs.push(ms);
        } else {
          const [ms] = await timed(rawRun);
          rawMs.push(ms);
        }
      }
      note(item.name + " " + (i + 1) + "/" + plan.repeats + ": ml5py " +
           ml5pyMs[ml5pyMs.length - 1].toFixed(1) + " ms, raw " + rawMs[rawMs.length - 1].toFixed(1) + " ms");
    }
    result.tensors_after = numTensors();
    result.tensor_growth_in_ml5py_calls = tensorGrowth;
    result.ml5py = summary(ml5pyMs);
    result.raw = summary(rawMs);
    result.ratio = result.ml5py.median / result.raw.median;
    result.paired_ratio = pairedRatio(ml5pyMs, rawMs);
    result.stub = await fixedOverhead(classifier, source, size, plan.stub_calls);
    note(item.name + " without the network: ml5py " + result.stub.ml5py_ms.toFixed(2) + " ms, raw " +
         result.stub.raw_ms.toFixed(2) + " ms per call");
    model.dispose();
    return result;
  }

  async function run(plan) {
    const image = window.bench_image;
    await image.ready;
    const element = image.elt;
    // ml5py starts the backend when its first model loads; wait for it before reading it.
    await Promise.all(plan.models.map((item) => window.bench_classifiers[item.name].ready));
    state.env = await environment();
    note("backend " + state.env.backend);
    for (const item of plan.models) {
      state.results.push(await benchModel(item, plan, image, element));
    }
  }

  window.benchStart = function (plan) {
    run(plan).then(
      () => { state.done = true; },
      (error) => { state.error = describeError(error); state.done = true; });
  };
})();
