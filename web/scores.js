// The public score look-up (SPEC GRD-8; issue 10 items 7 and 10), no login, phone first:
// /scores.html?exam=ID shows the exam's name (GET /api/v1/public/exams/{id}) and, once its
// scores are published, a form — ticket number, identity number, name — posted to
// /api/v1/public/exams/{id}/score_lookup. The answer: the masked name and each subject's
// status (已评分 / 零分 / 成绩无效 / 缺考) with its score; or the server's message (one answer
// for any mismatch: it never tells whether a ticket exists); a 429 says when to try again and
// the button waits until then. Nothing typed is kept: no localStorage or sessionStorage, no
// cookie but the language, nothing in the address. Without ?exam: the exams whose scores are
// published, each linking here.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '成绩查询', title: '成绩查询', skip: '跳到正文', loading: '加载中…', notices: '考试公告', portal: '考生服务',
      exams: '成绩查询', pick: '选择考试，查询本人成绩：', 'no-exams': '目前没有已公布成绩的考试。', back: '全部考试',
      'published-at': '成绩公布时间：{at}（北京时间）', 'not-published': '本次考试成绩尚未公布。成绩公布后，可在本页查询。',
      'not-found': '找不到这项考试。',
      lead: '请输入准考证号、身份证件号码和姓名，三项须与报名信息一致。',
      ticket: '准考证号', 'ticket-hint': '见准考证。', idno: '身份证件号码', 'idno-hint': '居民身份证号码末位的 X 大小写均可。',
      name: '姓名', 'name-hint': '与报名时填写的一致。', send: '查询成绩', busy: '正在查询…',
      privacy: '本页不保存您输入的信息，查询结果只显示在本页；姓名遮挡显示。',
      'need-ticket': '请填写准考证号。', 'need-idno': '请填写身份证件号码。', 'need-name': '请填写姓名。',
      'retry-in': '{s} 秒后可以再次查询。', 'retry-now': '现在可以再次查询。', offline: '无法连接服务器，请检查网络后重试。',
      'result-h': '查询结果', 'r-ticket': '准考证号', 'r-name': '姓名', 'r-exam': '考试',
      'c-subject': '科目', 'c-status': '状态', 'c-score': '成绩', none: '—', 'no-subjects': '没有您的科目成绩记录。',
      'st-scored': '已评分', 'st-zero': '零分', 'st-cancelled': '成绩无效', 'st-absent': '缺考', 'st-verifying': '核查中',
      'why-zero': '零分：依违纪违规处理决定，该科目记为零分。',
      'why-cancelled': '成绩无效：依违纪违规处理决定，该科目成绩无效。',
      'why-absent': '缺考：未参加该科目考试（不记零分）。',
      'why-verifying': '核查中：该科目的答题卡与主观题评分不一致，考试机构正在核查，核查后公布成绩。',
      review: '如对成绩有疑问，可按考试公告规定的期限申请成绩复查。', again: '查询其他考生',
    },
    en: {
      brand: 'Scores', title: 'Score look-up', skip: 'Skip to the content', loading: 'Loading…', notices: 'Exam notices', portal: 'Candidates',
      exams: 'Score look-up', pick: 'Choose the exam to look up your scores:', 'no-exams': 'No exam has published its scores.', back: 'All exams',
      'published-at': 'Scores published {at} (China time)', 'not-published': 'This exam\'s scores are not published yet. Once they are, look them up on this page.',
      'not-found': 'No such exam.',
      lead: 'Enter your ticket number, identity number and name, all three as in your registration.',
      ticket: 'Ticket number', 'ticket-hint': 'As on your admission ticket.', idno: 'Identity number', 'idno-hint': 'The final X of a resident identity card in either case.',
      name: 'Name', 'name-hint': 'As you registered it.', send: 'Look up my scores', busy: 'Looking up…',
      privacy: 'Nothing you type is kept by this page; the answer shows on this page only, the name masked.',
      'need-ticket': 'Enter the ticket number.', 'need-idno': 'Enter the identity number.', 'need-name': 'Enter the name.',
      'retry-in': 'You can look up again in {s} s.', 'retry-now': 'You can look up again now.', offline: 'Cannot reach the server. Check the connection and try again.',
      'result-h': 'Your scores', 'r-ticket': 'Ticket number', 'r-name': 'Name', 'r-exam': 'Exam',
      'c-subject': 'Subject', 'c-status': 'Status', 'c-score': 'Score', none: '—', 'no-subjects': 'No subject score on record for you.',
      'st-scored': 'Scored', 'st-zero': 'Zero', 'st-cancelled': 'Cancelled', 'st-absent': 'Absent', 'st-verifying': 'Under verification',
      'why-zero': 'Zero: the subject is scored zero by a decision on a violation.',
      'why-cancelled': 'Cancelled: the subject\'s score is void by a decision on a violation.',
      'why-absent': 'Absent: you did not sit the subject (never counted as zero).',
      'why-verifying': 'Under verification: your answer sheet and your script marks for this subject do not match; the exam agency is checking them and will publish the score then.',
      review: 'If in doubt about a score, ask for a score review within the period of the exam notice.', again: 'Look up another candidate',
    },
  };
  const STATUS = ['scored', 'zero', 'cancelled', 'absent', 'verifying'];
  const K = kwPublic(TEXT);
  const { t, h } = K;
  const $ = (id) => document.getElementById(id);
  // The page's memory only: the exam, the last answer, the time a retry is allowed.
  const S = { exam: null, result: null, retryAt: 0, timer: 0 };

  // The exams whose scores are published.
  K.list = async function () {
    const r = await K.get('/api/v1/public/exams');
    const items = ((r.json && r.json.items) || []).filter((e) => e.scores_published_at);
    K.view().replaceChildren(h('h1', {}, t('exams')), h('p', {}, items.length ? t('pick') : t('no-exams')),
      h('ul', { class: 'list' }, items.map((e) => h('li', {}, h('h3', {}, h('a', { href: '/scores.html?exam=' + e.id }, e.name)),
        h('div', { class: 'hint' }, t('published-at', { at: K.cst(e.scores_published_at, false) }))))));
  };

  async function one(id) {
    if (!/^\d{1,18}$/.test(id)) return K.view().replaceChildren(h('p', { class: 'alert', role: 'alert' }, t('not-found')));
    // what was typed survives a change of language (in memory, never stored)
    const kept = ['ticket', 'idno', 'name'].map((k) => ($(k) ? $(k).value : ''));
    const r = S.exam && String(S.exam.id) === id ? { status: 200, json: S.exam } : await K.get('/api/v1/public/exams/' + id);
    if (r.status !== 200) return K.failed(r);
    const e = (S.exam = r.json);
    const head = [h('p', {}, h('a', { href: '/scores.html' }, '← ' + t('back'))), h('h1', { id: 'exam-h' }, e.name)];
    if (!e.scores_published_at) {
      return K.view().replaceChildren(...head, h('section', { class: 'notice', id: 'not-published' }, h('p', {}, t('not-published'))));
    }
    head.push(h('p', { class: 'hint', id: 'published-at' }, t('published-at', { at: K.cst(e.scores_published_at, false) })));
    const input = (id2, attrs) => h('input', Object.assign({ id: id2, autocomplete: 'off', spellcheck: 'false', required: true,
      'aria-describedby': id2 + '-hint ' + id2 + '-err' }, attrs));
    const field = (id2, label, hint, el) => h('div', { class: 'field' }, h('label', { for: id2 }, label), el,
      h('span', { class: 'hint', id: id2 + '-hint' }, hint), h('span', { class: 'err', id: id2 + '-err' }));
    const ticket = input('ticket', { name: 'ticket_no', inputmode: 'numeric', maxlength: '40' });
    const idno = input('idno', { name: 'id_number', maxlength: '40', autocapitalize: 'characters' });
    const name = input('name', { name: 'name', maxlength: '100' });
    [ticket.value, idno.value, name.value] = kept;
    const btn = h('button', { type: 'submit', class: 'btn primary', id: 'send' }, t('send'));
    const msg = h('div', { id: 'msg', 'aria-live': 'polite' });
    const form = h('form', { id: 'lookup', class: 'card', novalidate: true, 'aria-labelledby': 'exam-h' },
      h('p', { class: 'lead' }, t('lead')),
      field('ticket', t('ticket'), t('ticket-hint'), ticket), field('idno', t('idno'), t('idno-hint'), idno),
      field('name', t('name'), t('name-hint'), name), h('div', { class: 'row' }, btn), msg,
      h('p', { class: 'hint privacy' }, t('privacy')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); lookup(e.id, ticket, idno, name, btn, msg); });
    K.view().replaceChildren(...head, form, h('section', { id: 'result', 'aria-labelledby': 'result-h', hidden: true }));
    if (S.result && S.result.exam && S.result.exam.id === e.id) showResult(S.result, false);
    waitRetry();
  }

  function fieldError(el, text) {
    el.setAttribute('aria-invalid', 'true');
    $(el.id + '-err').textContent = text;
  }

  async function lookup(exam, ticket, idno, name, btn, msg) {
    if (Date.now() < S.retryAt) return;
    [ticket, idno, name].forEach((el) => { el.removeAttribute('aria-invalid'); $(el.id + '-err').textContent = ''; });
    const body = { ticket_no: ticket.value.trim(), id_number: idno.value.trim(), name: name.value.trim() };
    const missing = [[ticket, 'need-ticket', body.ticket_no], [idno, 'need-idno', body.id_number], [name, 'need-name', body.name]].filter((x) => !x[2]);
    if (missing.length) {
      missing.forEach(([el, k]) => fieldError(el, t(k)));
      missing[0][0].focus();
      return;
    }
    btn.disabled = true;
    msg.replaceChildren(h('p', { class: 'hint', role: 'status' }, t('busy')));
    let r, json = null;
    try {
      r = await fetch('/api/v1/public/exams/' + exam + '/score_lookup', { method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': K.lang }, body: JSON.stringify(body) });
      try { json = await r.json(); } catch (e) { json = null; }
    } catch (e) {
      r = null;
    }
    btn.disabled = false;
    if (r && r.ok && json && json.candidate) {
      msg.replaceChildren();
      S.result = json;
      showResult(json, true);
      return;
    }
    S.result = null;
    $('result').hidden = true;
    $('result').replaceChildren();
    const err = json && json.error;
    const text = !r ? t('offline') : (err && err.message) || 'HTTP ' + r.status;
    const kids = [h('p', {}, text)];
    if (r && r.status === 429) {
      // RATE_LIMITED: the button waits for Retry-After, counted down
      const s = Math.max(1, parseInt(r.headers.get('Retry-After'), 10) || (err && err.details && err.details.retry_after) || 60);
      S.retryAt = Date.now() + s * 1000;
      kids.push(h('p', { class: 'countdown', id: 'retry' }));
    }
    msg.replaceChildren(h('div', { class: 'alert', role: 'alert', 'data-code': (err && err.code) || '' }, kids));
    waitRetry();
  }

  // The countdown of a refused look-up: the button disabled until the server's time is up.
  function waitRetry() {
    clearInterval(S.timer);
    const tick = () => {
      const left = Math.ceil((S.retryAt - Date.now()) / 1000);
      const btn = $('send'), line = $('retry');
      if (btn) btn.disabled = left > 0;
      if (line) line.textContent = left > 0 ? t('retry-in', { s: left }) : t('retry-now');
      if (left <= 0) clearInterval(S.timer);
    };
    if (S.retryAt > Date.now()) S.timer = setInterval(tick, 1000);
    tick();
  }

  function showResult(x, focus) {
    const box = $('result');
    const names = Object.fromEntries((x.subjects || []).map((s) => [s.code, s.name]));
    const c = x.candidate;
    const seen = new Set();
    const rows = c.subjects.map((s) => {
      const st = STATUS.includes(s.status) ? s.status : null;
      if (st) seen.add(st);
      return h('tr', { class: 'st-' + (st || 'other') }, h('th', { scope: 'row' }, names[s.code] || s.code, h('span', { class: 'code' }, s.code)),
      h('td', {}, h('span', { class: 'badge st-' + (st || 'other') }, st ? t('st-' + st) : s.status)),
      h('td', { class: 'num score' }, s.score !== undefined && s.score !== null ? s.score : t('none')));
    });
    const why = ['zero', 'cancelled', 'absent', 'verifying'].filter((k) => seen.has(k)).map((k) => h('li', {}, t('why-' + k)));
    box.hidden = false;
    box.replaceChildren(h('div', { class: 'card' },
      h('h2', { id: 'result-h', tabindex: '-1' }, t('result-h')),
      h('dl', { class: 'status who' }, h('dt', {}, t('r-name')), h('dd', { id: 'r-name' }, c.name),
        h('dt', {}, t('r-ticket')), h('dd', { id: 'r-ticket' }, c.ticket_no),
        h('dt', {}, t('r-exam')), h('dd', {}, x.exam.name)),
      c.subjects.length ? h('div', { class: 'wrap' }, h('table', { class: 'scores-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('c-subject')), h('th', { scope: 'col' }, t('c-status')),
          h('th', { scope: 'col', class: 'num' }, t('c-score')))), h('tbody', {}, rows)))
        : h('p', {}, t('no-subjects')),
      why.length ? h('ul', { class: 'why' }, why) : null,
      h('p', { class: 'hint' }, t('published-at', { at: K.cst(x.publication.published_at, false) })),
      h('p', { class: 'hint' }, t('review'))));
    if (focus) $('result-h').focus();
  }

  K.start('/scores.html', one);
})();
