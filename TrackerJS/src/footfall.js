// Footfall tracker. Beacon keys: README "Beacon format"; behaviour and site settings:
// README "Tracker" and "Live tracker configuration". Budget: 1,500 bytes gzipped.
// Every entry point is wrapped in `safe` so nothing can ever throw into the host page;
// so is the whole setup, which may therefore assume the objects it reads exist
// (no `?.` where a throw would stop only what was about to do nothing anyway).
((safe) => safe((w, d, nav, hist) => {
  // Interaction keeps a page "engaged" for this long; after that, time stops counting
  // until the next scroll, key, click or pointer move.
  var IDLE_MS = 30000;
  var script = d.currentScript;
  var site = script.dataset.site;
  if (!site) return;
  var api = new URL(script.src).origin;
  var loc = w.location;
  var rand = () => Math.random().toString(36).slice(2);
  // Calls made before the tracker started (queue stub, README; config not yet loaded;
  // page still prerendering) wait here; null once replayed. On a page that is not
  // tracked (opted out, sampled out, unknown site) they stay here, never sent.
  var pending = w.footfall?.q || [];
  var config, firstParty, skipped, pageLoad, pageURL, path;
  var engaged, runStart, idleAt, scroll, sentEngagement, geoAsked;

  // Browsers send URLs of several KB and the server refuses bodies over 8 KB, so an
  // over-long URL is shortened here as the server would (URLShortening.swift): origin,
  // path and the marketing parameters attribution reads (utm_*, ref, click ids), cut at
  // 2,048 characters (location and link URLs are ASCII: percent-encoded).
  var cut = (url) => url[2048] ? url.replace(/#.*/, '').replace(/\?.*/, (query) => query
    .replace('?', '&').replace(/&(?!utm_|ref=|\w*(clk?id|braid|fat_id)=)[^&]*/g, '').replace('&', '?')).slice(0, 2048) : url;

  // sendBeacon exists in every browser that can parse this script (it needs `?.`); where
  // a visitor disabled it, the call throws into `safe` and nothing is sent.
  var send = (type, extra) => {
    if (skipped) return;
    nav.sendBeacon(api + '/e', JSON.stringify({
      // Event ids start with the time (base 36 ms), so the server's index of them grows
      // at its end instead of at a random page per beacon.
      s: site, t: type, id: Date.now().toString(36) + rand(), u: pageURL, p: pageLoad,
      sw: screen.width, sh: screen.height, vw: innerWidth, vh: innerHeight,
      l: nav.language, tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
      // `fp` is left out of the JSON when undefined; `wd` is false outside automation.
      fp: firstParty, wd: nav.webdriver, ...extra
    }));
  };

  // Engaged time: runs from the last interaction (or becoming visible) until `idleAt`
  // (IDLE_MS later), never while the page is hidden. `tick` settles the running stretch.
  var tick = (active) => {
    var t = Date.now();
    if (runStart) engaged += Math.min(t, idleAt) - runStart;
    runStart = 0;
    if (d.hidden) return;
    if (active) idleAt = t + IDLE_MS;
    if (t < idleAt) runStart = t;
  };
  // Percent of the page seen; a page without height (Infinity) counts as fully seen.
  var measureScroll = () => {
    scroll = Math.max(scroll, Math.min(100, Math.round((scrollY + innerHeight) * 100 / d.documentElement.scrollHeight)));
  };
  // Sends the page's engagement once per leave; a later leave (tab hidden, shown
  // again, then closed) sends the grown total, of which the server keeps the maximum.
  var leave = () => {
    tick();
    // Left: stop counting until the visitor is back (pagehide may come before hidden).
    runStart = 0;
    // Scrolling is interaction, so unchanged engaged time means nothing new to report.
    if (engaged != sentEngagement) {
      sentEngagement = engaged;
      send('engagement', { e: engaged, sc: scroll });
    }
  };

  // The page identity: the path, plus the hash for hash-routed sites.
  var pagePath = () => loc.pathname + (config.h ? loc.hash : '');
  var view = (referrer, spa) => {
    path = pagePath();
    pageLoad = rand();
    pageURL = cut(loc.href);
    engaged = scroll = 0;
    sentEngagement = -1;
    tick(1);
    measureScroll();
    // `x`: the excluded-path patterns, compiled by the server into one expression.
    skipped = config.x && RegExp(config.x).test(path);
    send('pageview', { r: cut(referrer), spa });
  };
  // SPA navigation: a new page view only when the page identity changed, so
  // replaceState with the same path, repeated pushState or scroll-hash changes never
  // double count.
  var navigated = safe(() => {
    if (pagePath() == path) return;
    leave();
    view(pageURL, true);
  });

  var run = (args) => {
    var command = args[0];
    if (command == 'event' && args[1]) send('custom', { n: '' + args[1], pr: args[2] });
    if (command == 'consent' && args[1].geo && !geoAsked) {
      // Location is read only here, after the visitor consented through the site's UI;
      // rounded to 0.01° (about 1 km): enough for country and city, not an address.
      geoAsked = 1;
      nav.geolocation.getCurrentPosition(safe((position) => {
        var c = position.coords;
        send('geo', { lat: +c.latitude.toFixed(2), lon: +c.longitude.toFixed(2), acc: c.accuracy });
      }));
    }
  };
  w.footfall = safe((...args) => {
    pending ? pending.push(args) : run(args);
  });

  var onClick = (event) => {
    var target = event.target;
    var tagged = target.closest('[data-footfall-event]');
    if (tagged) {
      var props = {};
      for (var attr of tagged.attributes) {
        if (!attr.name.indexOf('data-footfall-prop-')) props[attr.name.slice(19)] = attr.value;
      }
      send('custom', { n: tagged.dataset.footfallEvent, pr: props });
    }
    var link = target.closest('a[href]');
    if (link && /^http/.test(link.protocol)) {
      // `d`: the download extensions, compiled by the server into one expression.
      var kind = link.host != loc.host ? 'outbound' : RegExp(config.d, 'i').test(link.pathname) ? 'download' : '';
      if (kind) send('click', { ct: cut(kind + ':' + link.href) });
    }
  };

  // Capturing, so a page's stopPropagation cannot hide clicks or scrolls from the tracker.
  var on = (target, type, listener) => target.addEventListener(type, safe(listener), true);
  var start = () => {
    // Opt-outs: file:// and local hosts (unless the site allows them; file:// pages have
    // an empty host name), Do-Not-Track / Global Privacy Control (when the site honours
    // them), sampling, excluded paths.
    if ((/^(localhost|127\.0\.0\.1|\[::1]|)$/.test(loc.hostname) && !config.lh) ||
        ((nav.globalPrivacyControl || nav.doNotTrack == 1) && config.dnt)) return;
    // Sampling keeps or skips whole tab sessions, so sampled visits stay complete.
    var roll = Math.random();
    try {
      roll = sessionStorage.ff_r = sessionStorage.ff_r || roll;
    } catch { /* storage blocked: sample this page alone */ }
    if (roll * 100 >= config.sr) return;
    try {
      if (config.fp) firstParty = localStorage.ff_id = localStorage.ff_id || rand();
    } catch { /* storage blocked: stay cookieless */ }

    view(d.referrer);

    ['pushState', 'replaceState'].forEach((method) => {
      var original = hist[method];
      hist[method] = function () {
        original.apply(this, arguments);
        navigated();
      };
    });
    on(w, 'popstate', navigated);
    // Without hash_routing the hash is not part of the page, so this changes nothing.
    on(w, 'hashchange', navigated);
    on(d, 'click', onClick);
    on(d, 'auxclick', onClick);
    // Interaction keeps the page engaged; hiding it is a leave (visibilitychange bubbles to window).
    ['scroll', 'keydown', 'pointerdown', 'pointermove', 'visibilitychange'].forEach((type) => on(w, type, () => {
      measureScroll();
      d.hidden ? leave() : tick(1);
    }));
    on(w, 'pagehide', leave);
    // Back/forward-cache restore: the page is shown again without loading, so it is a
    // new page view (new page load id); engaged time from here belongs to it.
    on(w, 'pageshow', (event) => event.persisted && view(d.referrer));
    pending.forEach(safe(run));
    pending = null;
  };

  // The site's live config (README "Live tracker configuration"); without it nothing is
  // sent. A prerendered page (speculation rules) may never be seen: it starts, sending
  // its view and the calls queued meanwhile, only when the visitor navigates to it.
  fetch(api + '/c/' + site + '.json')
    .then((response) => response.ok && response.json())
    .then((loaded) => (config = loaded) && (d.prerendering ? on(d, 'prerenderingchange', start) : start()))
    .catch(() => {});
})(window, document, navigator, history))((fn) => (...args) => {
  try { fn(...args); } catch { /* never break the host page */ }
});
