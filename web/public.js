// What the public verification pages (seating runs, proctor draws) share: their text in the
// chosen language, elements, China time, the public API, the list of exams, and a draw's
// card — its facts, the browser's own checks (the revealed seed against its commitment, the
// inputs file against its digest, SHA-256 by Web Crypto) and the kaowu command that re-runs
// the draw. Each page keeps its own words (TEXT: the keys used here are the same on both).
'use strict';
window.kwPublic = function (TEXT) {
  const K = { lang: (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1] };
  if (!TEXT[K.lang]) K.lang = 'zh-CN';
  // A message of the page's language, {name} filled from vars (left empty when missing).
  const t = (K.t = (k, v) => String(TEXT[K.lang][k] ?? k).replace(/\{(\w+)\}/g, (_, x) => (v && v[x] !== undefined ? v[x] : '')));
  K.has = (k) => TEXT[K.lang][k] !== undefined;
  const h = (K.h = function (tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  });
  // Times in China Standard Time, whatever the browser's zone: 2027-06-01 09:00:00, or to
  // the minute when withSeconds is false.
  const CST = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  K.cst = function (iso, withSeconds) {
    if (!iso) return null;
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    const p = {};
    CST.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}` + (withSeconds === false ? '' : ':' + p.second);
  };
  K.get = async (p) => {
    const r = await fetch(p, { headers: { 'Accept-Language': K.lang } });
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    return { status: r.status, json };
  };
  K.view = () => document.getElementById('view');
  K.hex = (v) => h('code', { class: 'hex' }, v);

  // ---- SHA-256 in the browser (Web Crypto: a secure context, which 127.0.0.1 and HTTPS are) ----
  const canHash = () => !!(window.crypto && window.crypto.subtle);
  const toHex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
  async function sha256(bytes) { return toHex(await crypto.subtle.digest('SHA-256', bytes)); }
  function fromHex(s) {
    if (!/^([0-9a-f]{2})+$/i.test(s)) return null;
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
    return out;
  }

  // A check: its mark (✔, ✗ or …) and its words, never the colour alone.
  function check(id) {
    const mark = h('span', { class: 'mark', 'aria-hidden': 'true' }, '…');
    const state = h('span', { class: 'vh' }, t('mark-wait') + '：');
    const what = h('span', { class: 'what' });
    const li = h('li', { id, 'data-state': 'wait' }, mark, h('span', { class: 'what-box' }, state, what));
    li.set = (result, words, extra) => {
      li.dataset.state = result;
      mark.className = 'mark' + (result === 'pass' ? ' pass' : result === 'fail' ? ' fail' : '');
      mark.textContent = result === 'pass' ? '✔' : result === 'fail' ? '✗' : '…';
      state.textContent = t('mark-' + result) + '：';
      what.replaceChildren(words, ...(extra ? [h('br'), extra] : []));
    };
    return li;
  }

  // The facts as a list of terms; the long values (digests, rules) take the whole row on a
  // narrow screen.
  K.facts = function (facts, longKeys) {
    const long = (k) => (longKeys.includes(k) ? 'long' : null);
    return h('dl', { class: 'facts' }, facts.filter((x) => x[1]).map(([k, v]) => [h('dt', { class: long(k) }, t(k)), h('dd', { class: long(k), 'data-k': k }, v)]));
  };

  // A draw's card. c: { id, attrs (the article's), heading, facts (a dl), seed, commitment,
  // inputsDigest, url and file (the inputs), command ('kaowu seat verify'), result (the
  // argument naming the published result's digest, when there is one), done (the text after
  // the command), open (the "how to verify" unfolded) }.
  K.card = function (c) {
    const id = c.id;
    const cSeed = check(id + '-seed');
    const cInputs = check(id + '-inputs');
    if (!canHash()) {
      cSeed.set('wait', t('c-unsupported'));
      cInputs.set('wait', t('c-unsupported'));
    } else {
      if (!c.seed) cSeed.set('wait', t('c-seed-wait'));
      else {
        const bytes = fromHex(c.seed);
        const want = String(c.commitment).toLowerCase();
        (bytes ? sha256(bytes) : Promise.resolve('')).then((x) => {
          cSeed.set(x === want ? 'pass' : 'fail', x === want ? t('c-seed') : t('c-seed-bad'), x ? K.hex('SHA-256 = ' + x) : null);
        });
      }
      const go = h('button', { type: 'button', class: 'btn', id: id + '-check-inputs', onclick: async () => {
        go.disabled = true;
        cInputs.set('wait', t('c-busy'));
        try {
          const r = await fetch(c.url);
          if (!r.ok) throw new Error('HTTP ' + r.status);
          const x = await sha256(await r.arrayBuffer());
          const same = x === String(c.inputsDigest).toLowerCase();
          cInputs.set(same ? 'pass' : 'fail', same ? t('c-inputs') : t('c-inputs-bad'), K.hex('SHA-256 = ' + x));
        } catch (e) {
          cInputs.set('fail', t('c-failed', { msg: e.message }));
          go.disabled = false;
          cInputs.querySelector('.what').append(h('br'), go);
        }
      } }, t('c-inputs-go'));
      cInputs.set('wait', t('c-inputs-todo'), go);
    }

    // How to verify with kaowu: the command filled in with this draw's values.
    const how = h('details', { class: 'how', open: c.open }, h('summary', {}, h('h3', { id: id + '-how' }, t('how'))));
    if (c.seed) {
      const args = [['--inputs', c.file], ['--seed', c.seed], ['--commitment', c.commitment], ['--inputs-digest', c.inputsDigest]];
      if (c.result) args.push(c.result);
      const cmd = c.command + ' ' + args.map(([k, v]) => k + ' ' + v).join(' \\\n    ');
      const copied = h('span', { class: 'hint', 'aria-live': 'polite' });
      how.append(h('ol', {}, h('li', {}, t('how-1', { file: c.file })), h('li', {}, t('how-2'))), h('pre', { id: id + '-cmd' }, h('code', {}, cmd)),
        navigator.clipboard ? h('div', { class: 'row' }, h('button', { type: 'button', class: 'btn', onclick: async () => {
          try { await navigator.clipboard.writeText(cmd); copied.textContent = t('copied'); } catch (e) { copied.textContent = ''; }
        } }, t('copy')), copied) : null,
        h('p', {}, c.done));
    } else {
      how.append(h('p', {}, t('how-wait')));
    }
    return h('article', Object.assign({ id, 'aria-labelledby': id + '-h' }, c.attrs),
      h('h2', { id: id + '-h' }, c.heading), c.facts, h('p', { class: 'hint' }, t('cst-note')),
      h('p', {}, h('a', { class: 'dl-link', href: c.url, download: c.file }, t('inputs-file', { file: c.file })),
        h('br'), h('span', { class: 'hint' }, t('inputs-note'))),
      h('section', { 'aria-labelledby': id + '-checks' }, h('h3', { id: id + '-checks' }, t('checks')), h('ul', { class: 'checks' }, cSeed, cInputs)), how);
  };

  // The published exams, each linking to page?exam=CODE.
  K.list = async function (page) {
    const r = await K.get('/api/v1/public/exams');
    const items = (r.json && r.json.items) || [];
    K.view().replaceChildren(h('h1', {}, t('exams')), h('p', {}, items.length ? t('pick') : t('no-exams')),
      h('ul', { class: 'list' }, items.map((e) => h('li', {}, h('h3', {}, h('a', { href: page + '?exam=' + encodeURIComponent(e.code) }, e.name)),
        h('div', { class: 'hint' }, e.code + (e.organiser ? ' · ' + e.organiser : ''))))));
  };
  // An error answer in place of the page.
  K.failed = (r) => K.view().replaceChildren(h('p', { class: 'alert', role: 'alert' }, (r.json && r.json.error && r.json.error.message) || 'HTTP ' + r.status));

  // The chrome, then one exam (?exam=) or the list; again on a change of language.
  K.start = function (page, one) {
    function render() {
      document.documentElement.lang = K.lang;
      document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
      document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === K.lang)));
      document.title = t('title') + ' · kaowu';
      const exam = new URLSearchParams(location.search).get('exam');
      if (exam && /^[\w.-]{1,64}$/.test(exam)) one(exam); else K.list(page);
    }
    document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
      K.lang = b.dataset.lang;
      document.cookie = 'lang=' + K.lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
      render();
    }));
    render();
  };
  return K;
};
