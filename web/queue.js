// The reviewer's queue (REG-6): log in, pick an exam, see how many registrations wait and
// since when, approve (one or a page at once) or reject with the reason the candidate reads.
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
    const st = h('select', { id: 'status', name: 'status' }, ['submitted', 'approved', 'rejected', 'void'].map((s) => h('option', { value: s }, t(s))));
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
    async function load() {
      fresh();
      const r = await api('GET', '/api/v1/registrations?limit=200&exam_id=' + sel.value + '&status=' + st.value);
      if (r.status !== 200) return err(r);
      const c = r.json.counts || {};
      const counts = h('div', { class: 'counts' }, ['submitted', 'approved', 'rejected', 'void'].map((s) => h('span', {}, t(s) + ' ', h('b', {}, String(c[s] || 0)))),
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
              h('button', { class: 'btn', type: 'button', onclick: () => { why.hidden = false; send.hidden = false; why.focus(); } }, t('reject')), why, send)
              : h('span', {}, t(x.status), x.review_reason ? '：' + x.review_reason : '')));
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
      box.replaceChildren(counts, rows.length ? h('div', { class: 'wrap' }, table) : h('p', {}, t('none')), bulk || '');
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
