'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker } = require('./harness');

test('a prerendered page sends no page view until the visitor navigates to it', async () => {
  const page = loadTracker({ prerendering: true });
  await page.settle();
  assert.equal(page.ofType('pageview').length, 0, 'nothing while document.prerendering');
  page.advance(3_000);
  page.activate();
  const views = page.ofType('pageview');
  assert.equal(views.length, 1);
  assert.equal(views[0].r, 'https://www.google.com/');
  page.advance(2_000);
  page.fire('window', 'pagehide');
  assert.deepEqual(page.ofType('engagement').map((b) => [b.e, b.p]), [[2_000, views[0].p]],
    'engaged time starts when the page is shown, not when it was prerendered');
});

test('a prerendered page that is never shown sends nothing at all', async () => {
  const page = loadTracker({ prerendering: true });
  await page.settle();
  page.fire('window', 'pagehide');
  assert.equal(page.beacons.length, 0);
});

test('a back/forward-cache restore is a new page view with a new page load id', async () => {
  const page = loadTracker();
  await page.settle();
  page.fire('window', 'pageshow', { persisted: false });       // the first load: nothing new
  const first = page.ofType('pageview');
  assert.equal(first.length, 1);
  page.advance(4_000);
  page.fire('window', 'pagehide');                              // leaves into the bfcache
  page.advance(60_000);
  page.fire('window', 'pageshow', { persisted: true });         // back button
  page.advance(7_000);
  page.fire('window', 'pagehide');
  const views = page.ofType('pageview');
  assert.equal(views.length, 2);
  assert.notEqual(views[1].p, views[0].p);
  assert.equal(views[1].u, views[0].u);
  assert.deepEqual(page.ofType('engagement').map((b) => [b.e, b.p]), [[4_000, views[0].p], [7_000, views[1].p]],
    'engaged time after the restore belongs to the new view');
});

test('while prerendering, the page\'s own calls and router updates wait for the visitor', async () => {
  const page = loadTracker({ href: 'https://example.com/app', prerendering: true, queue: [['event', 'Landing', { variant: 'b' }]] });
  await page.settle();
  page.replaceState('/app/welcome');        // a router settling its URL while prerendered
  page.call('event', 'Hydrated');
  page.call('consent', { geo: true });
  assert.equal(page.beacons.length, 0, 'nothing at all while document.prerendering');
  assert.equal(page.geoRequests.length, 0, 'no location is read for a page nobody has seen');

  page.activate();
  await page.settle();
  const [view] = page.ofType('pageview');
  assert.deepEqual(page.beacons.map((b) => b.body.t), ['pageview', 'custom', 'custom', 'geo']);
  assert.equal(view.u, 'https://example.com/app/welcome', 'the view is of the URL the visitor sees');
  assert.equal(view.spa, undefined);
  assert.deepEqual(page.ofType('custom').map((b) => [b.n, b.p]), [['Landing', view.p], ['Hydrated', view.p]]);
  page.pushState('/app/settings');
  assert.deepEqual(page.ofType('pageview').map((b) => new URL(b.u).pathname), ['/app/welcome', '/app/settings']);
});

test('a page activated before its config arrived starts at once', async () => {
  const page = loadTracker({ prerendering: true });
  page.activate();                          // no listener yet: the config is still loading
  await page.settle();
  assert.equal(page.ofType('pageview').length, 1);
});

test('each of two back/forward-cache restores after an SPA navigation is a view of the route shown', async () => {
  const page = loadTracker({ href: 'https://example.com/' });
  await page.settle();
  page.advance(500);
  page.pushState('/docs');
  page.advance(1_000);
  page.fire('window', 'pagehide');
  page.fire('window', 'pageshow', { persisted: true });
  page.advance(2_000);
  page.hide();
  page.fire('window', 'pagehide');
  page.show();
  page.fire('window', 'pageshow', { persisted: true });
  page.advance(3_000);
  page.hide();
  const views = page.ofType('pageview');
  assert.deepEqual(views.map((b) => [new URL(b.u).pathname, b.spa]), [['/', undefined], ['/docs', true], ['/docs', undefined], ['/docs', undefined]]);
  assert.equal(new Set(views.map((b) => b.p)).size, 4);
  assert.deepEqual(page.ofType('engagement').map((b) => [b.p, b.e]),
    [[views[0].p, 500], [views[1].p, 1_000], [views[2].p, 2_000], [views[3].p, 3_000]]);
});
