// Footfall tracker: cookieless page-view beacons. Never throws into the host page.
// Beacon keys are documented in README "Beacon format".
(function (w, d) {
  try {
    var script = d.currentScript;
    if (!script) return;
    var site = script.getAttribute('data-site');
    var endpoint = (script.getAttribute('data-api') || new URL(script.src).origin) + '/e';
    if (!site) return;

    var rand = function () {
      return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
    };
    var send = function (type, extra) {
      var loc = w.location;
      var event = {
        s: site, t: type, id: rand(), u: loc.href, p: pageLoad,
        sw: w.screen.width, sh: w.screen.height, vw: w.innerWidth, vh: w.innerHeight,
        l: navigator.language, tz: Intl.DateTimeFormat().resolvedOptions().timeZone
      };
      for (var k in extra) event[k] = extra[k];
      var body = JSON.stringify(event);
      if (!(navigator.sendBeacon && navigator.sendBeacon(endpoint, body))) {
        fetch(endpoint, { method: 'POST', body: body, keepalive: true, headers: { 'Content-Type': 'text/plain' } })
          .catch(function () {});
      }
    };

    var pageLoad = rand();
    send('pageview', { r: d.referrer });
  } catch (e) {
    // A tracker must never break the page it is on.
  }
})(window, document);
