'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker, memoryStorage } = require('./harness');

const sent = async (options) => {
  const page = loadTracker(options);
  await page.settle();
  page.call('event', 'Signup');
  return page.beacons.length;
};

test('Do-Not-Track and Global Privacy Control stop all tracking when the site honours them', async () => {
  assert.equal(await sent({ doNotTrack: '1' }), 0);
  assert.equal(await sent({ globalPrivacyControl: true }), 0);
  assert.equal(await sent({ doNotTrack: '0' }), 2);
  assert.equal(await sent({ doNotTrack: '1', config: { dnt: false } }), 2);
  assert.equal(await sent({ globalPrivacyControl: true, config: { dnt: false } }), 2);
});

test('localhost and file:// are ignored unless the site allows them', async () => {
  assert.equal(await sent({ href: 'http://localhost:3000/' }), 0);
  assert.equal(await sent({ href: 'http://127.0.0.1:8080/demo/' }), 0);
  assert.equal(await sent({ href: 'file:///home/me/site/index.html' }), 0);
  assert.equal(await sent({ href: 'http://localhost:3000/', config: { lh: true } }), 2);
  assert.equal(await sent({ href: 'https://localhost.example.com/' }), 2);
});

test('sampling keeps or drops whole tab sessions', async () => {
  assert.equal(await sent({ config: { sr: 50 }, storage: { ff_r: '0.7' } }), 0);
  assert.equal(await sent({ config: { sr: 50 }, storage: { ff_r: '0.3' } }), 2);
  assert.equal(await sent({ config: { sr: 100 }, storage: { ff_r: '0.99' } }), 2);
  const page = loadTracker({ config: { sr: 50 } });
  await page.settle();
  const roll = page.context.sessionStorage.ff_r;
  assert.ok(roll > 0 && roll < 1, 'the roll is kept for the rest of the tab session');
  assert.equal(page.beacons.length, roll * 100 < 50 ? 1 : 0);
});

test('a first-party id is kept in localStorage only when the site opted in', async () => {
  const store = memoryStorage();
  const first = loadTracker({ config: { fp: true }, localStore: store });
  await first.settle();
  const second = loadTracker({ config: { fp: true }, localStore: store });
  await second.settle();
  assert.match(first.beacons[0].body.fp, /^[a-z0-9]{6,}$/);
  assert.equal(second.beacons[0].body.fp, first.beacons[0].body.fp);

  const cookieless = loadTracker({ localStore: memoryStorage() });
  await cookieless.settle();
  assert.equal(cookieless.beacons[0].body.fp, undefined);
  assert.deepEqual(Object.keys(cookieless.context.localStorage), []);
});

test('blocked storage neither throws nor stops cookieless tracking', async () => {
  const page = loadTracker({ storageBlocked: true, config: { fp: true } });
  await page.settle();
  assert.equal(page.beacons.length, 1);
  assert.equal(page.beacons[0].body.fp, undefined);
});

test('geolocation is read only after consent, once, rounded to 0.01°', async () => {
  const page = loadTracker();
  await page.settle();
  page.advance(1000);
  page.hide();
  page.show();
  page.call('consent', { geo: false });
  page.call('consent', {});
  assert.equal(page.geoRequests.length, 0, 'no location access without consent');
  page.call('consent', { geo: true });
  page.call('consent', { geo: true });
  assert.equal(page.geoRequests.length, 1);
  assert.deepEqual(page.ofType('geo').map((b) => [b.lat, b.lon, b.acc]), [[52.52, 13.41, 35]]);
});

test('consent given before load (queued) is honoured once tracking starts', async () => {
  const page = loadTracker({ queue: [['consent', { geo: true }]] });
  assert.equal(page.geoRequests.length, 0);
  await page.settle();
  assert.deepEqual(page.beacons.map((b) => b.body.t), ['pageview', 'geo']);
});

test('nothing location-related is read when tracking is off (DNT)', async () => {
  const page = loadTracker({ doNotTrack: '1', queue: [['consent', { geo: true }]] });
  await page.settle();
  page.call('consent', { geo: true });
  assert.equal(page.geoRequests.length, 0);
});
