// The reviewer's queue (REG-6): log in, pick an exam, see how many registrations wait and
// since when, approve (one or a page at once) or reject with the reason the candidate reads;
// the exam's verification tasks (待核查任务) in one list, each leading to its registration's
// verification panel.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '资格审查', title: '资格审查队列', username: '用户名', password: '密码', login: '登录', logout: '退出',
      exam: '考试', load: '查看', status: '状态', submitted: '待审核', approved: '审核通过', rejected: '审核未通过', void: '报名无效',
      oldest: '最早一份提交于 {at}', none: '没有待处理的报名。', candidate: '考生', idn: '证件号码', position: '职位 / 科目',
      at: '提交时间（北京时间）', route: '方式', pledge: '告知承诺', proof: '证明材料', actions: '审核', approve: '通过',
      reject: '不通过', reason: '不通过的理由（考生可见）', 'reject-send': '确认不通过', 'approve-page': '通过选中的报名',
      select: '选择', done: '已处理 {n} 份。', 'need-reason': '请填写不通过的理由。', more: '加载更多',
      photo: '照片', 'no-photo': '无照片', 'photo-alt': '{name}的报名照片', enlarge: '放大或缩小照片',
      'no-proofs': '未上传证明材料', proofs: '{name}的证明材料', download: '下载', loading: '加载中…',
      cancelled: '已取消资格', verify: '核查', 'v-of': '{name}的核查记录', 'v-none': '没有核查记录。',
      'v-targeted': '发起定向核查', 'v-reason': '核查理由', 'v-open': '发起', 'v-onsite': '现场审核记录',
      'v-identity': '身份证件', 'v-education': '学历学位', 'v-work': '工作经历', 'v-originals': '原件已当场退还',
      'v-record': '记录现场审核', 'v-decide': '作出结论', 'v-outcome': '结论', 'v-finding': '核查情况（考生可见）',
      'v-referral': '移送线索（可选）', 'v-archive': '记入资格考试诚信档案至（可选）',
      'k-sample': '随机抽查', 'k-targeted': '定向核查', 'k-on_site': '现场审核', 'k-ban': '禁考复核',
      'o-confirmed': '属实', 'o-discrepancy': '有出入', 'o-false_pledge': '虚假承诺（报名无效）',
      'o-false_information': '提供虚假信息（报名无效）', 'o-banned': '在禁考期内（取消资格）', open: '待核查', closed: '已结论',
      sample: '随机抽取核查样本', 'sample-size': '样本数', 'sample-done': '已抽取 {size} 份（共 {population} 份）。种子 {seed}，承诺值 {commitment}。可用 kaowu draw shuffle 复现。',
      bans: '禁考复核', 'bans-done': '已复核 {checked} 份，发现 {opened} 份需核查。', 'bans-none': '该考试不是公务员录用考试：禁考不适用。',
      'need-finding': '请填写核查情况。',
      tasks: '待核查任务', 'tasks-counts': '待核查 {open} 项，已结论 {closed} 项', 'tasks-none': '没有符合条件的核查任务。',
      'tasks-kind': '类型', 'tasks-all': '全部类型', 'tasks-status': '任务状态', 'tasks-show': '筛选', 'tasks-by': '发起人',
      'tasks-at': '发起时间（北京时间）', 'tasks-due': '核查期限', overdue: '已逾期', 'tasks-open-reg': '查看报名',
      'tasks-open-label': '查看报名：{name}', 'tasks-gone': '在当前列表中找不到这份报名（可能已翻过 200 条）。',
      'tasks-system': '系统',
    },
    en: {
      brand: 'Qualification review', title: 'Review queue', username: 'Username', password: 'Password', login: 'Log in', logout: 'Log out',
      exam: 'Exam', load: 'Show', status: 'Status', submitted: 'Awaiting review', approved: 'Approved', rejected: 'Rejected', void: 'Void',
      oldest: 'Oldest submitted at {at}', none: 'Nothing waits.', candidate: 'Candidate', idn: 'Document', position: 'Position / subjects',
      at: 'Submitted (China time)', route: 'Route', pledge: 'Pledge', proof: 'Proof', actions: 'Review', approve: 'Approve',
      reject: 'Reject', reason: 'Reason (the candidate reads it)', 'reject-send': 'Reject', 'approve-page': 'Approve the selected',
      select: 'Select', done: '{n} decided.', 'need-reason': 'Give the reason for rejecting.', more: 'Load more',
      photo: 'Photo', 'no-photo': 'No photo', 'photo-alt': 'Registration photo of {name}', enlarge: 'Enlarge or shrink the photo',
      'no-proofs': 'No proof material uploaded', proofs: 'Proof materials of {name}', download: 'Download', loading: 'Loading…',
      cancelled: 'Cancelled', verify: 'Verification', 'v-of': 'Verifications of {name}', 'v-none': 'No verification yet.',
      'v-targeted': 'Open a targeted check', 'v-reason': 'Reason', 'v-open': 'Open', 'v-onsite': 'On-site review record',
      'v-identity': 'Identity document', 'v-education': 'Education and degree', 'v-work': 'Work history', 'v-originals': 'Originals returned on the spot',
      'v-record': 'Record the on-site review', 'v-decide': 'Decide', 'v-outcome': 'Outcome', 'v-finding': 'Finding (the candidate reads it)',
      'v-referral': 'Referral (optional)', 'v-archive': 'Record in the qualification archive until (optional)',
      'k-sample': 'Random sample', 'k-targeted': 'Targeted', 'k-on_site': 'On site', 'k-ban': 'Ban found',
      'o-confirmed': 'Confirmed', 'o-discrepancy': 'Discrepancy', 'o-false_pledge': 'False pledge (void)',
      'o-false_information': 'False information (void)', 'o-banned': 'Inside a ban (cancelled)', open: 'Open', closed: 'Decided',
      sample: 'Draw a verification sample', 'sample-size': 'Sample size', 'sample-done': '{size} drawn of {population}. Seed {seed}, commitment {commitment}. Replay with kaowu draw shuffle.',
      bans: 'Check bans', 'bans-done': '{checked} checked, {opened} to verify.', 'bans-none': 'Not a civil-service exam: bans do not apply.',
      'need-finding': 'Give the finding.',
      tasks: 'Verification tasks', 'tasks-counts': '{open} open, {closed} decided', 'tasks-none': 'No verification task matches.',
      'tasks-kind': 'Kind', 'tasks-all': 'Every kind', 'tasks-status': 'Task status', 'tasks-show': 'Filter', 'tasks-by': 'Opened by',
      'tasks-at': 'Opened (China time)', 'tasks-due': 'Due', overdue: 'Overdue', 'tasks-open-reg': 'Open the registration',
      'tasks-open-label': 'Open the registration: {name}', 'tasks-gone': 'This registration is not in the list shown (beyond the first 200?).',
      'tasks-system': 'System',
    },
  };
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!TEXT[lang]) lang = 'zh-CN';
  const t = (k, v) => String(TEXT[lang][k] ?? k).replace(/\{(\w+)\}/g, (_, x) => (v && v[x] !== undefined ? v[x] : ''));
  const $ = (id) => document.getElementById(id);
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  }
  let token = sessionStorage.getItem('kw_staff') || '';
  async function api(method, path, body) {
    const headers = { 'Accept-Language': lang };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    if (r.status === 401 && token) { token = ''; sessionStorage.removeItem('kw_staff'); viewLogin(); }
    return { status: r.status, json };
  }
  // Bytes behind the bearer token (an <img src> or a plain link cannot send it).
  async function fetchBlob(path) {
    const headers = { 'Accept-Language': lang };
    if (token) headers.Authorization = 'Bearer ' + token;
    const r = await fetch(path, { headers });
    if (r.ok) return { status: r.status, blob: await r.blob() };
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    return { status: r.status, json };
  }
  // The CSP allows data: images, not blob: ones.
  const dataURL = (blob) => new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(fr.result);
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(blob);
  });
  const fileSize = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB');
  const fileKind = (mt) => ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' })[mt] || mt;
  const flash = (m, ok) => $('flash').replaceChildren(m ? h('div', { class: ok ? 'alert ok' : 'alert', role: 'alert' }, m) : '');
  const err = (r) => flash((r.json && r.json.error && r.json.error.message) || String(r.status));
  const cst = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');

  function viewLogin() {
    const f = h('form', { class: 'card' },
      h('div', { class: 'field' }, h('label', { for: 'u' }, t('username')), h('input', { id: 'u', name: 'username', autocomplete: 'username', required: true })),
      h('div', { class: 'field' }, h('label', { for: 'p' }, t('password')), h('input', { id: 'p', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
      h('button', { class: 'btn primary', type: 'submit' }, t('login')));
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const g = new FormData(f);
      const r = await api('POST', '/api/v1/session', { username: g.get('username'), password: g.get('password') });
      if (r.status !== 201) return err(r);
      token = r.json.token;
      sessionStorage.setItem('kw_staff', token);
      flash('');
      viewQueue();
    });
    $('view').replaceChildren(f);
  }

  async function viewQueue() {
    const ex = await api('GET', '/api/v1/public/exams');
    if (ex.status !== 200) return err(ex);
    const sel = h('select', { id: 'exam', name: 'exam' }, ex.json.items.map((e) => h('option', { value: e.id }, e.name)));
    const st = h('select', { id: 'status', name: 'status' }, ['submitted', 'approved', 'rejected', 'void', 'cancelled'].map((s) => h('option', { value: s }, t(s))));
    const box = h('div', {});
    const bar = h('form', { class: 'row' }, h('label', { for: 'exam' }, t('exam')), sel, h('label', { for: 'status' }, t('status')), st,
      h('button', { class: 'btn primary', type: 'submit' }, t('load')),
      h('button', { class: 'btn', type: 'button', onclick: async () => { await api('DELETE', '/api/v1/session'); token = ''; sessionStorage.removeItem('kw_staff'); viewLogin(); } }, t('logout')));
    bar.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
    $('view').replaceChildren(bar, box);
    // Photos and proof lists load only for the rows scrolled into view.
    let seen = null;
    const later = new Map();
    function lazy(el, fn) {
      if (!seen) return fn();
      later.set(el, fn);
      seen.observe(el);
    }
    function fresh() {
      if (seen) seen.disconnect();
      later.clear();
      seen = 'IntersectionObserver' in window ? new IntersectionObserver((es) => {
        for (const e of es) {
          if (!e.isIntersecting) continue;
          seen.unobserve(e.target);
          const fn = later.get(e.target);
          later.delete(e.target);
          if (fn) fn();
        }
      }, { rootMargin: '200px' }) : null;
    }
    function photo(x) {
      const cell = h('div', { class: 'thumb' }, h('span', { class: 'hint' }, t('loading')));
      lazy(cell, async () => {
        const r = await fetchBlob('/api/v1/registrations/' + x.id + '/photo');
        if (!r.blob) {
          const e = r.json && r.json.error;
          return cell.replaceChildren(h('span', { class: 'hint' }, r.status === 404 ? t('no-photo') : (e && e.message) || String(r.status)));
        }
        const img = h('img', { src: await dataURL(r.blob), alt: t('photo-alt', { name: x.candidate_name }) });
        const b = h('button', { type: 'button', class: 'thumb-btn', title: t('enlarge'), 'aria-pressed': 'false' }, img);
        b.addEventListener('click', () => b.setAttribute('aria-pressed', String(b.getAttribute('aria-pressed') !== 'true')));
        cell.replaceChildren(b);
      });
      return cell;
    }
    function proofs(x) {
      const list = h('ul', { class: 'files', 'aria-label': t('proofs', { name: x.candidate_name }) }, h('li', { class: 'hint' }, t('loading')));
      lazy(list, async () => {
        const base = '/api/v1/registrations/' + x.id + '/proofs';
        const r = await api('GET', base);
        if (r.status !== 200) return list.replaceChildren(h('li', { class: 'hint' }, (r.json && r.json.error && r.json.error.message) || String(r.status)));
        const items = r.json.items;
        list.replaceChildren(...(items.length ? items.map((f) => {
          const name = f.label.replace(/[\\/:*?"<>|]/g, '_') + (f.media_type === 'application/pdf' ? '.pdf' : '.jpg');
          const path = base + '/' + f.id;
          return h('li', {}, h('a', { href: path, download: name, title: t('download'), onclick: async (ev) => {
            ev.preventDefault();
            const d = await fetchBlob(path);
            if (!d.blob) return err(d);
            const url = URL.createObjectURL(d.blob);
            const a = h('a', { href: url, download: name, hidden: true });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60000);
          } }, f.label), ' ', h('span', { class: 'hint' }, fileKind(f.media_type) + ' · ' + fileSize(f.size)));
        }) : [h('li', { class: 'hint' }, t('no-proofs'))]));
      });
      return list;
    }
    // REG-6: a random sample for ex-post verification and the ban check, for the exam's
    // staff (others get the server's refusal, shown as it comes).
    function examTools() {
      const size = h('input', { type: 'number', min: 1, max: 10000, value: 20, id: 'sample-size' });
      const out = h('p', { 'aria-live': 'polite', id: 'exam-tools-out' });
      return h('div', { class: 'row tools' }, h('label', { for: 'sample-size' }, t('sample-size')), size,
        h('button', { class: 'btn', type: 'button', id: 'sample', onclick: async () => {
          const r = await api('POST', '/api/v1/exams/' + sel.value + '/verification_samples', { size: Number(size.value) });
          if (r.status !== 201) return err(r);
          out.textContent = t('sample-done', r.json);
        } }, t('sample')),
        h('button', { class: 'btn', type: 'button', id: 'bans', onclick: async () => {
          const r = await api('POST', '/api/v1/exams/' + sel.value + '/ban_checks');
          if (r.status !== 200) return err(r);
          out.textContent = r.json.civil_service ? t('bans-done', r.json) : t('bans-none');
        } }, t('bans')), out);
    }
    // A registration's verifications: the list, open a targeted check, record an on-site
    // review, decide an open one. Loaded when opened.
    function verifications(x) {
      const body = h('div', { class: 'verify' });
      const det = h('details', { class: 'verify-box' }, h('summary', {}, t('verify')), body);
      const base = '/api/v1/registrations/' + x.id + '/verifications';
      async function show() {
        const r = await api('GET', base);
        if (r.status !== 200) return body.replaceChildren(h('p', { class: 'hint' }, (r.json && r.json.error && r.json.error.message) || String(r.status)));
        render(r.json.items);
      }
      function decideForm(v) {
        const id = 'v' + v.id;
        const outcome = h('select', { id: id + '-o' }, ['confirmed', 'false_information', 'false_pledge', 'banned'].map((o) => h('option', { value: o }, t('o-' + o))));
        const finding = h('textarea', { id: id + '-f', maxlength: 2000 });
        const referral = h('input', { id: id + '-r', maxlength: 2000 });
        const until = h('input', { id: id + '-a', type: 'date' });
        const f = h('form', { class: 'stack' },
          h('label', { for: id + '-o' }, t('v-outcome')), outcome, h('label', { for: id + '-f' }, t('v-finding')), finding,
          h('label', { for: id + '-r' }, t('v-referral')), referral, h('label', { for: id + '-a' }, t('v-archive')), until,
          h('button', { class: 'btn primary', type: 'submit' }, t('v-decide')));
        f.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          if (!finding.value.trim()) { flash(t('need-finding')); finding.focus(); return; }
          const b = { outcome: outcome.value, finding: finding.value.trim() };
          if (referral.value.trim()) b.referral = referral.value.trim();
          if (until.value) b.archive_until = until.value;
          const d = await api('POST', '/api/v1/verifications/' + v.id + '/decision', b);
          if (d.status !== 200) return err(d);
          flash(t('done', { n: 1 }), true);
          await show();
        });
        return f;
      }
      function render(items) {
        const list = items.length ? h('ul', { class: 'files', 'aria-label': t('v-of', { name: x.candidate_name }) }, items.map((v) => h('li', {},
          h('b', {}, t('k-' + v.kind)), ' · ', t(v.status), v.outcome ? ' · ' + t('o-' + v.outcome) : '',
          v.reason ? h('div', { class: 'hint' }, v.reason) : null, v.finding ? h('div', {}, v.finding) : null,
          v.originals_returned ? h('div', { class: 'hint' }, t('v-originals')) : null,
          v.status === 'open' ? decideForm(v) : null))) : h('p', { class: 'hint' }, t('v-none'));
        const reason = h('input', { id: 'vr' + x.id, maxlength: 500 });
        const target = h('form', { class: 'row' }, h('label', { for: 'vr' + x.id }, t('v-reason')), reason, h('button', { class: 'btn', type: 'submit' }, t('v-targeted')));
        target.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          const d = await api('POST', base, { kind: 'targeted', reason: reason.value.trim() });
          if (d.status !== 201) return err(d);
          render(d.json.items);
        });
        const items3 = [['identity', 'v-identity'], ['education', 'v-education'], ['work_years', 'v-work']];
        const boxes = items3.map(([k, l]) => [k, h('input', { type: 'checkbox', id: 'vc' + x.id + k, checked: true })]);
        const orig = h('input', { type: 'checkbox', id: 'vo' + x.id });
        const onsite = h('form', { class: 'row' }, h('span', {}, t('v-onsite') + '：'),
          ...boxes.map(([k, b], i) => h('label', { for: b.id }, b, ' ', t(items3[i][1]))),
          h('label', { for: orig.id }, orig, ' ', t('v-originals')), h('button', { class: 'btn', type: 'submit' }, t('v-record')));
        onsite.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          const checks = {};
          for (const [k, b] of boxes) checks[k] = b.checked ? 'ok' : 'not_ok';
          const d = await api('POST', base, { kind: 'on_site', checks, originals_returned: orig.checked });
          if (d.status !== 201) return err(d);
          render(d.json.items);
        });
        body.replaceChildren(list, target, onsite);
      }
      det.addEventListener('toggle', () => { if (det.open) show(); });
      return det;
    }
    // REG-6: the exam's verification tasks the reviewer may act on, with counts; each row
    // opens its registration in the queue with the verification panel unfolded.
    function tasksPanel(state) {
      const id = 'tasks-h';
      const counts = h('p', { class: 'task-counts', id: 'tasks-counts' });
      const status = h('select', { id: 'task-status' }, ['open', 'closed'].map((x) => h('option', { value: x }, t(x))));
      const kind = h('select', { id: 'task-kind' }, h('option', { value: '' }, t('tasks-all')),
        ['sample', 'targeted', 'ban', 'on_site'].map((x) => h('option', { value: x }, t('k-' + x))));
      status.value = state.status;
      kind.value = state.kind;
      const filter = h('form', { class: 'row' }, h('label', { for: 'task-status' }, t('tasks-status')), status,
        h('label', { for: 'task-kind' }, t('tasks-kind')), kind, h('button', { class: 'btn', type: 'submit' }, t('tasks-show')));
      const tbody = h('tbody', {});
      const table = h('table', { 'aria-labelledby': id }, h('thead', {}, h('tr', {},
        [t('candidate'), t('idn'), t('position'), t('tasks-kind'), t('tasks-by'), t('tasks-at'), t('tasks-due'), t('status'), ''].map((x) => h('th', { scope: 'col' }, x)))), tbody);
      const wrap = h('div', { class: 'wrap' }, table);
      const none = h('p', { class: 'hint' }, t('tasks-none'));
      const more = h('button', { class: 'btn', type: 'button', hidden: true }, t('more'));
      const section = h('section', { class: 'tasks', id: 'tasks', 'aria-labelledby': id }, h('h2', { id }, t('tasks')), counts, filter, wrap, none, more);
      let cursor = null;
      const row = (v) => h('tr', { 'data-task': v.id },
        h('td', {}, v.candidate_name), h('td', {}, v.id_number),
        h('td', {}, v.position_code ? v.position_code + ' ' + (v.position_name || '') : (v.subjects || []).join('、')),
        h('td', {}, t('k-' + v.kind), v.reason ? h('div', { class: 'hint' }, v.reason) : null),
        h('td', {}, v.created_by_name || t('tasks-system')), h('td', {}, cst(v.created_at)),
        h('td', {}, v.due || '—', v.overdue ? [' ', h('span', { class: 'badge overdue' }, t('overdue'))] : null),
        h('td', {}, t(v.status), v.outcome ? ' · ' + t('o-' + v.outcome) : ''),
        h('td', {}, h('button', { class: 'btn', type: 'button', 'aria-label': t('tasks-open-label', { name: v.candidate_name }),
          onclick: () => openReg(v.registration_id, v.registration_status) }, t('tasks-open-reg'))));
      async function fetchPage(first) {
        const q = new URLSearchParams({ status: status.value, limit: '50' });
        if (kind.value) q.set('kind', kind.value);
        if (!first && cursor) q.set('cursor', cursor);
        const r = await api('GET', '/api/v1/exams/' + sel.value + '/verification_tasks?' + q);
        if (r.status !== 200) {
          counts.replaceChildren();
          wrap.hidden = true;
          more.hidden = true;
          none.textContent = (r.json && r.json.error && r.json.error.message) || String(r.status);
          none.hidden = false;
          return;
        }
        const c = r.json.counts || {};
        const byKind = c.open_by_kind || {};
        counts.replaceChildren(h('span', {}, t('tasks-counts', c)),
          ...['sample', 'targeted', 'ban', 'on_site'].filter((k) => byKind[k]).map((k) => h('span', { class: 'hint' }, t('k-' + k) + ' ', h('b', {}, String(byKind[k])))));
        if (first) tbody.replaceChildren();
        tbody.append(...r.json.items.map(row));
        none.textContent = t('tasks-none');
        none.hidden = tbody.children.length > 0;
        wrap.hidden = !none.hidden;
        cursor = r.json.next_cursor;
        more.hidden = !cursor;
      }
      filter.addEventListener('submit', (ev) => {
        ev.preventDefault();
        state.status = status.value;
        state.kind = kind.value;
        fetchPage(true);
      });
      more.addEventListener('click', () => fetchPage(false));
      fetchPage(true);
      return section;
    }
    const taskState = { status: 'open', kind: '' };
    // The registration of a task, in the queue: its status shown, its row found, its
    // verification panel unfolded.
    async function openReg(regId, regStatus) {
      if ([...st.options].some((o) => o.value === regStatus)) st.value = regStatus;
      await load();
      const tr = box.querySelector('tr[data-id="' + regId + '"]');
      if (!tr) return flash(t('tasks-gone'));
      const det = tr.querySelector('details.verify-box');
      tr.classList.add('hit');
      tr.scrollIntoView({ block: 'center' });
      if (det) {
        det.open = true;
        det.querySelector('summary').focus();
      }
    }
    async function load() {
      fresh();
      const r = await api('GET', '/api/v1/registrations?limit=200&exam_id=' + sel.value + '&status=' + st.value);
      if (r.status !== 200) return err(r);
      const c = r.json.counts || {};
      const counts = h('div', { class: 'counts' }, ['submitted', 'approved', 'rejected', 'void', 'cancelled'].map((s) => h('span', {}, t(s) + ' ', h('b', {}, String(c[s] || 0)))),
        r.json.oldest_submitted_at ? h('span', { class: 'hint' }, t('oldest', { at: cst(r.json.oldest_submitted_at) })) : null);
      const rows = r.json.items;
      const pending = st.value === 'submitted';
      const table = h('table', {}, h('thead', {}, h('tr', {}, pending ? h('th', { scope: 'col' }, t('select')) : null,
        [t('photo'), t('candidate'), t('idn'), t('position'), t('at'), t('route'), pending ? t('actions') : t('status')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows.map((x) => {
          const why = h('textarea', { 'aria-label': t('reason'), placeholder: t('reason'), maxlength: 500, hidden: true });
          const send = h('button', { class: 'btn', type: 'button', hidden: true, onclick: () => decide(x.id, 'reject', why.value) }, t('reject-send'));
          return h('tr', { 'data-id': x.id }, pending ? h('td', {}, h('input', { type: 'checkbox', 'aria-label': t('select') + ' ' + x.candidate_name, value: x.id })) : null,
            h('td', {}, photo(x)), h('td', {}, x.candidate_name), h('td', {}, x.id_number),
            h('td', {}, x.position_code ? x.position_code + ' ' + x.position_name : (x.subjects || []).join('、')),
            h('td', {}, cst(x.submitted_at)), h('td', {}, t(x.route), x.route === 'proof' ? proofs(x) : null),
            h('td', {}, pending ? h('div', { class: 'row' },
              h('button', { class: 'btn primary', type: 'button', onclick: () => decide(x.id, 'approve') }, t('approve')),
              h('button', { class: 'btn', type: 'button', onclick: () => { why.hidden = false; send.hidden = false; why.focus(); } }, t('reject')), why, send, verifications(x))
              : h('div', {}, h('span', {}, t(x.status), x.review_reason ? '：' + x.review_reason : ''), verifications(x))));
        })));
      const bulk = pending && rows.length ? h('button', { class: 'btn primary', type: 'button', onclick: async () => {
        const ids = [...table.querySelectorAll('input[type=checkbox]:checked')].map((i) => i.value);
        let n = 0;
        for (const id of ids) {
          const d = await api('POST', '/api/v1/registrations/' + id + '/review', { decision: 'approve' });
          if (d.status !== 200) { err(d); break; }
          n++;
        }
        await load();
        flash(t('done', { n }), true);
      } }, t('approve-page')) : null;
      box.replaceChildren(counts, examTools(), rows.length ? h('div', { class: 'wrap' }, table) : h('p', {}, t('none')), bulk || '', tasksPanel(taskState));
    }
    async function decide(id, decision, reason) {
      if (decision === 'reject' && !(reason || '').trim()) return flash(t('need-reason'));
      const d = await api('POST', '/api/v1/registrations/' + id + '/review', reason ? { decision, reason } : { decision });
      if (d.status !== 200) return err(d);
      await load();
      flash(t('done', { n: 1 }), true);
    }
    load();
  }
  function render() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    if (token) viewQueue(); else viewLogin();
  }
  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    lang = b.dataset.lang;
    document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    render();
  }));
  render();
})();
