// The public page of an exam's interviews and recruitment (issue 12), no login:
// /interview-public.html?exam=CODE (or the exam's id) shows, per position, the published
// interview shortlist — ticket number, masked name, written score and rank of each candidate
// admitted to the interview, and the cut score (GET /api/v1/public/exams/{id}/shortlists) —
// and the exam's published recruitment notices (拟录用人员公示) with their objection period,
// where objections go, and the printable PDF (GET /api/v1/public/exams/{id}/recruit_notices).
// A search box narrows both to a position or a ticket number; a large exam shows the first
// LIMIT positions until one is searched for. Without ?exam it lists the published exams.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '面试与录用公示', notices: '考试公告', loading: '加载中…', title: '面试与录用公示',
      exams: '面试与录用公示', pick: '选择一项考试，查看它的面试名单和拟录用人员公示：', 'no-exams': '目前没有已发布的考试。', back: '全部考试',
      lead: '面试名单按职位公布，考生姓名部分隐去；拟录用人员经笔试、面试、体检和考察等程序确定，公示期间接受社会监督。',
      'not-found': '找不到这项考试（{exam}）。', 'to-shortlists': '面试名单', 'to-notices': '拟录用人员公示',
      search: '查找职位或准考证号', 'search-hint': '输入职位代码、职位名称或准考证号',
      shortlists: '面试名单', 'no-shortlists': '尚未公布面试名单。',
      notices_h: '拟录用人员公示', 'no-notices': '尚未发布拟录用人员公示。',
      'no-match': '没有符合“{q}”的职位。', 'shown': '共 {n} 个职位，显示前 {k} 个；请输入职位代码或名称查找。', 'count': '共 {n} 个职位。',
      'shown-n': '共 {n} 份公示，显示最新的 {k} 份；请输入职位代码或名称查找。',
      position: '{name}（职位代码 {code}）', quota: '招录 {n} 人', ratio: '面试比例 {r}', cut: '最低面试分数 {s}',
      'published-at': '公布于 {at}', admitted: '以下 {n} 名考生进入面试（按笔试成绩排序，同分并列）：',
      ticket: '准考证号', name: '姓名', written: '笔试成绩', rank: '名次', state: '状态',
      'st-admitted': '进入面试', 'st-waiting': '递补候选', 'st-declined': '放弃面试',
      'notice-intro': '根据公务员考试录用有关规定，经笔试、面试、体检和考察等程序，确定{recruiter}{position}职位（职位代码 {code}）拟录用人员，现予公示。',
      period: '公示期：{from}至{to}（工作日）', 'p-open': '公示中', 'p-closed': '公示期已结束', 'p-before': '公示尚未开始',
      superseded: '本职位已有更新的公示', gender: '性别', idno: '身份证号', interview: '面试成绩', composite: '综合成绩',
      objection: '公示期间，对拟录用人员有异议的，可以书面形式向{organiser}反映。反映问题应实事求是，并提供必要的调查线索；以单位名义反映的应加盖公章，以个人名义反映的应署真实姓名。',
      pdf: '下载公示（PDF）', 'cst-note': '时间均为北京时间。', failed: '读取失败：{msg}',
    },
    en: {
      brand: 'Interviews and recruitment', notices: 'Exam notices', loading: 'Loading…', title: 'Interviews and recruitment',
      exams: 'Interviews and recruitment', pick: 'Choose an exam to see its interview lists and recruitment notices:', 'no-exams': 'No exam is published.', back: 'All exams',
      lead: 'The interview lists are published per position, with names partly hidden. The candidates to be recruited are chosen after the written exam, the interview, the physical examination and vetting, and their notice is open to public scrutiny.',
      'not-found': 'No such exam ({exam}).', 'to-shortlists': 'Interview lists', 'to-notices': 'Recruitment notices',
      search: 'Find a position or ticket number', 'search-hint': 'A position code, position name or ticket number',
      shortlists: 'Interview lists', 'no-shortlists': 'No interview list has been published yet.',
      notices_h: 'Recruitment notices', 'no-notices': 'No recruitment notice has been published yet.',
      'no-match': 'No position matches "{q}".', 'shown': '{n} positions; the first {k} are shown — search for a position code or name.', 'count': 'Positions: {n}.',
      'shown-n': '{n} notices; the newest {k} are shown — search for a position code or name.',
      position: '{name} (position {code})', quota: '{n} to recruit', ratio: 'interview ratio {r}', cut: 'cut score {s}',
      'published-at': 'published {at}', admitted: 'These {n} candidates are invited to the interview (by written score; equal scores share a rank):',
      ticket: 'Ticket', name: 'Name', written: 'Written', rank: 'Rank', state: 'State',
      'st-admitted': 'invited', 'st-waiting': 'waiting', 'st-declined': 'declined',
      'notice-intro': 'After the written exam, the interview, the physical examination and vetting, the candidates below are to be recruited by {recruiter} for {position} (position {code}); this notice makes them public.',
      period: 'Notice period: {from} to {to} (working days)', 'p-open': 'Open', 'p-closed': 'Closed', 'p-before': 'Not yet open',
      superseded: 'A later notice of this position exists', gender: 'Sex', idno: 'ID number', interview: 'Interview', composite: 'Composite',
      objection: 'During the period, an objection to a candidate may be sent in writing to {organiser}. Objections should be factual and give leads for the inquiry; an organisation\'s bears its seal, a person\'s their real name.',
      pdf: 'Download the notice (PDF)', 'cst-note': 'Times are China time.', failed: 'Could not load: {msg}',
      男: 'M', 女: 'F',
    },
  };
  const LIMIT = 50; // positions drawn at once; the search finds the others
  const K = kwPublic(TEXT);
  const { t, h, cst, get, view } = K;
  const S = { q: '' };

  // Today in China (YYYY-MM-DD), whatever the browser's zone.
  function today() {
    const p = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date()).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day}`;
  }
  // A calendar date as the page's language writes it: 2026年12月14日, or 2026-12-14.
  function day(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m) return iso || '';
    return K.lang === 'en' ? iso : `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  }
  const lc = (s) => String(s || '').toLowerCase();
  // Whether a position (code, name, tickets) matches the search.
  function matches(code, name, tickets) {
    const q = lc(S.q.trim());
    return !q || lc(code).includes(q) || lc(name).includes(q) || tickets.some((x) => lc(x).includes(q));
  }
  const cell = (label, v, cls) => h('td', { 'data-label': label, class: cls }, v === null || v === undefined ? '' : String(v));

  function shortlistCard(p) {
    const cands = p.candidates || [];
    const facts = [t('quota', { n: p.quota }), p.ratio ? t('ratio', { r: p.ratio }) : null,
      p.cut !== undefined && p.cut !== null ? t('cut', { s: p.cut }) : null,
      p.published_at ? t('published-at', { at: cst(p.published_at, false) }) : null].filter((x) => x);
    const withState = cands.some((c) => c.state && c.state !== 'admitted');
    const head = [t('ticket'), t('name'), t('written'), t('rank')].concat(withState ? [t('state')] : []);
    return h('article', { class: 'card pos', 'data-position': p.position_code, 'aria-labelledby': 'sl-' + p.position_code },
      h('h3', { id: 'sl-' + p.position_code }, t('position', { name: p.position_name, code: p.position_code })),
      h('p', { class: 'facts-line' }, facts.join(' · ')),
      h('p', {}, t('admitted', { n: cands.length })),
      h('div', { class: 'wrap' }, h('table', { class: 'grid sl' },
        h('caption', { class: 'vh' }, t('shortlists') + ' ' + p.position_code),
        h('thead', {}, h('tr', {}, head.map((x, i) => h('th', { scope: 'col', class: i >= 2 && i < 4 ? 'num' : null }, x)))),
        h('tbody', {}, cands.map((c) => h('tr', { 'data-ticket': c.ticket_no },
          cell(t('ticket'), c.ticket_no, 'tk'), cell(t('name'), c.name, 'nm'), cell(t('written'), c.written, 'num written'),
          cell(t('rank'), c.rank, 'num rank'),
          withState ? h('td', { 'data-label': t('state') }, h('span', { class: 'badge st-' + (c.state || 'admitted') },
            K.has('st-' + (c.state || 'admitted')) ? t('st-' + (c.state || 'admitted')) : c.state)) : null))))));
  }

  function noticeCard(n, later) {
    const now = today();
    const st = n.starts_on && now < n.starts_on ? 'before' : n.ends_on && now > n.ends_on ? 'closed' : 'open';
    const entries = n.entries || [];
    const cols = [['name', 'name'], ['gender', 'gender'], ['idno', 'id_number'], ['ticket', 'ticket_no'],
      ['written', 'written'], ['interview', 'interview'], ['composite', 'composite']];
    const num = (k) => (['written', 'interview', 'composite'].includes(k) ? 'num ' + k : k);
    return h('article', { class: 'card rn', 'data-notice': n.id, 'data-position': n.position_code, 'aria-labelledby': 'rn-' + n.id },
      h('h3', { id: 'rn-' + n.id }, t('position', { name: n.position_name, code: n.position_code })),
      h('p', { class: 'period' }, h('span', { class: 'badge p-' + st }, t('p-' + st)), ' ',
        h('span', { class: 'dates' }, t('period', { from: day(n.starts_on), to: day(n.ends_on) })),
        later ? [' ', h('span', { class: 'badge superseded' }, t('superseded'))] : null),
      h('p', { class: 'facts-line' }, n.published_at ? t('published-at', { at: cst(n.published_at, false) }) : null),
      h('p', {}, t('notice-intro', { recruiter: n.recruiter, position: n.position_name, code: n.position_code })),
      h('div', { class: 'wrap' }, h('table', { class: 'grid rn-table stack' },
        h('caption', { class: 'vh' }, t('notices_h') + ' ' + n.position_code),
        h('thead', {}, h('tr', {}, cols.map(([k]) => h('th', { scope: 'col', class: num(k).startsWith('num') ? 'num' : null }, t(k))))),
        h('tbody', {}, entries.map((e) => h('tr', { 'data-ticket': e.ticket_no },
          cols.map(([k, f]) => cell(t(k), f === 'gender' && K.has(e[f]) ? t(e[f]) : e[f], num(f)))))))),
      h('p', { class: 'objection' }, t('objection', { organiser: n.organiser })),
      h('p', {}, h('a', { class: 'cta pdf', href: '/api/v1/public/recruit_notices/' + n.id + '/pdf', target: '_blank', rel: 'noopener' }, t('pdf'))));
  }

  // The two sections as the search narrows them.
  function draw() {
    const pos = (S.positions || []).filter((p) => matches(p.position_code, p.position_name, (p.candidates || []).map((c) => c.ticket_no)));
    const nts = (S.notices || []).filter((n) => matches(n.position_code, n.position_name, (n.entries || []).map((e) => e.ticket_no)));
    // a notice with a later one of the same position (the list is newest first)
    const seen = new Set();
    const later = new Map();
    (S.notices || []).forEach((n) => { later.set(n.id, seen.has(n.position_code)); seen.add(n.position_code); });
    const sl = document.getElementById('sl-body');
    const rn = document.getElementById('rn-body');
    const total = (S.positions || []).length;
    if (!total) sl.replaceChildren(h('p', { class: 'card empty', id: 'no-shortlists' }, t('no-shortlists')));
    else if (!pos.length) sl.replaceChildren(h('p', { class: 'card empty' }, t('no-match', { q: S.q.trim() })));
    else sl.replaceChildren(h('p', { class: 'hint', 'aria-live': 'polite' }, pos.length > LIMIT ? t('shown', { n: pos.length, k: LIMIT }) : t('count', { n: pos.length })),
      ...pos.slice(0, LIMIT).map(shortlistCard));
    if (!(S.notices || []).length) rn.replaceChildren(h('p', { class: 'card empty', id: 'no-notices' }, t('no-notices')));
    else if (!nts.length) rn.replaceChildren(h('p', { class: 'card empty' }, t('no-match', { q: S.q.trim() })));
    else rn.replaceChildren(...(nts.length > LIMIT ? [h('p', { class: 'hint' }, t('shown-n', { n: nts.length, k: LIMIT }))] : []),
      ...nts.slice(0, LIMIT).map((n) => noticeCard(n, later.get(n.id))));
  }

  async function one(exam) {
    const all = await get('/api/v1/public/exams');
    const items = (all.json && all.json.items) || [];
    const e = items.find((x) => x.code === exam) || items.find((x) => String(x.id) === exam) || (/^\d+$/.test(exam) ? { id: exam } : null);
    const back = h('p', {}, h('a', { href: '/interview-public.html' }, '← ' + t('back')));
    if (!e) { view().replaceChildren(back, h('p', { class: 'alert', role: 'alert', id: 'not-found' }, t('not-found', { exam }))); return; }
    const [sl, rn] = await Promise.all([get('/api/v1/public/exams/' + e.id + '/shortlists'), get('/api/v1/public/exams/' + e.id + '/recruit_notices')]);
    if (sl.status === 404 || rn.status === 404) { view().replaceChildren(back, h('p', { class: 'alert', role: 'alert', id: 'not-found' }, t('not-found', { exam }))); return; }
    if (sl.status !== 200) return K.failed(sl);
    if (rn.status !== 200) return K.failed(rn);
    S.positions = sl.json.positions || [];
    S.notices = rn.json.items || [];
    const ex = sl.json.exam || rn.json.exam || {};
    const q = h('input', { type: 'search', id: 'q', value: S.q, autocomplete: 'off', 'aria-describedby': 'q-hint',
      oninput: () => { S.q = q.value; draw(); } });
    view().replaceChildren(back, h('h1', {}, ex.name || t('title')), h('p', { class: 'hint' }, ex.code || exam),
      h('p', { class: 'pub-lead' }, t('lead')),
      h('nav', { class: 'jump', 'aria-label': t('title') }, h('a', { href: '#shortlists' }, t('to-shortlists')), h('a', { href: '#notices' }, t('to-notices'))),
      ...(S.positions.length || S.notices.length ? [h('div', { class: 'field search' }, h('label', { for: 'q' }, t('search')), q, h('span', { class: 'hint', id: 'q-hint' }, t('search-hint')))] : []),
      h('section', { id: 'shortlists', 'aria-labelledby': 'shortlists-h' }, h('h2', { id: 'shortlists-h' }, t('shortlists')), h('div', { id: 'sl-body' })),
      h('section', { id: 'notices', 'aria-labelledby': 'notices-h' }, h('h2', { id: 'notices-h' }, t('notices_h')), h('div', { id: 'rn-body' })),
      h('p', { class: 'hint' }, t('cst-note')));
    draw();
  }

  K.start('/interview-public.html', one);
})();
