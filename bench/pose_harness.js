// Timing harness injected by bench/pose_bench.py into the page built from bench/page/pose_sketch.py.
// For each model row, on the same page, backend, weights and <img> (640x480):
//   ml5py:          `await bodyPose.detect(img)` (a still: results with keypoints by name, box, id);
//   pose-detection: `await detector.estimatePoses(img)` of @tensorflow-models/pose-detection 2.1.3
//                   (its UMD build, copied beside the page by the bench only), weights through modelUrl.
// Warm-up, then interleaved (ml5py, pose-detection, pose-detection, ml5py, ...). Python polls window.benchState.
(function () {
  "use strict";

  const state = { done: false, error: null, log: [], result: {} };
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
      await loadScript("pose-detection.min.js");
      const img = window.bench_image.elt;
      for (const row of plan.rows) {
        const ours = window.bench_models[row.name];
        const detector = await poseDetection.createDetector(poseDetection.SupportedModels[row.upstream.model],
                                                            row.upstream.config);
        const sides = {
          ml5py: async () => (await ours.detect(img)).length,
          pose_detection: async () => {
            if (row.upstream.reset) detector.reset();  // a still, as ml5py's detect() answers it
            return (await detector.estimatePoses(img)).length;
          },
        };
        const times = { ml5py: [], pose_detection: [] };
        const people = {};
        async function once(name, record) {
          const start = performance.now();
          people[name] = await sides[name]();
          const took = performance.now() - start;
          if (record) times[name].push(took);
        }
        for (let i = 0; i < plan.warmup; i++) {
          await once("ml5py", false);
          await once("pose_detection", false);
        }
        state.log.push(tf.getBackend() + " " + row.name + ": warm, timing " + plan.repeats + " frames per side");
        const before = tf.memory().numTensors;
        for (let i = 0; i < plan.repeats; i++) {
          const order = i % 2 ? ["pose_detection", "ml5py"] : ["ml5py", "pose_detection"];
          for (const name of order) await once(name, true);
        }
        const after = tf.memory().numTensors;
        detector.dispose();
        state.result[row.name] = {
          backend: tf.getBackend(), ml5py: summary(times.ml5py), pose_detection: summary(times.pose_detection),
          paired: summary(times.ml5py.map((t, i) => t / times.pose_detection[i])).median,
          tensors: [before, after], people: [people.ml5py, people.pose_detection],
        };
      }
      state.done = true;
    } catch (error) {
      state.error = String(error && error.stack || error);
      state.done = true;
    }
  };
})();
