// The check-in desk reads a badge's QR code with the phone's camera: the text it holds goes into the
// desk's text box and the form is sent, as a USB scanner would type it. Without JavaScript or a camera
// the box works as before; the camera controls stay hidden.
//
// Decoding uses the browser's BarcodeDetector where it reads QR codes, and otherwise jsQR from our own
// static files, fetched the first time it is needed (pure JavaScript: no worker, no WebAssembly, so the
// Content-Security-Policy needs nothing more than script-src 'self').
(function () {
  "use strict";
  var box = document.querySelector("[data-camera]");
  if (!box) {
    return;
  }
  var SCAN_EVERY_MS = 250;
  var MAX_WIDTH = 800; // enough for a badge held in front of the camera; smaller frames decode faster

  var detector = null;
  function nativeDetector() {
    if (!detector) {
      detector = !("BarcodeDetector" in window)
        ? Promise.resolve(null)
        : window.BarcodeDetector.getSupportedFormats()
          .then(function (formats) {
            return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
          })
          .catch(function () { return null; });
    }
    return detector;
  }

  var library = null;
  function jsQR() {
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = box.dataset.decoder;
        script.onload = function () { resolve(window.jsQR); };
        script.onerror = function () { library = null; reject(new Error("decoder not loaded")); };
        document.head.appendChild(script);
      });
    }
    return library;
  }

  var canvas = document.createElement("canvas");
  function pixels(source) {
    var width = source.videoWidth || source.naturalWidth || source.width;
    var height = source.videoHeight || source.naturalHeight || source.height;
    var scale = Math.min(1, MAX_WIDTH / width);
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    return context.getImageData(0, 0, canvas.width, canvas.height);
  }

  // The text of the QR code in `source` (an image, a canvas or a playing video), or null.
  function decodeWithLibrary(source) {
    return jsQR().then(function (read) {
      var image = pixels(source);
      var code = read(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    });
  }

  function decode(source) {
    return nativeDetector().then(function (native) {
      if (!native) {
        return decodeWithLibrary(source);
      }
      return native.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    });
  }

  // For the browser tests, which cannot hold a badge in front of a camera.
  window.checkInCamera = { decode: decode, decodeWithLibrary: decodeWithLibrary };

  if (!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
    return;
  }
  var form = document.querySelector(box.dataset.form);
  var input = form.querySelector("[name=query]");
  var start = box.querySelector("[data-camera-start]");
  var stop = box.querySelector("[data-camera-stop]");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-camera-status]");
  var stream = null;
  box.hidden = false;

  function say(message) {
    status.textContent = message || "";
  }

  function close() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = stop.hidden = true;
    start.hidden = false;
  }

  function scan() {
    if (!stream) {
      return;
    }
    var next = function () { window.setTimeout(scan, SCAN_EVERY_MS); };
    if (video.readyState < 2) { // no frame yet
      next();
      return;
    }
    decode(video).then(function (text) {
      if (!text || !stream) {
        next();
        return;
      }
      close();
      say("");
      input.value = text;
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }, function () {
      close();
      say(box.dataset.failed);
    });
  }

  start.addEventListener("click", function () {
    say(box.dataset.starting);
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        video.hidden = stop.hidden = false;
        start.hidden = true;
        stop.focus();
        say(box.dataset.scanning);
        return video.play().then(scan);
      })
      .catch(function () {
        close();
        say(box.dataset.failed);
      });
  });

  stop.addEventListener("click", function () {
    close();
    say("");
    start.focus();
  });
}());
