// A fake browser for the tracker (node:vm): location and history, listeners, visibility,
// scrolling, storage, a controllable clock, sendBeacon / fetch capture and the config
// endpoint. Tests drive it like a visitor would and read the beacons it recorded.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'footfall.js'), 'utf8');

/** The config a site with default settings gets from `GET /c/SITE.json`. */
const defaultConfig = { x: '', h: false, d: '\\.(pdf|zip|csv)$', dnt: true, sr: 100, fp: false, lh: false };

function memoryStorage(initial = {}) {
  const storage = { ...initial };
  Object.defineProperty(storage, 'removeItem', { value: (key) => { delete storage[key]; } });
  return storage;
}

function loadTracker({
  site = 's_test', href = 'https://example.com/pricing?utm_source=x', referrer = 'https://www.google.com/',
  config = {}, configStatus = 200, sendBeacon = true, webdriver = false, doNotTrack, globalPrivacyControl,
  queue = [], hidden = false, prerendering = false, scrollHeight = 1000, storage = {}, localStore = memoryStorage(),
  storageBlocked = false, position = { coords: { latitude: 52.52437, longitude: 13.41053, accuracy: 35 } },
} = {}) {
  const beacons = [];
  const requests = [];
  const listeners = { window: {}, document: {} };
  const geoRequests = [];
  let clock = 1_700_000_000_000;
  // One object, changed in place like a browser's window.location.
  const location = new URL(href);
  const go = (url) => {
    const next = new URL(url, location.href);
    // Browsers refuse cross-origin history entries with a SecurityError.
    if (next.origin !== location.origin) throw new Error('SecurityError: cross-origin history entry');
    location.href = next.href;
  };

  const script = {
    src: 'https://footfall.example.net/t.js',
    getAttribute: (name) => (name === 'data-site' ? site : null),
    dataset: site ? { site } : {},
  };
  const navigator = {
    language: 'en-GB', webdriver, doNotTrack, globalPrivacyControl,
    geolocation: { getCurrentPosition: (success) => { geoRequests.push(1); success(position); } },
  };
  if (sendBeacon) {
    navigator.sendBeacon = (url, body) => { beacons.push({ url, body: JSON.parse(body), via: 'beacon' }); return true; };
  }
  const document = {
    currentScript: script, referrer, hidden, prerendering,
    documentElement: { get scrollHeight() { return scrollHeight; } },
    addEventListener: (type, fn) => (listeners.document[type] ||= []).push(fn),
  };
  const history = {
    pushState: (state, title, url) => go(url),
    replaceState: (state, title, url) => go(url),
  };
  const context = {
    document, navigator, history, URL, URLSearchParams, Intl, JSON, Math, RegExp,
    Date: { now: () => clock },
    screen: { width: 1920, height: 1080 }, innerWidth: 1280, innerHeight: 720, scrollY: 0,
    location,
    addEventListener: (type, fn) => (listeners.window[type] ||= []).push(fn),
    fetch: (url, init) => {
      requests.push(url);
      if (url.endsWith('.json')) {
        const body = { ...defaultConfig, ...config };
        return Promise.resolve({ ok: configStatus === 200, json: () => Promise.resolve(body) });
      }
      beacons.push({ url, body: JSON.parse(init.body), via: 'fetch', init });
      return Promise.resolve({ ok: true });
    },
  };
  context.window = context;
  if (queue.length) context.footfall = { q: queue.map((args) => ({ ...args, length: args.length })) };
  for (const name of ['sessionStorage', 'localStorage']) {
    const value = name === 'localStorage' ? localStore : memoryStorage(storage);
    Object.defineProperty(context, name, {
      get() { if (storageBlocked) throw new Error('SecurityError: storage is blocked'); return value; },
    });
  }
  vm.createContext(context);
  vm.runInContext(source, context);

  const fire = (target, type, event = {}) => {
    for (const fn of listeners[target][type] || []) fn(event);
  };
  return {
    beacons, requests, geoRequests, context,
    /** Lets the config fetch and queued promise callbacks run. */
    settle: () => new Promise((resolve) => setImmediate(resolve)),
    advance: (ms) => { clock += ms; },
    fire,
    // visibilitychange bubbles from the document to the window, as in browsers.
    hide: () => { document.hidden = true; fire('document', 'visibilitychange'); fire('window', 'visibilitychange'); },
    show: () => { document.hidden = false; fire('document', 'visibilitychange'); fire('window', 'visibilitychange'); },
    /** The visitor navigates to a prerendered page: it becomes the active page. */
    activate: () => { document.prerendering = false; fire('document', 'prerenderingchange'); },
    scrollTo: (y) => { context.scrollY = y; fire('window', 'scroll'); },
    setScrollHeight: (height) => { scrollHeight = height; },
    /** The page's own call, as it would make it (through whatever `window.footfall` is now). */
    call: (...args) => context.footfall(...args),
    pushState: (url) => context.history.pushState({}, '', url),
    replaceState: (url) => context.history.replaceState({}, '', url),
    back: (url) => { go(url); fire('window', 'popstate'); },
    setHash: (hash) => { go(hash); fire('window', 'hashchange'); },
    click: (target) => fire('document', 'click', { target }),
    ofType: (type) => beacons.filter((beacon) => beacon.body.t === type).map((beacon) => beacon.body),
  };
}

/** A fake `<a href>` element (resolved against the page) inside an optional tagged element. */
function link(href, base = 'https://example.com/pricing') {
  const url = new URL(href, base);
  const element = { protocol: url.protocol, host: url.host, pathname: url.pathname, href: url.href };
  element.closest = (selector) => (selector === 'a[href]' ? element : null);
  return element;
}

/** A fake element carrying `data-footfall-event` and `data-footfall-prop-*` attributes. */
function tagged(name, props = {}) {
  const attributes = [{ name: 'data-footfall-event', value: name }, { name: 'class', value: 'btn' }];
  for (const [key, value] of Object.entries(props)) attributes.push({ name: `data-footfall-prop-${key}`, value });
  const element = { attributes, dataset: { footfallEvent: name } };
  element.closest = (selector) => (selector === '[data-footfall-event]' ? element : null);
  return element;
}

module.exports = { loadTracker, link, tagged, defaultConfig, memoryStorage };
