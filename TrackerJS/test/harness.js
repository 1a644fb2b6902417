// Runs the tracker source in a fake browser (node:vm) and records the beacons it sends.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'footfall.js'), 'utf8');

function runTracker({ site = 's_test', href = 'https://example.com/pricing?utm_source=x', referrer = 'https://www.google.com/', sendBeacon = true } = {}) {
  const beacons = [];
  const script = {
    src: 'https://footfall.example.net/t.js',
    getAttribute: (name) => (name === 'data-site' ? site : null),
  };
  const navigator = { language: 'en-GB' };
  if (sendBeacon) navigator.sendBeacon = (url, body) => { beacons.push({ url, body: JSON.parse(body), via: 'beacon' }); return true; };
  const window = {
    location: { href }, screen: { width: 1920, height: 1080 }, innerWidth: 1280, innerHeight: 720,
  };
  const context = {
    window, document: { currentScript: script, referrer }, navigator, URL, Intl, JSON, Math, Date,
    fetch: (url, init) => { beacons.push({ url, body: JSON.parse(init.body), via: 'fetch', init }); return Promise.resolve(); },
  };
  vm.runInNewContext(source, context);
  return beacons;
}

module.exports = { runTracker };
