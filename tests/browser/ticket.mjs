// The candidate downloads the admission ticket (TKT-2, issue 7 item 7) on web/register.html
// in a real Chromium. Run twice by tests/e2e/t0030-ticket-web.sh, the server's clock moved
// between the runs:
//   closed — 2026-11-24, before the printing period: the candidate logs in, lands on 我的报名,
//            sees the 准考证 part, presses 下载准考证 and is told the period in China time
//            (准考证打印时间：2027-05-22 00:00 至 2027-06-01 24:00), in English too, and nothing
//            is downloaded; on a 360-px phone the same, and a candidate who paid after the seats
//            were published is told the seats are not published yet.
//   open   — 2027-05-25, inside the period: the candidate logs in again, presses 下载准考证,
//            the browser saves 准考证-JJ27.pdf (into KW_OUT for the shell to read) and the page
//            says to print it on A4 and bring it with the ID card; on a 360-px phone the same.
// Usage: node ticket.mjs closed|open BASE_URL SCREENSHOT_DIR   (KW_CAND1: the seated
// candidate's ID number; KW_CAND3: one who paid after publication; KW_CAND_PASSWORD;
// KW_EXAM_NAME; KW_OUT: where the downloads are saved)
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const [phase, base, shots] = process.argv.slice(2);
const out = process.env.KW_OUT;
const examName = process.env.KW_EXAM_NAME;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  // The refusals the walk provokes (403, 409) show as failed loads: only those are expected.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `${what}: the page is ${w} px wide on a 360-px phone`);
}

// Log in on register.html; a candidate with a registration lands on 我的报名 and its
// 准考证 part. → { ctx, page, part } (part: the registration's ticket section)
async function login(idNumber, device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/register.html');
  const form = page.locator('form[aria-labelledby=login-h]');
  await form.locator('[name=id_number]').fill(idNumber);
  await form.locator('[name=password]').fill(process.env.KW_CAND_PASSWORD);
  await form.locator('button[type=submit]').click();
  await page.getByRole('heading', { name: '我的报名' }).waitFor();
  check(/报名状态/.test(await text(page.locator('#steps [aria-current=step]'))), 'login did not land on the status step');
  const reg = page.locator('ul.list > li', { hasText: examName });
  check((await reg.count()) === 1, 'the registration is not listed once');
  const part = reg.locator('section.ticket');
  await part.getByRole('heading', { name: '准考证' }).waitFor();
  check(/A4/.test(await text(part)), 'the ticket part does not say what the ticket is for: ' + await text(part));
  return { ctx, page, part };
}
const button = (part, name) => part.getByRole('button', { name: new RegExp('^' + name) });

