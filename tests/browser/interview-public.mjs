// The public page of interviews and recruitment, web/interview-public.html, in a real Chromium
// (issue 12), on tests/e2e/t0071-interview-public.sh's exam GWY27: its shortlist published
// (张一 9, 欧阳娜娜 8, 李三 7, 赵四 7 — the tie at the cut admitted), the notice N1 of 李三
// published, then 李三 taken off by a sustained objection and the notice N2 of 张一 (递补);
// another exam GWY27B with nothing published. No login anywhere.
// Desktop, Chinese: the exam notice links to the page; the shortlist shows masked names, ranks
// 1, 2, 3, 3 and the cut 7; the notices the newest first, N1 marked as followed by a later one,
// each with its period (公示中 on the clock of the test), where objections go and its PDF; no
// whole identity number anywhere; the search narrows to a ticket and says when nothing
// matches. Phone, English: the same without sideways scrolling, the notice's table one block a
// candidate. The empty states of GWY27B, an unknown exam, and the list of exams.
// Usage: node interview-public.mjs BASE_URL SCREENSHOT_DIR   (env: KW_EXAM exam id, KW_N1 and
// KW_N2 the notices, KW_TK1..4 and KW_IDN1..6 tickets and identity numbers, KW_NOW the clock)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const env = (k) => process.env[k] || fail(k + ' is needed');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const problems = [];
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();
const shot = (p, name) => p.screenshot({ path: join(shots, name), fullPage: true });
const TK = [0, 1, 2, 3, 4].map((i) => process.env['KW_TK' + i]);
const IDN = [1, 2, 3, 4, 5, 6].map((i) => env('KW_IDN' + i));
const masked = (s) => s.slice(0, 6) + '********' + s.slice(14);
const N1 = env('KW_N1');
const N2 = env('KW_N2');

async function page(opts) {
  const ctx = await browser.newContext(opts);
  await ctx.clock.setFixedTime(new Date(env('KW_NOW')));
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(String(e)));
  return p;
}
async function noNull(p) {
  const body = await text(p.locator('#view'));
  check(!/\bnull\b|undefined|NaN|\{\w+\}/.test(body), 'null/undefined/placeholder on ' + p.url() + ': ' + body.slice(0, 300));
  for (const n of IDN) check(!body.includes(n), 'a whole identity number on the page');
}
async function wideOk(p, w) {
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  check(sw <= w, `the page scrolls sideways at ${w}px: ${sw}`);
}
const col = (p, sel) => p.locator(sel).allTextContents();

