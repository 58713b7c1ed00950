// The custodian's page web/custody.html in a real Chromium at a tablet's 768 px (issue 9 items
// 2 and 8; CUS-3, CUS-5). Walk "handover": a centre custodian logs in, scans the room
// package's seal (typed, as a scanner does), sees where it is (the area) and its first event;
// records the centre's receipt with one person on the receiving side — refused in the server's
// words (at least two on each side) with what was typed kept —, adds the second person and
// records it; the chain shows the two events in order with both sides' people; in English
// too; the print view leaves the forms out.
// Usage: node custody.mjs WALK BASE_URL SCREENSHOT_DIR   (KW_USER: the custodian, password
// USERNAME-password-1; KW_SEAL the package's seal number; KW_COUNT its count)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [walk, base, shots] = process.argv.slice(2);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const env = (k) => process.env[k] || fail(k + ' is needed');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

try {
  if (walk !== 'handover') fail('unknown walk ' + walk);
  const user = env('KW_USER');
  const ctx = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(String(e)));
  await p.goto(base + '/custody.html');
  await p.locator('#username').waitFor();
  await p.fill('#username', user);
  await p.fill('#password', user + '-password-1');
  await p.click('#login button[type=submit]');
  await p.locator('#seal').waitFor();
  // scan the seal: the package, where it is, its chain so far
  await p.fill('#seal', env('KW_SEAL'));
  await p.click('#find');
  await p.locator('#pkg').waitFor();
  check((await text(p.locator('#pkg'))).includes('考区'), 'the place: ' + await text(p.locator('#pkg')));
  check((await text(p.locator('#pkg'))).includes('绝密'), 'the classification: ' + await text(p.locator('#pkg')));
  check(await p.locator('#chain tbody tr').count() === 1, 'the chain so far');
  // the centre's receipt with one person receiving: refused, in words
  await p.selectOption('#kind', 'centre_receipt');
  await p.locator('#people-giving').waitFor();
  await p.selectOption('#to', 'centre');
  await p.fill('#people-giving', '押运员甲\n押运员乙/合肥市考试院');
  await p.fill('#people-receiving', '@' + user);
  await p.fill('#count', env('KW_COUNT'));
  await p.fill('#seal-checked', env('KW_SEAL'));
  await p.click('#record-btn');
  await p.locator('#rec-msg .alert').waitFor();
  const refusal = await text(p.locator('#rec-msg'));
  check(/每方至少 2 人/.test(refusal) && /CUSTODY_ONE_SIDED/.test(refusal), 'refusal: ' + refusal);
  check((await p.inputValue('#people-giving')).includes('押运员乙'), 'what was typed is lost');
  // the second person: recorded
  await p.fill('#people-receiving', '@' + user + '\n考点人员乙');
  await p.click('#record-btn');
  await p.locator('#flash .alert.ok').waitFor();
  await p.locator('#chain tbody tr >> nth=1').waitFor();
  const second = await text(p.locator('#chain tbody tr >> nth=1'));
  check(/考点接收/.test(second) && second.includes('考点人员乙') && second.includes('押运员乙/合肥市考试院') && second.includes('@' + user),
    'the second event: ' + second);
  check((await text(p.locator('#pkg'))).includes('考点'), 'the new place: ' + await text(p.locator('#pkg')));
  check(!/\bnull\b|undefined/.test(await text(p.locator('#package'))), 'a null on the page: ' + await text(p.locator('#package')));
  await p.screenshot({ path: join(shots, 'custody-1-handover-tablet-zh.png'), fullPage: true });
  // English
  await p.click('.lang button[data-lang=en]');
  await p.locator('#chain', { hasText: 'Centre receipt' }).waitFor();
  await p.screenshot({ path: join(shots, 'custody-2-chain-tablet-en.png'), fullPage: true });
  const wide = await p.evaluate(() => document.documentElement.scrollWidth);
  check(wide <= 768, 'the page scrolls sideways at 768 px: ' + wide);
  // the print view: the chain without the forms
  await p.emulateMedia({ media: 'print' });
  check(!(await p.locator('#record').isVisible()), 'the form prints');
  check(await p.locator('#chain').isVisible(), 'the chain does not print');
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
} finally {
  await browser.close();
}
