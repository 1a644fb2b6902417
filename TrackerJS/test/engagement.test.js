'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker } = require('./harness');

test('engaged time counts foreground time after interaction, stops after 30 s idle and while hidden', async () => {
  const page = loadTracker();
  await page.settle();
  page.advance(10_000);                                // reading right after load: 10 s
  page.fire('window', 'pointermove');
  page.advance(50_000);                                // idle: only 30 s after the move count
  page.fire('window', 'keydown');
  page.advance(5_000);                                 // 5 s more
  page.hide();                                         // leave: 10 + 30 + 5 = 45 s
  assert.deepEqual(page.ofType('engagement').map((b) => b.e), [45_000]);

  page.advance(120_000);                               // hidden time never counts
  page.show();
  page.advance(4_000);
  page.fire('window', 'pagehide');                     // back for 4 s, then closed
  page.advance(5);
  page.hide();                                         // Chrome hides after pagehide: nothing new
  const engagements = page.ofType('engagement');
  assert.deepEqual(engagements.map((b) => b.e), [45_000, 49_000], 'the grown total is sent once more');
  const view = page.ofType('pageview')[0];
  assert.ok(engagements.every((b) => b.p === view.p && b.u === view.u), 'engagement joins its view');
});

test('a page loaded in a background tab counts nothing until it is shown', async () => {
  const page = loadTracker({ hidden: true });
  await page.settle();
  page.advance(60_000);
  page.show();
  page.advance(2_000);
  page.fire('window', 'pagehide');
  assert.deepEqual(page.ofType('engagement').map((b) => b.e), [2_000]);
});

test('max scroll depth is the deepest point seen, capped at 100', async () => {
  const page = loadTracker({ scrollHeight: 4000 });    // viewport 720 px
  await page.settle();
  page.scrollTo(1000);                                 // (1000 + 720) / 4000 = 43 %
  page.scrollTo(2480);                                 // 80 %
  page.scrollTo(0);
  page.hide();
  assert.equal(page.ofType('engagement')[0].sc, 80);
  page.show();
  page.advance(1000);
  page.setScrollHeight(3000);                          // content shrank under an overscroll
  page.scrollTo(2900);
  page.hide();
  assert.equal(page.ofType('engagement')[1].sc, 100);
});

test('a short page that fits the viewport counts as fully seen', async () => {
  const page = loadTracker({ scrollHeight: 500 });
  await page.settle();
  page.advance(1000);
  page.hide();
  assert.equal(page.ofType('engagement')[0].sc, 100);
});
