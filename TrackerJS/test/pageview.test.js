'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker } = require('./harness');

test('loads the site config, then sends one pageview with the documented keys', async () => {
  const page = loadTracker();
  assert.equal(page.beacons.length, 0, 'nothing is sent before the config arrived');
  await page.settle();
  assert.deepEqual(page.requests, ['https://footfall.example.net/c/s_test.json']);
  assert.equal(page.beacons.length, 1);
  const { url, body, via } = page.beacons[0];
  assert.equal(via, 'beacon');
  assert.equal(url, 'https://footfall.example.net/e');
  assert.equal(body.s, 's_test');
  assert.equal(body.t, 'pageview');
  assert.equal(body.u, 'https://example.com/pricing?utm_source=x');
  assert.equal(body.r, 'https://www.google.com/');
  assert.equal(body.spa, undefined);
  assert.deepEqual([body.sw, body.sh, body.vw, body.vh], [1920, 1080, 1280, 720]);
  assert.equal(body.l, 'en-GB');
  assert.equal(typeof body.tz, 'string');
  assert.equal(body.wd, false);
  assert.equal(body.fp, undefined);
  assert.match(body.id, /^[a-z0-9]{6,}$/);
  assert.match(body.p, /^[a-z0-9]{6,}$/);
  assert.notEqual(body.id, body.p);
});

test('event ids start with the time of sending in base 36 ms, so later beacons sort later', async () => {
  const page = loadTracker();
  await page.settle();
  const sentAt = page.beacons[0].body.id.slice(0, 8);
  page.advance(1500);
  page.call('event', 'Signup');
  const [pageview, custom] = page.beacons.map((b) => b.body.id);
  assert.equal(parseInt(custom.slice(0, 8), 36) - parseInt(sentAt, 36), 1500);
  assert.ok(pageview < custom, 'ids compare in the order the beacons were sent');
  assert.ok(parseInt(sentAt, 36) >= 1_700_000_000_000, 'the prefix is the page clock in ms');
});

test('without sendBeacon (a visitor disabled it) nothing is sent and nothing reaches the page', async () => {
  const page = loadTracker({ sendBeacon: false });
  await page.settle();
  assert.doesNotThrow(() => page.call('event', 'Signup'));
  assert.doesNotThrow(() => page.pushState('/next'));
  assert.doesNotThrow(() => page.hide());
  assert.equal(page.beacons.length, 0);
  assert.deepEqual(page.requests, ['https://footfall.example.net/c/s_test.json'], 'no fetch fallback either');
});

test('does nothing without a data-site attribute or when the site is unknown', async () => {
  const noSite = loadTracker({ site: null });
  await noSite.settle();
  assert.equal(noSite.requests.length, 0);

  const unknown = loadTracker({ configStatus: 404 });
  await unknown.settle();
  assert.equal(unknown.beacons.length, 0);
  unknown.call('event', 'Signup');
  await unknown.settle();
  assert.equal(unknown.beacons.length, 0);
});

test('reports navigator.webdriver as wd', async () => {
  const page = loadTracker({ webdriver: true });
  await page.settle();
  assert.equal(page.beacons[0].body.wd, true);
});

test('excluded paths send nothing: no view, no engagement, no events', async () => {
  const page = loadTracker({ href: 'https://example.com/admin/users', config: { x: '^(?:/admin/.*)$' } });
  await page.settle();
  page.call('event', 'Saved');
  page.advance(5000);
  page.hide();
  assert.equal(page.beacons.length, 0);
  page.show();
  page.pushState('/pricing');
  assert.deepEqual(page.ofType('pageview').map((b) => b.u), ['https://example.com/pricing']);
});
