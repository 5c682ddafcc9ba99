// The export's progress bar on /gegevens-cooperatie/: asks the server every two seconds how far
// the export is, and shows it in the <progress> element and its status text (read out by
// screen readers through role="status"). When the export is finished the page reloads to show
// the download link. Without this script the page's own "Ververs de pagina" link does the same.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".export-progress[data-status-url]");
  Array.prototype.forEach.call(boxes, function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector(".export-progress-text");
    var poll = function () {
      fetch(box.getAttribute("data-status-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (state) {
          bar.value = state.percent;
          bar.textContent = state.percent + "%";
          if (text.textContent !== state.text) { text.textContent = state.text; }
          if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    };
    window.setTimeout(poll, 2000);
  });
})();