try {
  // ① desktop, Chinese, come by the exam notice's link
  const a = await page(desktop);
  await a.goto(base + '/notice.html?exam=' + env('KW_EXAM'));
  await a.locator('#interviews a#to-interviews').click();
  await a.locator('#shortlists article.pos').first().waitFor();
  check(new URL(a.url()).pathname === '/interview-public.html' && new URL(a.url()).search === '?exam=GWY27', 'the notice linked ' + a.url());
  check(await text(a.locator('h1')) === '2027年度安徽省考试录用公务员', 'the exam\'s name: ' + await text(a.locator('h1')));
  const pos = a.locator('article.pos[data-position="100011"]');
  check((await text(pos.locator('h3'))) === '科员（职位代码 100011）', 'the position: ' + await text(pos.locator('h3')));
  const facts = await text(pos.locator('.facts-line'));
  check(facts.includes('招录 1 人') && facts.includes('面试比例 3:1') && facts.includes('最低面试分数 7'), 'the facts: ' + facts);
  // each row: ticket, masked name, written score, rank — in written order, the tie at the cut (7) by ticket
  const rows = await pos.locator('tbody tr').evaluateAll((rs) => rs.map((r) => [...r.cells].map((c) => c.textContent.trim()).join(':')));
  const want = [[1, '张*', 9, 1], [2, '欧**娜', 8, 2], [3, '李*', 7, 3], [4, '赵*', 7, 3]].map(([n, m, w, k]) => [TK[n], m, w, k].join(':'));
  check(rows.slice(0, 2).join() === want.slice(0, 2).join() && [...rows.slice(2)].sort().join() === [...want.slice(2)].sort().join(), 'the shortlist rows: ' + rows.join(' / '));
  check((await text(pos)).includes('以下 4 名考生进入面试'), 'the number invited');
  for (const n of ['张一', '欧阳娜娜', '李三', '赵四']) check(!(await text(pos)).includes(n), 'a whole name on the shortlist: ' + n);
  // the notices, the newest first
  const ids = await a.locator('#notices article.rn').evaluateAll((els) => els.map((e) => e.dataset.notice));
  check(ids.join() === [N2, N1].join(), 'the notices in order: ' + ids);
  const n2 = a.locator(`article.rn[data-notice="${N2}"]`);
  const n1 = a.locator(`article.rn[data-notice="${N1}"]`);
  check((await text(n2.locator('.period'))) === '公示中 公示期：2026年12月14日至2026年12月21日（工作日）', 'N2\'s period: ' + await text(n2.locator('.period')));
  check((await text(n1.locator('.period'))).includes('本职位已有更新的公示'), 'N1 not marked as followed by N2');
  check(!(await text(n2.locator('.period'))).includes('本职位已有更新的公示'), 'N2 marked as superseded');
  check((await col(n2, 'tbody td.name')).join() === '张一' && (await col(n1, 'tbody td.name')).join() === '李三', 'the names on the notices');
  check((await col(n2, 'tbody td.id_number')).join() === masked(IDN[0]), 'the masked identity number: ' + (await col(n2, 'tbody td.id_number')));
  check((await col(n2, 'tbody td.gender')).join() === '男', 'the sex');
  check((await col(n2, 'tbody td.composite')).join() === '39.5' && (await col(n1, 'tbody td.composite')).join() === '43.5', 'the composites');
  check((await text(n2)).includes('可以书面形式向AH-PTA 单位反映'), 'where objections go: ' + await text(n2.locator('.objection')));
  const pdf = await n2.locator('a.pdf').getAttribute('href');
  check(pdf === `/api/v1/public/recruit_notices/${N2}/pdf`, 'the PDF link: ' + pdf);
  const r = await a.request.get(base + pdf);
  check(r.status() === 200 && r.headers()['content-type'] === 'application/pdf', 'the PDF: ' + r.status());
  await noNull(a);
  await shot(a, 'interview-public-1-desktop-zh.png');
  // the search: a ticket keeps its position; nonsense says so
  await a.fill('#q', TK[2]);
  check(await a.locator('#shortlists article.pos').count() === 1, 'the ticket\'s position');
  await a.fill('#q', 'zzz');
  await a.locator('#sl-body .empty', { hasText: '没有符合“zzz”的职位。' }).waitFor();
  check(await a.locator('#notices article.rn').count() === 0, 'the notices not narrowed');
  // GWY27B: nothing published, said plainly; an unknown exam; the list of exams
  await a.goto(base + '/interview-public.html?exam=GWY27B');
  await a.locator('#no-shortlists').waitFor();
  check(await text(a.locator('#no-shortlists')) === '尚未公布面试名单。', 'the empty shortlists');
  check(await text(a.locator('#no-notices')) === '尚未发布拟录用人员公示。', 'the empty notices');
  await noNull(a);
  await shot(a, 'interview-public-3-empty-zh.png');
  await a.goto(base + '/interview-public.html?exam=NOPE27');
  await a.locator('#not-found').waitFor();
  check(await text(a.locator('#not-found')) === '找不到这项考试（NOPE27）。', 'the unknown exam: ' + await text(a.locator('#not-found')));
  await a.goto(base + '/interview-public.html');
  await a.locator('#view a[href="/interview-public.html?exam=GWY27"]').waitFor();

  // ② a phone, in English
  const p = await page(phone);
  await p.goto(base + '/interview-public.html?exam=GWY27');
  await p.locator('#shortlists article.pos').waitFor();
  await p.click('.lang button[data-lang="en"]');
  await p.locator('#shortlists-h', { hasText: 'Interview lists' }).waitFor();
  await p.locator('#notices article.rn').first().waitFor();
  check((await text(p.locator(`article.rn[data-notice="${N2}"] .period`))).startsWith('Open Notice period: 2026-12-14 to 2026-12-21'), 'the English period: ' + await text(p.locator(`article.rn[data-notice="${N2}"] .period`)));
  check((await col(p, 'article.pos td.nm')).sort().join() === ['张*', '欧**娜', '李*', '赵*'].sort().join(), 'the names on the phone');
  await wideOk(p, 360);
  const row = await p.locator(`article.rn[data-notice="${N2}"] tbody tr`).boundingBox();
  check(row && row.width <= 360 && row.height > 100, 'the notice\'s row is not a block on the phone: ' + JSON.stringify(row));
  await noNull(p);
  await shot(p, 'interview-public-2-phone-en.png');
  check(!problems.length, 'console: ' + problems.join(' | '));
} finally {
  await browser.close();
}
