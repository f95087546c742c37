// The webcam classifier (examples/webcam_classifier/sketch.py) written by hand in
// JavaScript with p5.js and TensorFlow.js, for bench/live_bench.py: the same canvas, the
// same drawing, the same model and preprocessing, the same scheduling (next video frame,
// one classification at a time). window.BENCH = {backend, source} is set by the bench.
let video;
let model;
let label = "waiting...";
let running = false;
window.probe_callbacks = 0;

function setup() {
  createCanvas(640, 480);
  video = createCapture(VIDEO);
  video.size(640, 480);
  video.hide();
  start();
}

async function start() {
  if (tf.wasm) tf.wasm.setWasmPaths("lib/");
  await tf.setBackend(window.BENCH.backend);
  model = await tf.loadLayersModel("models/" + window.BENCH.source.id + "/model.json");
  window.probe_start();
}

window.probe_start = function () {
  running = true;
  nextFrame();
};

window.probe_stop = function () {
  running = false;
  window.probe_stopped_at = window.probe_callbacks;
};

function nextFrame() {
  if (!running) return;
  if (video.elt.requestVideoFrameCallback) video.elt.requestVideoFrameCallback(classify);
  else requestAnimationFrame(classify);
}

async function classify() {
  if (!running) return;
  if (video.elt.readyState < 2) return nextFrame();
  const prep = window.BENCH.source.preprocessing;
  const scores = tf.tidy(() => {
    let x = tf.cast(tf.browser.fromPixels(video.elt), "float32");
    x = tf.image.resizeBilinear(x, prep.input_size, prep.align_corners);
    x = tf.add(tf.mul(x, prep.scale), prep.offset);
    return model.predict(tf.expandDims(x, 0));
  });
  const values = await scores.data();
  scores.dispose();
  if (!running) return;
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  label = window.BENCH.source.labels[best];
  window.probe_callbacks += 1;
  window.probe_label = label;
  nextFrame();
}

function draw() {
  image(video, 0, 0);
  fill(255);
  stroke(0);
  strokeWeight(4);
  textSize(32);
  text(label, 10, height - 20);
}
