'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker } = require('./harness');

test('SPA navigations send one pageview per new path, with the previous page as referrer', async () => {
  const page = loadTracker({ href: 'https://example.com/' });
  await page.settle();
  page.advance(3000);
  page.pushState('/docs');
  page.pushState('/docs');                             // router re-pushing the same path
  page.replaceState('/docs?tab=api');                  // query-only state updates
  page.setHash('#install');                            // in-page anchor without hash routing
  page.advance(2000);
  page.back('/');                                      // popstate to the first page
  page.back('/');                                      // a second popstate, same path

  const views = page.ofType('pageview');
  assert.deepEqual(views.map((b) => new URL(b.u).pathname), ['/', '/docs', '/']);
  assert.deepEqual(views.map((b) => b.spa), [undefined, true, true]);
  assert.equal(views[1].r, 'https://example.com/');
  assert.equal(views[2].r, 'https://example.com/docs');
  assert.equal(new Set(views.map((b) => b.p)).size, 3, 'each view has its own page load id');

  // Leaving a view through the router reports its engagement under its own page load id.
  const engagements = page.ofType('engagement');
  assert.deepEqual(engagements.map((b) => [b.p, b.e]), [[views[0].p, 3000], [views[1].p, 2000]]);
});

test('hash routing counts hash changes as pages when the site enables it', async () => {
  const page = loadTracker({ href: 'https://example.com/app#/home', config: { h: true } });
  await page.settle();
  page.setHash('#/settings');
  page.setHash('#/settings');
  page.pushState('#/billing');
  assert.deepEqual(page.ofType('pageview').map((b) => new URL(b.u).hash), ['#/home', '#/settings', '#/billing']);
});

test('the page\'s own history errors still reach the page; tracker failures never do', async () => {
  const page = loadTracker();
  await page.settle();
  const wrapped = page.context.history.pushState;
  const calls = [];
  // What the tracker wrapped is the page's history; a failing call must fail as before.
  page.context.history.pushState = wrapped;
  page.context.navigator.sendBeacon = () => { throw new Error('tracker transport broke'); };
  page.context.fetch = () => { throw new Error('fetch broke too'); };
  assert.doesNotThrow(() => page.pushState('/ok'));
  calls.push(page.context.location.pathname);
  assert.throws(() => page.pushState('http://other.example/'), /SecurityError/);
  assert.deepEqual(calls, ['/ok']);
});
