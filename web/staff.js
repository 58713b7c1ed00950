// What the staff pages (seating, proctors, corrections) share: their text in the chosen
// language, elements, China time, the API with the console's session (the kw_session
// cookie, X-CSRF-Token on writes), messages, a confirmation dialog, the login form and the
// page's chrome (language buttons, logout). Each page keeps its own words (TEXT) and state
// (S: S.me is the signed-in account) and gives its start(), run again after a login.
'use strict';
window.kwStaff = function (TEXT, S, start) {
  const $ = (id) => document.getElementById(id);
  function cookie(name) {
    const m = document.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]+)'));
    return m ? decodeURIComponent(m[1]) : null;
  }
  const K = { $, cookie, lang: cookie('lang') };
  if (!TEXT[K.lang]) K.lang = 'zh-CN';

  // A message of the page's language (else Chinese, else the key), {name} filled from vars.
  K.t = function (key, vars) {
    let s = TEXT[K.lang][key];
    if (s === undefined) s = TEXT['zh-CN'][key];
    if (s === undefined) s = key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined && vars[k] !== null ? String(vars[k]) : m)) : s;
  };
  const t = K.t;
  K.has = (key) => TEXT[K.lang][key] !== undefined;
  K.h = function (tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'disabled') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  };
  const h = K.h;
  K.csrf = () => sessionStorage.getItem('kw_csrf') || cookie('kw_csrf') || '';

  // Times in China Standard Time, whatever the browser's zone: 2027-06-01 09:00:00, or to
  // the minute when withSeconds is false.
  const CST = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  K.cst = function (iso, withSeconds) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    const p = {};
    CST.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}` + (withSeconds === false ? '' : ':' + p.second);
  };

  // ---- the API: JSON, or a file (a Blob) as the body; every answer as {ok, status, json} ----
  function fileType(f) {
    if (f.type) return f.type;
    const n = (f.name || '').toLowerCase();
    if (/\.jpe?g$/.test(n)) return 'image/jpeg';
    if (/\.png$/.test(n)) return 'image/png';
    if (/\.pdf$/.test(n)) return 'application/pdf';
    return 'application/octet-stream';
  }
  K.api = async function (method, path, body) {
    const headers = { Accept: 'application/json', 'Accept-Language': K.lang };
    const raw = body instanceof Blob;
    if (method !== 'GET') headers['X-CSRF-Token'] = K.csrf();
    if (body !== undefined) headers['Content-Type'] = raw ? fileType(body) : 'application/json';
    let r;
    try {
      r = await fetch(path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body), credentials: 'same-origin' });
    } catch (e) {
      return { ok: false, status: 0, json: { error: { code: 'OFFLINE', message: t('offline') } } };
    }
    let json = null;
    if (r.status !== 204) {
      try { json = await r.json(); } catch (e) { json = null; }
    }
    if (!r.ok && (!json || !json.error)) json = { error: { code: 'HTTP_' + r.status, message: 'HTTP ' + r.status } };
    if (r.status === 401 && path !== '/api/v1/session' && S.me) {
      S.me = null;
      K.viewLogin(t('session-ended'));
    }
    return { ok: r.ok, status: r.status, json };
  };

  // ---- messages: the server's own words ----
  K.flash = function (msg, ok) {
    const box = $('flash');
    box.replaceChildren(msg ? h('div', { class: ok ? 'alert ok' : 'alert', role: ok ? null : 'alert' }, msg) : '');
    if (msg) box.scrollIntoView({ block: 'nearest' });
  };
  // An error answer in box (the page's flash by default): its message and code, then what
  // the page adds from its details (a table of shortfalls, say).
  K.showError = function (r, extra, box) {
    const e = (r.json && r.json.error) || { message: 'HTTP ' + r.status };
    const kids = [h('p', {}, e.message, e.code ? h('span', { class: 'hint' }, t('error-code', { code: e.code })) : null)];
    if (extra) kids.push(extra(e.details || {}));
    const where = box || $('flash');
    where.replaceChildren(h('div', { class: 'alert', role: 'alert' }, kids));
    where.scrollIntoView({ block: 'nearest' });
  };
  // The field problems of an error's details as a list (those a form shows beside its
  // fields left out by the page).
  K.fieldList = (fields) => (Array.isArray(fields) && fields.length
    ? h('ul', {}, fields.map((f) => h('li', {}, `${f.field}: ${f.message || f.problem}`))) : null);

  // A confirmation that names the consequence; with reason, it asks for one (resolves to its
  // text) and will not confirm without it.
  K.confirmBox = function (message, okText, opts) {
    const o = opts || {};
    return new Promise((resolve) => {
      const reason = o.reason ? h('textarea', { id: 'dlg-reason', rows: '3', maxlength: '1000' }) : null;
      const err = h('p', { class: 'field-err', id: 'dlg-err', hidden: true });
      const dlg = h('dialog', { class: 'confirm', 'aria-labelledby': 'dlg-msg' },
        h('form', { method: 'dialog' }, h('p', { id: 'dlg-msg' }, message),
          reason ? [h('label', { for: 'dlg-reason' }, t('reason-label')), reason, err] : null,
          h('div', { class: 'row' },
            h('button', { type: 'submit', value: 'ok', class: 'btn primary' + (o.danger ? ' danger' : ''), id: 'dlg-ok' }, okText || t('confirm')),
            h('button', { type: 'submit', value: 'cancel', class: 'btn', id: 'dlg-cancel' }, t('cancel')))));
      dlg.addEventListener('close', () => {
        dlg.remove();
        resolve(dlg.returnValue === 'ok' ? (reason ? reason.value.trim() : true) : false);
      });
      dlg.querySelector('form').addEventListener('submit', (ev) => {
        if (ev.submitter && ev.submitter.value === 'ok' && reason && !reason.value.trim()) {
          ev.preventDefault();
          err.textContent = t('need-reason');
          err.hidden = false;
          reason.focus();
        }
      });
      document.body.append(dlg);
      dlg.showModal();
      (reason || dlg.querySelector('#dlg-cancel')).focus();
    });
  };

  // ---- login (the console's: the same cookie session) ----
  K.viewLogin = function (msg) {
    K.renderWho();
    const err = h('p', { class: 'alert', role: 'alert', id: 'login-error', hidden: !msg }, msg || '');
    const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, maxlength: '64' });
    const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
    const form = h('form', { id: 'login', class: 'card', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      err.hidden = true;
      if (!user.value.trim() || !pass.value) { err.textContent = t('need-both'); err.hidden = false; return; }
      const r = await K.api('POST', '/api/v1/session', { username: user.value.trim(), password: pass.value });
      if (!r.ok) { err.textContent = r.json.error.message; err.hidden = false; return; }
      sessionStorage.setItem('kw_csrf', r.json.csrf_token);
      pass.value = '';
      start();
    } },
    h('h2', {}, t('login-title')),
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('username')), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('password')), pass),
    h('button', { type: 'submit', class: 'btn primary' }, t('login')), err);
    K.flash('');
    $('view').replaceChildren(form);
    user.focus();
  };
  K.renderWho = function () {
    $('who').hidden = !S.me;
    if (S.me) $('me-name').textContent = `${S.me.display_name} (${S.me.username})`;
  };

  // ---- chrome: the language buttons (the page redrawn by rerender) and logout ----
  function renderChrome() {
    document.documentElement.lang = K.lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === K.lang)));
    document.title = t('title') + ' · ' + (K.lang === 'en' ? 'kaowu' : '考务系统 kaowu');
  }
  K.chrome = function (rerender) {
    document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
      K.lang = b.dataset.lang;
      document.cookie = 'lang=' + K.lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
      renderChrome();
      if (S.me) rerender(); else K.viewLogin();
    }));
    $('logout').addEventListener('click', async () => {
      await K.api('DELETE', '/api/v1/session');
      sessionStorage.removeItem('kw_csrf');
      S.me = null;
      K.viewLogin();
    });
    renderChrome();
  };
  return K;
};
