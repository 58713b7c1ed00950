// The proctor's page web/proctor.html in a real Chromium at a tablet's 768 px (issue 9, items 4
// and 8; DAY-2, DAY-4). Walk "checkin" (08:45 on the exam day): a proctor logs in, picks the
// exam room the lottery gave them, types a ticket number that does not exist (the refusal
// large, in words), then candidate 1's: the preview shows the seat large; without the
// identity box ticked the page refuses; ticked, "准予入场" admits; the counts (2 seated, 1
// present, 1 absent) and the absentee (candidate 2) follow; an incident goes into the room
// record; in English too. Walk "sign" (after the sitting): the first proctor signs, closing is
// refused with the server's words (two signatures needed), the second proctor signs and closes;
// the page says the record is closed and its buttons are disabled.
// Usage: node proctor.mjs WALK BASE_URL SCREENSHOT_DIR   (KW_P1, KW_P2: the proctors'
// usernames, password USERNAME-password-1; KW_T1 candidate 1's ticket number, KW_N1 and KW_N2
// the candidates' names)
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

async function login(user) {
  const ctx = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base + '/proctor.html');
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  await page.locator('a.pick').first().waitFor();
  await page.locator('a.pick').first().click();
  await page.locator('#scan').waitFor();
  await page.locator('#count-seated b').waitFor();
  return page;
}

try {
  if (walk === 'checkin') {
    const p = await login(env('KW_P1'));
    check(/09:05/.test(await text(p.locator('#scan-rule'))), 'the cut-off is not shown: ' + await text(p.locator('#scan-rule')));
    // an unknown number: the refusal large
    await p.fill('#scan', 'NO-SUCH-TICKET');
    await p.click('#verify');
    await p.locator('.result.refused').waitFor();
    check(/查无此准考证/.test(await text(p.locator('.result.refused'))), 'refusal: ' + await text(p.locator('.result.refused')));
    // candidate 1: the preview, then admitted once the identity box is ticked
    await p.fill('#scan', env('KW_T1'));
    await p.click('#verify');
    await p.locator('.result .seat').waitFor();
    check((await text(p.locator('.result .name'))) === env('KW_N1'), 'name: ' + await text(p.locator('.result .name')));
    await p.click('#admit');
    await p.locator('.result.refused').waitFor();
    check(/身份证件/.test(await text(p.locator('.result.refused'))), 'admitted without the identity check');
    await p.fill('#scan', env('KW_T1'));
    await p.check('#id-checked');
    await p.click('#verify');
    await p.locator('#admit').waitFor();
    await p.click('#admit');
    await p.locator('.result.good').waitFor();
    check(/已入场/.test(await text(p.locator('.result.good'))), 'not admitted: ' + await text(p.locator('.result')));
    await p.locator('#count-present b', { hasText: '1' }).waitFor();
    check((await text(p.locator('#count-seated b'))) === '2', 'seated: ' + await text(p.locator('#count-seated b')));
    check((await text(p.locator('#count-absent b'))) === '1', 'absent: ' + await text(p.locator('#count-absent b')));
    check((await text(p.locator('#absentees'))).includes(env('KW_N2')), 'absentees: ' + await text(p.locator('#absentees')));
    check((await text(p.locator('#inroom'))).includes(env('KW_N1')), 'in the room: ' + await text(p.locator('#inroom')));
    // an incident into the room record
    await p.selectOption('#entry-kind', 'incident');
    await p.fill('#entry-desc', '考场空调故障，09:10 已修复');
    await p.click('#entry-add');
    await p.locator('#entries li', { hasText: '考场空调故障' }).waitFor();
    check(/异常情况/.test(await text(p.locator('#entries'))), 'the entry kind in words: ' + await text(p.locator('#entries')));
    await p.screenshot({ path: join(shots, 'proctor-1-checkin-tablet-zh.png'), fullPage: true });
    // English
    await p.click('.lang button[data-lang=en]');
    await p.locator('#scan-rule', { hasText: 'Entry from' }).waitFor();
    await p.locator('#count-seated', { hasText: 'Seated' }).waitFor();
    await p.screenshot({ path: join(shots, 'proctor-2-checkin-tablet-en.png'), fullPage: true });
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= 768, 'the page scrolls sideways at 768 px: ' + wide);
  } else if (walk === 'sign') {
    const p1 = await login(env('KW_P1'));
    await p1.click('#sign');
    await p1.locator('#sigs li.sig.current').waitFor();
    await p1.click('#close');
    await p1.click('#dlg-ok');
    await p1.locator('#flash .alert:not(.ok)').waitFor();
    check(/至少 2 名/.test(await text(p1.locator('#flash'))), 'close refusal: ' + await text(p1.locator('#flash')));
    const p2 = await login(env('KW_P2'));
    await p2.click('#sign');
    await p2.locator('#sigs li.sig.current >> nth=1').waitFor();
    await p2.click('#close');
    await p2.click('#dlg-ok');
    await p2.locator('#flash .alert.ok', { hasText: '封存' }).waitFor();
    check(await p2.locator('#sign').isDisabled(), 'the sign button stays enabled on a closed record');
    check((await text(p2.locator('#absentees'))).includes(env('KW_N2')), 'absentees at close: ' + await text(p2.locator('#absentees')));
    await p2.screenshot({ path: join(shots, 'proctor-3-closed-tablet-zh.png'), fullPage: true });
  } else {
    fail('unknown walk ' + walk);
  }
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
} finally {
  await browser.close();
}
