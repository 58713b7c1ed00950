// The public query of the qualification-exam integrity archive (Order No. 31 art. 12: the
// archive is queryable by employers and the public; SPEC INF-5(5)), no login, phone first:
// /integrity.html posts the identity number and the name to /api/v1/public/integrity_lookup
// and shows the records in term today — the exam, the act and the article cited, the term,
// the deciding unit and the decision number — or the one answer for everything else
// (INTEGRITY_NO_MATCH: an unknown number, a wrong name and no record in term read alike).
// The civil-service recruitment archive is not public (VH 15: shared as credit information
// under the rules) and is never shown here. A 429 counts down its Retry-After. Nothing typed
// is kept (no storage, nothing in the address).
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '诚信档案查询', title: '专业技术人员资格考试诚信档案查询', skip: '跳到正文', loading: '加载中…',
      notices: '考试公告', verify: '证书查验', portal: '考生服务',
      lead: '按证件号码和姓名，查询某人在专业技术人员资格考试诚信档案库中当前有效的违纪违规记录（《专业技术人员资格考试违纪违规行为处理规定》第十二条：诚信档案库供用人单位和社会查询）。',
      scope: '只能查询专业技术人员资格考试诚信档案；公务员录用诚信档案按规定进行信用信息共享，不在此公开查询。记录期满或处理决定撤销后立即不再显示。',
      idno: '证件号码', 'idno-hint': '居民身份证号码等，字母不区分大小写。', name: '姓名', 'name-hint': '须与档案记录中的姓名一致。',
      send: '查询', busy: '正在查询…', 'need-idno': '请填写证件号码。', 'need-name': '请填写姓名。',
      offline: '无法连接服务器，请检查网络后重试。', 'retry-in': '{s} 秒后可以再次查询。', 'retry-now': '现在可以再次查询。',
      'result-h': '查询结果', 'found': '有 {n} 条在有效期内的记录', 'as-of': '截至 {d}（北京时间）',
      'none-h': '未查询到记录',
      'f-exam': '考试', 'f-act': '违纪违规行为', 'f-basis': '依据', 'f-penalty': '处理', 'f-term': '记录期限', 'f-unit': '作出决定的单位',
      'f-number': '决定书编号', 'f-date': '决定日期', 'term': '{a} 至 {b}', 'long-term': '{a} 起长期记录', 'record': '诚信档案记录',
      privacy: '本页不保存您输入的信息；证件号码遮挡显示。查询次数有限制，请勿频繁查询。',
    },
    en: {
      brand: 'Integrity archive', title: 'Query the qualification-exam integrity archive', skip: 'Skip to the content', loading: 'Loading…',
      notices: 'Exam notices', verify: 'Certificate check', portal: 'Candidates',
      lead: 'By identity number and name, see the violation records in term in the integrity archive of professional-qualification exams (MOHRSS Order No. 31 art. 12: the archive is open to employers and the public).',
      scope: 'Only the qualification-exam archive can be queried here; the civil-service recruitment archive is shared as credit information under the rules and is not public. A record disappears the moment its term ends or its decision is revoked.',
      idno: 'Identity number', 'idno-hint': 'Resident ID number or other document; letters in either case.', name: 'Name', 'name-hint': 'As in the record.',
      send: 'Query', busy: 'Querying…', 'need-idno': 'Enter the identity number.', 'need-name': 'Enter the name.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'retry-in': 'You can query again in {s} s.', 'retry-now': 'You can query again now.',
      'result-h': 'Result', 'found': '{n} record(s) in term', 'as-of': 'as of {d} (China time)',
      'none-h': 'No record found',
      'f-exam': 'Exam', 'f-act': 'Act', 'f-basis': 'Basis', 'f-penalty': 'Penalty', 'f-term': 'Term', 'f-unit': 'Decided by',
      'f-number': 'Decision number', 'f-date': 'Decision date', 'term': '{a} to {b}', 'long-term': 'long-term, from {a}', 'record': 'Integrity archive record',
      privacy: 'Nothing you type is kept by this page; the identity number is shown masked. Queries are limited; please do not repeat them needlessly.',
    },
  };
  const K = kwPublic(TEXT);
  const { t, h } = K;
  const $ = (id) => document.getElementById(id);
  const S = { result: null, none: null, retryAt: 0, timer: 0 };

  const field = (id, label, hint, el) => h('div', { class: 'field' }, h('label', { for: id }, label), el,
    h('span', { class: 'hint', id: id + '-hint' }, hint), h('span', { class: 'err', id: id + '-err' }));
  function fieldError(el, text) { el.setAttribute('aria-invalid', 'true'); $(el.id + '-err').textContent = text; }
  function clear(els) { els.forEach((el) => { el.removeAttribute('aria-invalid'); $(el.id + '-err').textContent = ''; }); }

  function render() {
    const kept = ['idno', 'name'].map((k) => ($(k) ? $(k).value : ''));
    const idno = h('input', { id: 'idno', name: 'id_number', maxlength: '40', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', 'aria-describedby': 'idno-hint idno-err' });
    const name = h('input', { id: 'name', name: 'name', maxlength: '100', autocomplete: 'off', 'aria-describedby': 'name-hint name-err' });
    [idno.value, name.value] = kept;
    const form = h('form', { id: 'lookup', class: 'card', novalidate: true, 'aria-labelledby': 'lookup-h' }, h('h2', { id: 'lookup-h' }, t('brand')),
      field('idno', t('idno'), t('idno-hint'), idno), field('name', t('name'), t('name-hint'), name),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary send', id: 'send' }, t('send'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clear([idno, name]);
      const body = { id_number: idno.value.trim().toUpperCase(), name: name.value.trim() };
      const miss = [[idno, 'need-idno', body.id_number], [name, 'need-name', body.name]].filter((x) => !x[2]);
      if (miss.length) { miss.forEach(([el, k]) => fieldError(el, t(k))); miss[0][0].focus(); return; }
      query(body);
    });
    K.view().replaceChildren(h('h1', { id: 'title-h' }, t('title')), h('p', { class: 'lead' }, t('lead')), h('p', { class: 'hint', id: 'scope' }, t('scope')), form,
      h('div', { id: 'msg', 'aria-live': 'polite' }), h('section', { id: 'result', 'aria-labelledby': 'result-h', hidden: true }),
      h('p', { class: 'hint privacy' }, t('privacy')));
    if (S.result) show(false);
    waitRetry();
  }

  async function query(body) {
    if (Date.now() < S.retryAt) return;
    const msg = $('msg');
    $('send').disabled = true;
    msg.replaceChildren(h('p', { class: 'hint', role: 'status' }, t('busy')));
    let r, json = null;
    try {
      r = await fetch('/api/v1/public/integrity_lookup', { method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': K.lang }, body: JSON.stringify(body) });
      try { json = await r.json(); } catch (e) { json = null; }
    } catch (e) {
      r = null;
    }
    $('send').disabled = false;
    const err = json && json.error;
    if (r && r.ok && json && Array.isArray(json.items)) {
      msg.replaceChildren();
      S.result = json;
      show(true);
      return;
    }
    S.result = null;
    $('result').hidden = true;
    if (r && r.status === 404 && err && err.code === 'INTEGRITY_NO_MATCH') {
      // the one answer for a wrong name, an unknown number and nothing in term
      msg.replaceChildren(h('div', { class: 'card verdict-card v-none', id: 'none', 'data-code': err.code },
        h('h2', { tabindex: '-1', id: 'none-h' }, t('none-h')), h('p', {}, err.message)));
      $('none-h').focus();
      return;
    }
    const kids = [h('p', {}, !r ? t('offline') : (err && err.message) || 'HTTP ' + r.status)];
    if (r && r.status === 429) {
      const s = Math.max(1, parseInt(r.headers.get('Retry-After'), 10) || 60);
      S.retryAt = Date.now() + s * 1000;
      kids.push(h('p', { class: 'countdown', id: 'retry' }));
    }
    msg.replaceChildren(h('div', { class: 'alert', role: 'alert', 'data-code': (err && err.code) || '' }, kids));
    waitRetry();
  }
  function waitRetry() {
    clearInterval(S.timer);
    const tick = () => {
      const left = Math.ceil((S.retryAt - Date.now()) / 1000);
      if ($('send')) $('send').disabled = left > 0;
      const line = $('retry');
      if (line) line.textContent = left > 0 ? t('retry-in', { s: left }) : t('retry-now');
      if (left <= 0) clearInterval(S.timer);
    };
    if (S.retryAt > Date.now()) S.timer = setInterval(tick, 1000);
    tick();
  }

  function show(focus) {
    const v = S.result;
    const en = K.lang === 'en';
    const item = (x, i) => {
      const a = x.act || {};
      const facts = [];
      const fact = (k, val) => { if (val) facts.push(h('dt', {}, t(k)), h('dd', {}, val)); };
      fact('f-exam', x.exam_name);
      fact('f-act', en ? a.act_en || a.act_zh : a.act_zh);
      fact('f-basis', a.regulation_zh ? (en ? (a.regulation_en || a.regulation_zh) + ' · ' + (a.citation_zh || '') : '《' + a.regulation_zh + '》' + (a.citation_zh || '')) : null);
      fact('f-penalty', en ? a.penalty_en || a.penalty_zh : a.penalty_zh);
      fact('f-term', x.long_term ? t('long-term', { a: x.term_start }) : t('term', { a: x.term_start, b: x.term_end }));
      fact('f-unit', x.deciding_unit);
      fact('f-number', x.decision_number);
      fact('f-date', x.decision_date);
      return h('li', { class: 'card record', id: 'record-' + (i + 1) }, h('h3', {}, t('record') + ' ' + (i + 1)), h('dl', { class: 'status who' }, facts));
    };
    const box = $('result');
    box.hidden = false;
    box.replaceChildren(h('div', { class: 'card verdict-card v-found', 'data-verdict': 'found' },
      h('h2', { id: 'result-h', tabindex: '-1' }, t('result-h')),
      h('p', { class: 'verdict', id: 'verdict' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, '!'), ' ', t('found', { n: v.items.length })),
      h('p', { class: 'hint' }, v.name + ' · ' + v.id_number + ' · ' + t('as-of', { d: v.as_of })),
      h('ol', { class: 'records' }, v.items.map(item))));
    if (focus) $('result-h').focus();
  }

  function chrome() {
    document.documentElement.lang = K.lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === K.lang)));
    document.title = t('title') + ' · kaowu';
    render();
  }
  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    K.lang = b.dataset.lang;
    document.cookie = 'lang=' + K.lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    chrome();
  }));
  chrome();
})();
