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