if (phase === 'closed') {
  // ---- outside the printing period, on a desktop ----
  const c1 = await login(process.env.KW_CAND1, desktop);
  let downloads = 0;
  c1.page.on('download', () => { downloads++; });
  await button(c1.part, '下载准考证').click();
  const said = c1.part.getByRole('alert');
  await said.waitFor();
  const words = await text(said);
  check(words.includes('现在不能下载准考证'), 'not told the ticket cannot be downloaded now: ' + words);
  check(words.includes('准考证打印时间：2027-05-22 00:00 至 2027-06-01 24:00'), 'the printing period in China time is not shown: ' + words);
  check(words.includes('北京时间'), 'the time zone is not named: ' + words);
  check(!/T\d\d:|Z\b|TICKET_/.test(words), 'jargon in the message: ' + words);
  check(await button(c1.part, '下载准考证').isEnabled(), 'the button stays disabled');
  await c1.page.screenshot({ path: join(shots, 'ticket-1-closed.png'), fullPage: true });
  // English.
  await c1.page.getByRole('button', { name: 'English' }).click();
  await c1.page.getByRole('heading', { name: 'My registrations' }).waitFor();
  const en = c1.page.locator('ul.list > li', { hasText: examName }).locator('section.ticket');
  await en.getByRole('heading', { name: 'Admission ticket' }).waitFor();
  await button(en, 'Download the ticket').click();
  await en.getByRole('alert').waitFor();
  const enWords = await text(en.getByRole('alert'));
  check(enWords.includes('Printing period: 2027-05-22 00:00 to 2027-06-01 24:00 (China time)'), 'English period: ' + enWords);
  await c1.page.screenshot({ path: join(shots, 'ticket-1-closed-en.png'), fullPage: true });
  await c1.page.getByRole('button', { name: '中文' }).click();
  await c1.page.getByRole('heading', { name: '我的报名' }).waitFor();
  check(downloads === 0, 'something was downloaded outside the printing period');
  await c1.ctx.close();

  // ---- the same on a 360-px phone ----
  const p1 = await login(process.env.KW_CAND1, phone);
  await noSideScroll(p1.page, 'status');
  await button(p1.part, '下载准考证').tap();
  await p1.part.getByRole('alert').waitFor();
  check((await text(p1.part.getByRole('alert'))).includes('准考证打印时间：2027-05-22 00:00 至 2027-06-01 24:00'), 'phone: no period');
  await noSideScroll(p1.page, 'the printing period');
  const box = await button(p1.part, '下载准考证').boundingBox();
  check(box.height >= 44, `the download button is ${box.height} px tall`);
  await p1.part.scrollIntoViewIfNeeded();
  await p1.page.screenshot({ path: join(shots, 'ticket-1-phone-closed.png'), fullPage: true });
  await p1.ctx.close();

  // ---- a candidate with no published seat ----
  const c3 = await login(process.env.KW_CAND3, phone);
  await button(c3.part, '下载准考证').tap();
  await c3.part.getByRole('alert').waitFor();
  const none = await text(c3.part.getByRole('alert'));
  check(none.includes('考场座位还没有公布'), 'not told the seats are not published yet: ' + none);
  check(!/TICKET_/.test(none), 'jargon: ' + none);
  await noSideScroll(c3.page, 'no seat yet');
  await c3.page.screenshot({ path: join(shots, 'ticket-1-phone-no-seat.png'), fullPage: true });
  await c3.ctx.close();
} else if (phase === 'open') {
  // ---- inside the printing period: the download, on a desktop ----
  const c1 = await login(process.env.KW_CAND1, desktop);
  const [dl] = await Promise.all([c1.page.waitForEvent('download'), button(c1.part, '下载准考证').click()]);
  check(dl.suggestedFilename() === '准考证-JJ27.pdf', 'saved as ' + dl.suggestedFilename());
  await dl.saveAs(join(out, dl.suggestedFilename()));
  const ok = c1.part.locator('.alert.ok');
  await ok.waitFor();
  const words = await text(ok);
  check(words.includes('准考证-JJ27.pdf'), 'the file name is not given: ' + words);
  check(/A4/.test(words) && /身份证/.test(words), 'not told to print on A4 and bring the ID card: ' + words);
  await c1.page.screenshot({ path: join(shots, 'ticket-2-downloaded.png'), fullPage: true });
  await c1.ctx.close();

  // ---- the same on a 360-px phone: the same bytes ----
  const p1 = await login(process.env.KW_CAND1, phone);
  const [pdl] = await Promise.all([p1.page.waitForEvent('download'), button(p1.part, '下载准考证').tap()]);
  check(pdl.suggestedFilename() === '准考证-JJ27.pdf', 'phone: saved as ' + pdl.suggestedFilename());
  await pdl.saveAs(join(out, 'phone.pdf'));
  check(Buffer.compare(readFileSync(join(out, 'phone.pdf')), readFileSync(join(out, '准考证-JJ27.pdf'))) === 0,
    'a second download differs from the first');
  await p1.part.locator('.alert.ok').waitFor();
  await noSideScroll(p1.page, 'downloaded');
  await p1.part.scrollIntoViewIfNeeded();
  await p1.page.screenshot({ path: join(shots, 'ticket-2-phone-downloaded.png'), fullPage: true });
  await p1.ctx.close();
} else {
  fail('the phase must be closed or open, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
