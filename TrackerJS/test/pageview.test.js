'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { runTracker } = require('./harness');

test('sends one pageview with the documented keys to the script origin', () => {
  const beacons = runTracker();
  assert.equal(beacons.length, 1);
  const { url, body } = beacons[0];
  assert.equal(url, 'https://footfall.example.net/e');
  assert.equal(body.s, 's_test');
  assert.equal(body.t, 'pageview');
  assert.equal(body.u, 'https://example.com/pricing?utm_source=x');
  assert.equal(body.r, 'https://www.google.com/');
  assert.deepEqual([body.sw, body.sh, body.vw, body.vh], [1920, 1080, 1280, 720]);
  assert.equal(body.l, 'en-GB');
  assert.match(body.id, /^[a-z0-9]{8,}$/);
  assert.match(body.p, /^[a-z0-9]{8,}$/);
  assert.notEqual(body.id, body.p);
});

test('falls back to fetch with keepalive when sendBeacon is missing', () => {
  const beacons = runTracker({ sendBeacon: false });
  assert.equal(beacons.length, 1);
  assert.equal(beacons[0].via, 'fetch');
  assert.equal(beacons[0].init.keepalive, true);
  assert.equal(beacons[0].init.headers['Content-Type'], 'text/plain');
});

test('does nothing without a data-site attribute', () => {
  assert.equal(runTracker({ site: null }).length, 0);
});
