// Timing harness injected by bench/bodypix_bench.py into the page built from
// bench/page/bodypix_sketch.py. On the same page, backend, weights and <img> (640x480):
//   ml5py:    `await bodypix.segment(img)` (data, raw, person_mask, background_mask);
//   body-pix: `await net.segmentPerson(img, {internalResolution: "medium", segmentationThreshold: 0.7})`
//             from @tensorflow-models/body-pix 2.2.1 (its UMD build, copied beside the page by the bench only).
// Warm-up, then interleaved (ml5py, body-pix, body-pix, ml5py, ...). Python polls window.benchState.
(function () {
  "use strict";

  const state = { done: false, error: null, log: [], result: null };
  window.benchState = state;

  function summary(samples) {
    const sorted = samples.slice().sort((a, b) => a - b);
    const n = sorted.length;
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { median: median, min: sorted[0], max: sorted[n - 1], samples: samples };
  }

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error("could not load " + url));
      document.head.appendChild(script);
    });
  }

  window.benchStart = async function (plan) {
    try {
      const bodypix = window.bench_bodypix;
      const img = window.bench_image.elt;
      await loadScript("body-pix.min.umd.js");
      const net = await window["body-pix"].load({
        architecture: "MobileNetV1", outputStride: 16, multiplier: 0.75, quantBytes: 2,
        modelUrl: "models/bodypix/mobilenet/quant2/075/model-stride16.json",
      });
      const settings = { internalResolution: "medium", segmentationThreshold: 0.7 };
      const sides = {
        ml5py: async () => (await bodypix.segment(img)).data,
        bodypix: async () => (await net.segmentPerson(img, settings)).data,
      };
      const times = { ml5py: [], bodypix: [] };
      const last = {};
      async function once(name, record) {
        const start = performance.now();
        last[name] = await sides[name]();
        const took = performance.now() - start;
        if (record) times[name].push(took);
      }
      for (let i = 0; i < plan.warmup; i++) {
        await once("ml5py", false);
        await once("bodypix", false);
      }
      state.log.push(tf.getBackend() + ": warm, timing " + plan.repeats + " frames per side");
      const before = tf.memory().numTensors;
      for (let i = 0; i < plan.repeats; i++) {
        const order = i % 2 ? ["bodypix", "ml5py"] : ["ml5py", "bodypix"];
        for (const name of order) await once(name, true);
      }
      const after = tf.memory().numTensors;
      let differ = 0;
      for (let i = 0; i < last.ml5py.length; i++) if (last.ml5py[i] !== last.bodypix[i]) differ++;
      state.result = {
        backend: tf.getBackend(), tfjs: tf.version.tfjs, size: [img.naturalWidth, img.naturalHeight],
        ml5py: summary(times.ml5py), bodypix: summary(times.bodypix),
        paired: summary(times.ml5py.map((t, i) => t / times.bodypix[i])).median,
        tensors: [before, after], mask_pixels_differ: differ, person_pixels: last.ml5py.reduce((a, b) => a + b, 0),
      };
      state.done = true;
    } catch (error) {
      state.error = String(error && error.stack || error);
      state.done = true;
    }
  };
})();
