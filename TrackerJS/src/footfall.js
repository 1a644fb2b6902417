// Footfall tracker. Beacon keys: README "Beacon format"; behaviour and site settings:
// README "Tracker" and "Live tracker configuration". Budget: 1,500 bytes gzipped.
// Every entry point is wrapped in `safe` so nothing can ever throw into the host page.
(function (w, d, nav, hist) {
  // Interaction keeps a page "engaged" for this long; after that, time stops counting
  // until the next scroll, key, click or pointer move.
  var IDLE_MS = 30000;
  var safe = (fn) => (...args) => {
    try { fn(...args); } catch { /* never break the host page */ }
  };

  safe(() => {
    var script = d.currentScript;
    var site = script?.dataset.site;
    if (!site) return;
    var api = new URL(script.src).origin;
    var loc = w.location;
    var rand = () => Math.random().toString(36).slice(2);
    // Calls made before the script loaded (queue stub, README) or before the site
    // config arrived wait here; null once they have been replayed.
    var pending = w.footfall?.q || [];
    var config, firstParty, tracking, skipped, pageLoad, pageURL, path;
    var engaged, runStart, lastActive, scroll, sentEngagement, geoAsked;

    var send = (type, extra) => {
      if (skipped) return;
      var body = JSON.stringify({
        s: site, t: type, id: rand(), u: pageURL, p: pageLoad,
        sw: screen.width, sh: screen.height, vw: innerWidth, vh: innerHeight,
        l: nav.language, tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
        // `fp` is left out of the JSON when undefined; `wd` is false outside automation.
        fp: firstParty, wd: nav.webdriver, ...extra
      });
      if (!nav.sendBeacon?.(api + '/e', body)) {
        // A string body goes out as text/plain: no CORS preflight, like sendBeacon.
        fetch(api + '/e', { method: 'POST', body: body, keepalive: true }).catch(() => {});
      }
    };

    // Engaged time: runs from the last interaction (or becoming visible) for at most
    // IDLE_MS, never while the page is hidden. `tick` settles the running stretch.
    var tick = (active) => {
      var t = Date.now();
      if (runStart) engaged += Math.min(t, lastActive + IDLE_MS) - runStart;
      runStart = 0;
      if (d.hidden) return;
      if (active) lastActive = t;
      if (t < lastActive + IDLE_MS) runStart = t;
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
      pageURL = loc.href;
      engaged = scroll = 0;
      sentEngagement = -1;
      tick(true);
      measureScroll();
      // `x`: the excluded-path patterns, compiled by the server into one expression.
      skipped = config.x && new RegExp(config.x).test(path);
      send('pageview', { r: referrer, spa });
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
      if (command == 'consent' && args[1]?.geo && !geoAsked) {
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
      if (pending) pending.push(args);
      else if (tracking) run(args);
    });

    var onClick = (event) => {
      var target = event.target;
      var tagged = target.closest?.('[data-footfall-event]');
      if (tagged) {
        var props = {};
        for (var attr of tagged.attributes) {
          if (!attr.name.indexOf('data-footfall-prop-')) props[attr.name.slice(19)] = attr.value;
        }
        send('custom', { n: tagged.dataset.footfallEvent, pr: props });
      }
      var link = target.closest?.('a[href]');
      if (link && /^http/.test(link.protocol)) {
        // `d`: the download extensions, compiled by the server into one expression.
        var kind = link.host != loc.host ? 'outbound' : new RegExp(config.d, 'i').test(link.pathname) ? 'download' : '';
        if (kind) send('click', { ct: kind + ':' + link.href });
      }
    };

    // Capturing, so a page's stopPropagation cannot hide clicks or scrolls from the tracker.
    var on = (target, type, listener) => target.addEventListener(type, safe(listener), true);
    var start = () => {
      // Opt-outs: file:// and local hosts (unless the site allows them), Do-Not-Track /
      // Global Privacy Control (when the site honours them), sampling, excluded paths.
      // file:// pages have an empty host name.
      var local = /^(localhost|127\.0\.0\.1|\[::1]|)$/.test(loc.hostname);
      var optedOut = nav.globalPrivacyControl || nav.doNotTrack == 1;
      if ((local && !config.lh) || (optedOut && config.dnt)) return;
      // Sampling keeps or skips whole tab sessions, so sampled visits stay complete.
      var roll = Math.random();
      try {
        roll = sessionStorage.ff_r = +sessionStorage.ff_r || roll;
      } catch { /* storage blocked: sample this page alone */ }
      if (roll * 100 >= config.sr) return;
      try {
        if (config.fp) firstParty = localStorage.ff_id = localStorage.ff_id || rand();
      } catch { /* storage blocked: stay cookieless */ }

      tracking = true;
      // A prerendered page (speculation rules) may never be seen: its view is sent only
      // when the visitor actually navigates to it.
      if (d.prerendering) on(d, 'prerenderingchange', () => view(d.referrer));
      else view(d.referrer);

      ['pushState', 'replaceState'].forEach((method) => {
        var original = hist[method];
        hist[method] = function (...args) {
          var result = original.apply(this, args);
          navigated();
          return result;
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
        d.hidden ? leave() : tick(true);
      }));
      on(w, 'pagehide', leave);
      // Back/forward-cache restore: the page is shown again without loading, so it is a
      // new page view (new page load id); engaged time from here belongs to it.
      on(w, 'pageshow', (event) => event.persisted && view(d.referrer));
    };

    // The site's live config (README "Live tracker configuration"); without it nothing is sent.
    fetch(api + '/c/' + site + '.json')
      .then((response) => response.ok && response.json())
      .then(safe((loaded) => loaded && start(config = loaded)))
      .catch(() => {})
      .then(() => {
        if (tracking) pending.forEach(safe(run));
        pending = null;
      });
  })();
})(window, document, navigator, history);
