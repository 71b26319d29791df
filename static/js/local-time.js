// Progressive enhancement: beside a session's time in the conference's zone, show the
// visitor's own time when their browser is in another zone. Without JavaScript the
// conference's time, with its zone named, stays the whole story.
(function () {
  "use strict";
  var visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var elements = document.querySelectorAll("[data-local-time]");
  elements.forEach(function (element) {
    var start = new Date(element.getAttribute("data-start"));
    var end = new Date(element.getAttribute("data-end"));
    if (!visitorZone || visitorZone === element.getAttribute("data-zone") || isNaN(start) || isNaN(end)) {
      return;
    }
    // English as the UN writes dates ("Monday 1 July"), as the page around it does, not as in the US.
    var lang = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang;
    var day = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long" });
    var time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    var zone = new Intl.DateTimeFormat(lang, { timeZoneName: "short" }).formatToParts(start)
      .filter(function (part) { return part.type === "timeZoneName"; })
      .map(function (part) { return part.value; })[0] || visitorZone;
    element.textContent = element.getAttribute("data-label") + " " + day.format(start) + ", " +
      time.format(start) + "–" + time.format(end) + " (" + zone + ")";
    element.hidden = false;
  });
})();
