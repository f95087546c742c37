// ml5py page helpers: mirror the sketch's print() output onto the page and show any error
// in a box a learner cannot miss. Loaded before TensorFlow.js and the sketch.
(function () {
  "use strict";
  var lines = [];

  function describe(error) {
    if (error === undefined || error === null) return "Unknown error";
    if (error.__class__ && error.__args__) {  // a Python exception compiled by Transcrypt
      return error.__class__.__name__ + ": " + (error.__args__.length ? String(error.__args__[0]) : "");
    }
    if (error instanceof Error) return error.name + ": " + error.message;
    return String(error);
  }

  function text(args) {
    return Array.prototype.map.call(args, function (value) {
      return typeof value === "string" ? value : (value && value.__class__ ? String(value) : JSON.stringify(value));
    }).join(" ");
  }

  function append(line) {
    lines.push(line);
    var output = document.getElementById("ml5py-output");
    if (output) output.textContent += line + "\n";
  }

  function showError(error) {
    var message = describe(error);
    var box = document.getElementById("ml5py-error");
    if (box) {
      box.hidden = false;
      box.textContent = (box.textContent ? box.textContent + "\n\n" : "") + message;
    }
    originalError.call(console, "ml5py: " + message);
  }

  var originalLog = console.log;
  var originalError = console.error;
  console.log = function () {
    append(text(arguments));
    return originalLog.apply(console, arguments);
  };

  window.addEventListener("error", function (event) { showError(event.error || event.message); });
  window.addEventListener("unhandledrejection", function (event) { showError(event.reason); });

  window.ml5py = { lines: lines, showError: showError, describe: describe };
})();
