// The desk without this script works in full: it only adds live progress, chapter links that
// move the player on the page, and dropping files anywhere on the file box.
"use strict";
(function () {
  // Progress: ask for the render's status and show it; when every handout is done, show them.
  var statusUrl = document.body.getAttribute("data-status");
  if (statusUrl) {
    var bar = document.getElementById("progress-bar");
    var text = document.getElementById("progress-text");
    var seen = bar ? bar.value : 0;
    var ask = function () {
      fetch(statusUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { return; }
          if (bar) { bar.value = status.finished; }
          if (status.done || status.finished !== seen) {
            window.location.reload();
            return;
          }
          if (text) { text.textContent = status.finished + " of " + status.total + " done: the page shows each one as it is ready."; }
          window.setTimeout(ask, 1500);
        })
        .catch(function () { window.setTimeout(ask, 3000); });
    };
    window.setTimeout(ask, 1000);
  }
  // Chapters: a link opens the audio at the chapter; with the player on the page, it jumps there.
  document.querySelectorAll("a[data-player]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var player = document.getElementById(link.getAttribute("data-player"));
      if (!player) { return; }
      event.preventDefault();
      player.currentTime = parseFloat(link.getAttribute("data-start")) || 0;
      player.play();
      player.focus();
    });
  });
  // Files dropped anywhere on the file box go to its file input.
  document.querySelectorAll("fieldset.drop").forEach(function (box) {
    var input = box.querySelector("input[type=file]");
    box.addEventListener("dragover", function (event) { event.preventDefault(); });
    box.addEventListener("drop", function (event) {
      event.preventDefault();
      if (input && event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
      }
    });
  });
  // A page that no longer needs its "check again" link without the script.
  document.querySelectorAll(".no-script").forEach(function (node) { node.hidden = true; });
})();
