// ml5py page helpers, loaded before TensorFlow.js and the sketch:
// - mirror the sketch's print() output onto the page (and keep it in the console);
// - show any error in a box a learner cannot miss, pointing at the sketch's Python file and
//   line: the JavaScript stack is mapped back through Transcrypt's source maps (app/*.map);
// - when served by `ml5py serve`, reload the page after the sketch is rebuilt (ml5py.live,
//   started only by the dev server; a static site never polls anything);
// - start downloading the weights of the models the sketch names, before TensorFlow.js runs.
(function () {
  "use strict";
  var lines = [];
  var shown = [];      // error texts on the page, in order
  if (Error.stackTraceLimit < 60) Error.stackTraceLimit = 60;  // reach the sketch's frame

  // ------------------------------------------------------------ source maps (version 3)
  var BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  function decodeVlq(text) {
    // one segment ("AACA") -> its numbers; each base64 digit holds 5 bits and a continue bit
    var values = [], value = 0, shift = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = BASE64.indexOf(text.charAt(i));
      if (digit < 0) throw new Error("bad source map character " + text.charAt(i));
      value += (digit & 31) * Math.pow(2, shift);
      if (digit & 32) { shift += 5; continue; }
      values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
      value = 0; shift = 0;
    }
    return values;
  }

  function decodeMappings(mappings) {
    // -> one array per generated line of [column, source, sourceLine, sourceColumn] (0-based)
    var result = [], source = 0, sourceLine = 0, sourceColumn = 0;
    var rows = mappings.split(";");
    for (var row = 0; row < rows.length; row++) {
      var segments = [], column = 0;
      var parts = rows[row] ? rows[row].split(",") : [];
      for (var p = 0; p < parts.length; p++) {
        var v = decodeVlq(parts[p]);
        column += v[0];
        if (v.length >= 4) {
          source += v[1]; sourceLine += v[2]; sourceColumn += v[3];
          segments.push([column, source, sourceLine, sourceColumn]);
        }
      }
      result.push(segments);
    }
    return result;
  }

  function lookup(map, line, column) {
    // 1-based JS line and column -> {source, line (1-based)} or null
    var segments = map.lines[line - 1];
    if (!segments || !segments.length) return null;
    var best = segments[0];
    for (var i = 1; i < segments.length; i++) {
      if (segments[i][0] <= column - 1) best = segments[i];
    }
    return { source: map.sources[best[1]], line: best[2] + 1 };
  }

  var mapCache = {}, textCache = {};

  function fetchText(url) {
    if (!(url in textCache)) {
      textCache[url] = fetch(url, { cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .catch(function () { return null; });
    }
    return textCache[url];
  }

  function loadMap(jsUrl) {
    var mapUrl = jsUrl.replace(/\.js$/, ".map");
    if (!(mapUrl in mapCache)) {
      mapCache[mapUrl] = fetchText(mapUrl).then(function (text) {
        if (!text) return null;
        var raw = JSON.parse(text);
        return { url: mapUrl, sources: raw.sources || [], lines: decodeMappings(raw.mappings || "") };
      }).catch(function () { return null; });
    }
    return mapCache[mapUrl];
  }

  // ------------------------------------------------------------ stack frames
  var FRAME = /(https?:\/\/[^\s()]*?\/app\/([^\/\s()?#]+)\.js)(?:\?[^\s():]*)?:(\d+):(\d+)/;

  function frames(stack) {
    var result = [];
    String(stack || "").split("\n").forEach(function (text) {
      var match = FRAME.exec(text);
      if (match) {
        result.push({ url: match[1], module: match[2], line: +match[3], column: +match[4] });
      }
    });
    return result;
  }

  function isLibrary(module) {
    return module === "ml5py" || module.indexOf("ml5py.") === 0 || module.indexOf("org.transcrypt.") === 0;
  }

  function sketchModule() {
    // the sketch's module name, as ml5py build names it (app/<module>.js)
    var stem = ((window.ML5PY_CONFIG || {}).sketch || "").replace(/\.py$/, "");
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(stem) ? stem : "sketch";
  }

  function sketchName(module, source) {
    var name = (window.ML5PY_CONFIG || {}).sketch || "";
    if (name && module === sketchModule()) return name;
    return source || module + ".py";
  }

  function guessFromLiterals(message) {
    // An error reported later (a file that did not load) has no sketch frame; but it quotes
    // what the sketch wrote ('no_such_photo.png'): the one sketch line with that string.
    var url = new URL("app/" + sketchModule() + ".py", document.baseURI).href;
    return fetchText(url).then(function (source) {
      if (!source) return null;
      var found = [];
      source.split("\n").forEach(function (line, index) {
        if (/^\s*#/.test(line)) return;
        var literal = /(["'])([^"'\\]{4,}?)\1/g, match;
        while ((match = literal.exec(line))) {
          if (message.indexOf(match[2]) >= 0) {
            found.push({ file: sketchName(sketchModule()), line: index + 1, text: line.trim(), library: false });
            return;
          }
        }
      });
      return found.length === 1 ? found[0] : null;
    }).catch(function () { return null; });
  }

  function locateFrame(frame) {
    // a stack frame -> {file, line, text, library} (the Python line), or null
    return loadMap(frame.url).then(function (map) {
      var place = map && lookup(map, frame.line, frame.column);
      if (!place) return null;
      var library = isLibrary(frame.module);
      var file = library ? place.source.replace(/\.py$/, "").split(".").join("/") + ".py"
                         : sketchName(frame.module, place.source);
      var sourceUrl = map.url.replace(/[^\/]*$/, "") + place.source;
      return fetchText(sourceUrl).then(function (source) {
        var text = source ? (source.split("\n")[place.line - 1] || "").trim() : "";
        return { file: file, line: place.line, text: text, library: library };
      });
    });
  }

  function stacksOf(error) {
    var stacks = [];
    if (error && typeof error === "object") {
      if (error.stack) stacks.push(String(error.stack));
      if (error.ml5py_call_site) stacks.push(String(error.ml5py_call_site));  // set by the library
    }
    return stacks;
  }

  function locate(error) {
    // the Python place for an error: the sketch's first frame, else the library's, else null
    var all = [];
    stacksOf(error).forEach(function (stack) { all = all.concat(frames(stack)); });
    var own = all.filter(function (f) { return !isLibrary(f.module); });
    var library = all.filter(function (f) { return isLibrary(f.module) && f.module.indexOf("org.") !== 0; });
    var candidates = own.length ? [own[0]] : library.slice(0, 1);
    if (!candidates.length) return Promise.resolve(null);
    return locateFrame(candidates[0]).catch(function () { return null; });
  }

  // ------------------------------------------------------------ messages
  function describe(error) {
    if (error === undefined || error === null) return "Unknown error";
    if (error.__class__ && error.__args__) {  // a Python exception compiled by Transcrypt
      return error.__class__.__name__ + ": " + (error.__args__.length ? String(error.__args__[0]) : "");
    }
    if (error instanceof Error) {
      var missing = /^(\S+) is not defined$/.exec(error.message);
      if (error.name === "ReferenceError" && missing) {
        return "NameError: name '" + missing[1] + "' is not defined";
      }
      var none = /^Cannot (?:read|set) properties of (null|undefined) \((?:reading|setting) '([^']*)'\)$/.exec(error.message);
      if (error.name === "TypeError" && none) {
        return "AttributeError: " + (none[1] === "null" ? "None" : "an undefined value") +
               " has no attribute '" + none[2] + "'";
      }
      return error.name + ": " + error.message;
    }
    return String(error);
  }

  function explain(error) {
    // a promise of the text to show: "sketch.py, line 7: ValueError: ...\n    the line"
    var message = describe(error);
    return locate(error).then(function (place) {
      if (place && !place.library) return place;
      return guessFromLiterals(message).then(function (guess) { return guess || place; });
    }).then(function (place) {
      if (!place) return message;
      var text = place.text ? "\n    " + place.text : "";
      if (place.library) return message + "\n(raised in " + place.file + ", line " + place.line + ")";
      return place.file + ", line " + place.line + ": " + message + text;
    }, function () { return message; });
  }

  // ------------------------------------------------------------ the page
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

  function display(message) {
    if (shown.indexOf(message) >= 0) return;  // the same error again (say, every frame)
    shown.push(message);
    var box = document.getElementById("ml5py-error");
    if (box) {
      box.hidden = false;
      box.textContent = shown.join("\n\n");
    }
    originalError.call(console, "ml5py: " + message);
  }

  var queue = Promise.resolve();

  function showError(error) {
    // errors appear in the order they happened, each once its Python line is found
    queue = queue.then(function () {
      var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(describe(error)); }, 10000); });
      return Promise.race([explain(error), timeout]).then(display);
    }).catch(function (problem) { display(describe(error) + " (" + problem + ")"); });
    return queue;
  }

  function callSite() {
    // a stack for library code to keep with an error it will report later (asynchronously)
    return new Error().stack;
  }

  var originalLog = console.log;
  var originalError = console.error;
  console.log = function () {
    append(text(arguments));
    return originalLog.apply(console, arguments);
  };

  window.addEventListener("error", function (event) {
    showError(event.error !== undefined && event.error !== null ? event.error : event.message);
  });
  window.addEventListener("unhandledrejection", function (event) { showError(event.reason); });

  // ------------------------------------------------------------ live reload (ml5py serve)
  var buildErrorShown = null;

  function showBuildError(message) {
    var text = "ml5py could not build the sketch:\n" + message +
               "\n\nFix it and save: this page reloads by itself.";
    if (buildErrorShown === text) return;
    if (buildErrorShown !== null && shown.indexOf(buildErrorShown) >= 0) {
      shown.splice(shown.indexOf(buildErrorShown), 1);  // a newer build error replaces it
    }
    buildErrorShown = text;
    display(text);
  }

  function live(options) {
    // ask the dev server for the next build (it answers as soon as there is one: a long
    // poll); reload when a new build is there, show a failed build's error
    var url = options.url || "__ml5py__/version";
    var loaded = options.version, seen = null;  // the first answer comes at once (an error to show?)
    function poll() {
      fetch(seen === null ? url : url + "?after=" + seen, { cache: "no-store" }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (state) {
        if (state && state.error) {
          showBuildError(state.error);
        } else if (state && state.version !== loaded) {
          location.reload();
          return;
        }
        if (state) seen = state.version;
        setTimeout(poll, state ? 0 : 1000);
      }, function () { setTimeout(poll, 1000); });  // the server is restarting or stopped
    }
    poll();
  }

  // ------------------------------------------------------------ cross-origin isolation
  // Threaded wasm needs an isolated page (COOP/COEP). ml5py serve sends the headers; on a
  // static host that does not, the built site's service worker adds them to its own files,
  // and the page reloads once when the worker takes over. Hosts that send them: nothing to do.
  function reloadOnce() {
    try {
      if (sessionStorage.getItem("ml5py-isolation-reload")) return;
      sessionStorage.setItem("ml5py-isolation-reload", "1");
    } catch (error) { return; }  // no storage: never risk a reload loop
    location.reload();
  }

  function isolate() {
    var config = window.ML5PY_CONFIG || {};
    if (!config.isolation_worker || window.crossOriginIsolated || !window.isSecureContext ||
        !navigator.serviceWorker) return;
    navigator.serviceWorker.addEventListener("controllerchange", reloadOnce);
    navigator.serviceWorker.register(config.isolation_worker).then(function () {
      // already controlled yet not isolated: this load bypassed the worker (a hard reload)
      if (navigator.serviceWorker.controller) reloadOnce();
    }, function (error) {
      console.warn("ml5py: the page stays on one core (the isolation service worker did not start: " +
                   error + ")");
    });
  }
  isolate();

  // ------------------------------------------------------------ weights, from the start
  // The build lists the weight files of the models the sketch names (config.early_weights):
  // each is looked up in the Cache API, else downloaded, while TensorFlow.js starts. The
  // library takes each one over (takeWeights) and checks and caches it as any download.
  // A browser opens its Cache API storage slowly the first time (14-22 ms traced on a new
  // profile here, about 150 ms under load), so the page looks there only once the library has kept a file in it (it then
  // says so in localStorage, core/loading_browser.py's _keep); before that it downloads at once.
  var early = {};

  function mayHoldWeights(cache) {
    if (!window.caches) return false;
    try { return localStorage.getItem("ml5py-kept:" + cache) !== null; }
    catch (error) { return true; }  // (no storage to ask: look in the cache, as before)
  }

  function startWeights() {
    var config = window.ML5PY_CONFIG || {};
    var wanted = config.early_weights || {};
    var worker = new URLSearchParams(location.search).get("worker");
    if (!wanted.files || !wanted.files.length || !window.fetch ||
        (worker !== null ? worker === "1" : config.worker)) return;  // a model worker fetches its own
    var opened = mayHoldWeights(wanted.cache) ? caches.open(wanted.cache).catch(function () { return null; })
                                              : Promise.resolve(null);
    wanted.files.forEach(function (url) {
      early[url] = opened.then(function (cache) { return cache ? cache.match(url) : null; })
        .then(function (hit) {
          if (hit) return { response: hit, cached: true };
          return fetch(url).then(function (response) { return { response: response, cached: false }; });
        });
      early[url].catch(function () {});  // (a failed one is fetched again, and explained, by the library)
    });
    startWasm(config);
  }

  function startWasm(config) {
    // The wasm backend's binary, from the start too, when the page will likely run on wasm: it
    // is asked for, or nothing is and the build put the wasm backend in <head> (its bet,
    // tooling/page_scripts.py). The file is the one TF.js picks: threaded when the page is
    // cross-origin isolated. TF.js's own fetch of it is then answered by this download.
    var asked = new URLSearchParams(location.search).get("backend") || config.backend;
    var wasm = (config.tf_backends || {}).wasm;  // the wasm backend's script (config_facts)
    if (asked ? asked !== "wasm" : (config.tf_scripts || []).indexOf(wasm) < 0) return;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = "fetch";
    link.crossOrigin = "anonymous";  // (the same request as TF.js's fetch: same-origin credentials)
    link.href = (config.lib_url || "lib/") + (window.crossOriginIsolated ? "tfjs-backend-wasm-threaded-simd.wasm"
                                                                          : "tfjs-backend-wasm-simd.wasm");
    document.head.appendChild(link);
  }
  startWeights();

  function takeWeights(url) {
    // a promise of {response, cached} for a file fetched from the start, once; else null
    var got = early[url] || null;
    delete early[url];
    return got;
  }

  window.ml5py = {
    lines: lines, errors: shown, showError: showError, describe: describe, explain: explain,
    callSite: callSite, live: live, takeWeights: takeWeights,
    sourceMaps: { decodeVlq: decodeVlq, decodeMappings: decodeMappings, lookup: lookup }
  };
})();
