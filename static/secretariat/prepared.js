// Refreshes a long job's progress (a prepared file, a message being sent) every two seconds until it
// is finished. The status region, marked data-progress, is replaced in place (role="status" announces
// it), so focus and scroll stay where they were.
(function () {
  "use strict";
  var region = document.querySelector("[data-progress]");
  if (!region) {
    return;
  }
  function refresh() {
    if (region.dataset.finished === "true") {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-progress]");
        if (fresh) {
          region.innerHTML = fresh.innerHTML;
          region.dataset.finished = fresh.dataset.finished;
        }
        window.setTimeout(refresh, 2000);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  window.setTimeout(refresh, 2000);
}());
