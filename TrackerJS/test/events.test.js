'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { loadTracker, link, tagged } = require('./harness');

test('calls queued by the stub before load are sent after the pageview, in order', async () => {
  const page = loadTracker({ queue: [['event', 'Signup', { plan: 'pro' }], ['event', 'Trial']] });
  page.call('event', 'WhileConfigLoads');             // the real function queues until ready
  await page.settle();
  page.call('event', 'AfterLoad', { step: 2 });
  assert.deepEqual(page.beacons.map((b) => b.body.t), ['pageview', 'custom', 'custom', 'custom', 'custom']);
  const custom = page.ofType('custom');
  assert.deepEqual(custom.map((b) => b.n), ['Signup', 'Trial', 'WhileConfigLoads', 'AfterLoad']);
  assert.deepEqual(custom[0].pr, { plan: 'pro' });
  assert.deepEqual(custom[3].pr, { step: 2 });
  assert.ok(custom.every((b) => b.p === page.ofType('pageview')[0].p));
});

test('an event without a name is ignored, unknown commands too', async () => {
  const page = loadTracker();
  await page.settle();
  page.call('event');
  page.call('frobnicate', 'x');
  page.call();
  assert.deepEqual(page.beacons.map((b) => b.body.t), ['pageview']);
});

test('clicks: outbound links, downloads by extension, tagged elements with props', async () => {
  const page = loadTracker({ config: { d: '\\.(pdf|zip)$' } });
  await page.settle();
  page.click(link('https://partner.example.org/offer'));
  page.click(link('/files/Brochure.PDF'));
  page.click(link('/docs'));                           // internal page: not a click event
  page.click(link('/files/data.csv'));                 // extension not configured
  page.click(link('mailto:sales@example.com'));        // not http(s)
  page.click({});                                      // text node-like target without closest
  page.click(tagged('Signup', { plan: 'pro', seats: '5' }));
  assert.deepEqual(page.ofType('click').map((b) => b.ct), [
    'outbound:https://partner.example.org/offer',
    'download:https://example.com/files/Brochure.PDF',
  ]);
  assert.deepEqual(page.ofType('custom').map((b) => [b.n, b.pr]), [['Signup', { plan: 'pro', seats: '5' }]]);
});
