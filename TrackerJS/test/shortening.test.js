'use strict';
// Over-long URLs are shortened before sending, as the server would shorten them
// (Sources/FootfallCore/Beacon/URLShortening.swift; the examples are LongURLTests'), so
// no beacon outgrows the server's 8 KB body limit and is lost.
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker, link } = require('./harness');

const MAX = 2048;
const BODY_LIMIT = 8 * 1024;   // BeaconParser.maxBodyBytes
const baiduReferrer = 'https://www.baidu.com/link?url=' + 'aB3xZ9'.repeat(380) + '&wd=footfall&eqid=9f1';
const landing = 'https://x.io/landing?session=' + 'z'.repeat(4000)
  + '&utm_source=newsletter&utm_medium=email&gclid=abc&utm_campaign=spring#section';

test('a long landing URL keeps origin, path and its marketing parameters', async () => {
  const page = loadTracker({ href: landing });
  await page.settle();
  page.hide();
  const expected = 'https://x.io/landing?utm_source=newsletter&utm_medium=email&gclid=abc&utm_campaign=spring';
  assert.deepEqual(page.beacons.map((b) => [b.body.t, b.body.u]), [['pageview', expected], ['engagement', expected]]);
});

test('a long referrer (Baidu click-through) is shortened to origin and path', async () => {
  assert.ok(baiduReferrer.length > 2300);
  const page = loadTracker({ referrer: baiduReferrer });
  await page.settle();
  assert.equal(page.ofType('pageview')[0].r, 'https://www.baidu.com/link');
});

test('short URLs are sent exactly as they are, up to 2,048 characters', async () => {
  const base = 'https://example.com/p?session=';
  const fits = base + 'x'.repeat(MAX - base.length - '#top'.length) + '#top';
  assert.equal(fits.length, MAX);
  const page = loadTracker({ href: fits, referrer: 'https://www.google.com/search?q=widgets#frag' });
  await page.settle();
  const [view] = page.ofType('pageview');
  assert.equal(view.u, fits);
  assert.equal(view.r, 'https://www.google.com/search?q=widgets#frag');

  const over = loadTracker({ href: fits + 'p' });
  await over.settle();
  assert.equal(over.ofType('pageview')[0].u, 'https://example.com/p', 'one character more is shortened');
});

test('which parameters survive: utm_*, ref and the click ids, in their order, values untouched', async () => {
  const kept = ['utm_source=a%20b', 'ref=producthunt', 'gclid=G', 'gbraid=GB', 'wbraid=WB', 'dclid=D', 'msclkid=M',
    'li_fat_id=L', 'ttclid=T', 'twclid=TW', 'fbclid=F', 'utm_term=x?y', 'utm_content='];
  const dropped = ['session=' + 'z'.repeat(2100), 'reference=r', 'eqid=9f1', 'utm=1', 'q=a&b'];
  const query = [dropped[0], kept[0], dropped[1], ...kept.slice(1, 7), dropped[2], ...kept.slice(7), dropped[3], dropped[4]];
  const page = loadTracker({ href: 'https://x.io/a&b/c?' + query.join('&') });
  await page.settle();
  assert.equal(page.ofType('pageview')[0].u, 'https://x.io/a&b/c?' + kept.join('&'));

  const firstKept = loadTracker({ href: 'https://x.io/?utm_source=a&junk=' + 'j'.repeat(MAX) + '&utm_medium=b' });
  await firstKept.settle();
  assert.equal(firstKept.ofType('pageview')[0].u, 'https://x.io/?utm_source=a&utm_medium=b');
});

test('a path that alone is too long is cut at 2,048 characters', async () => {
  const page = loadTracker({ href: 'https://x.io/' + 'seg/'.repeat(1000) + '?utm_source=a' });
  await page.settle();
  const { u } = page.ofType('pageview')[0];
  assert.equal(u.length, MAX);
  assert.ok(u.startsWith('https://x.io/seg/seg/'));
});

test('SPA referrers and click targets are shortened the same way', async () => {
  const page = loadTracker({ href: landing, config: { d: '\\.(pdf)$' } });
  await page.settle();
  page.pushState('/next');
  assert.equal(page.ofType('pageview')[1].r,
    'https://x.io/landing?utm_source=newsletter&utm_medium=email&gclid=abc&utm_campaign=spring');
  page.click(link('https://partner.example/go?utm_source=us&token=' + 't'.repeat(5000) + '#x'));
  assert.equal(page.ofType('click')[0].ct, 'outbound:https://partner.example/go?utm_source=us');
});

test('no beacon outgrows the server\'s body limit, however long the URLs', async () => {
  const huge = 'https://x.io/' + 'p'.repeat(9000) + '?utm_source=' + 'u'.repeat(9000) + '&a=' + 'a'.repeat(9000);
  const page = loadTracker({ href: huge, referrer: 'https://ref.example/' + 'r'.repeat(9000) });
  await page.settle();
  page.click(link('https://out.example/' + 'o'.repeat(9000)));
  page.call('event', 'Signup', { plan: 'pro' });
  page.hide();
  assert.deepEqual(page.beacons.map((b) => b.body.t), ['pageview', 'click', 'custom', 'engagement']);
  for (const beacon of page.beacons) {
    assert.ok(Buffer.byteLength(JSON.stringify(beacon.body)) < BODY_LIMIT, beacon.body.t);
    for (const key of ['u', 'r', 'ct']) assert.ok(!(beacon.body[key]?.length > MAX), key);
  }
});
