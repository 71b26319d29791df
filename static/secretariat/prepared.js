// Refreshes a prepared file's progress every two seconds until it is ready or failed. The status
// region is replaced in place (role="status" announces it), so focus and scroll stay where they were.
(function () {
  "use strict";
  var region = document.getElementById("prepared-status");
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
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("prepared-status");
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
