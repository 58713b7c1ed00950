// Public verification of an electronic certificate (SPEC GRD-10, INF-5(7); issue 10 items 9
// and 10), no login, phone first: /verify.html. Two ways, both posted to
// /api/v1/public/certificates/verify: the certificate number and the holder's name (one answer
// for an unknown number and a wrong name: CERT_NO_MATCH), or the text of the QR code printed
// on the certificate ("KWC1.…", pasted; the page does not open the camera — a phone's own
// scanner reads the code and its text is pasted here; a link /verify.html#KWC1.… fills it in).
// The answer: valid, revoked (with the day), unknown or tampered, in words and a mark, never
// the colour alone; for a known certificate its number, the masked name and identity number,
// the exam, each subject's score and the issue day. A pasted code is also checked in the
// browser against the published Ed25519 key (GET /api/v1/public/certificate_key, Web Crypto)
// — the signature only: whether it was revoked since, only the server knows. Nothing typed is
// kept (no storage, nothing in the address).
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '证书查验', title: '电子证书查验', skip: '跳到正文', loading: '加载中…', scores: '成绩查询', portal: '考生服务',
      lead: '核对人事考试电子证书的真伪和状态。可以输入证书编号和持证人姓名，也可以粘贴证书上二维码的内容。',
      'by-number': '按证书编号和姓名查验', number: '证书编号', 'number-hint': '见证书，如 JJ27-000001。', name: '持证人姓名', 'name-hint': '须与证书上的姓名一致。',
      'by-code': '按二维码内容查验', code: '二维码内容', 'code-hint': '以 KWC1. 开头的一串字符。',
      'code-how': '本页不调用摄像头：请用手机自带的扫码功能扫描证书上的二维码，复制识别出的文字，粘贴到这里。',
      send: '查验', busy: '正在查验…', 'need-number': '请填写证书编号。', 'need-name': '请填写持证人姓名。', 'need-code': '请粘贴二维码内容。',
      'bad-code': '这不是本系统证书的二维码内容（应以 KWC1. 开头）。', offline: '无法连接服务器，请检查网络后重试。',
      'retry-in': '{s} 秒后可以再次查验。', 'retry-now': '现在可以再次查验。',
      'result-h': '查验结果', 'v-valid': '证书有效', 'v-revoked': '证书已撤销', 'v-unknown': '查无此证书', 'v-tampered': '二维码内容无效',
      'w-valid': '该证书由本系统颁发，目前有效。', 'w-revoked': '该证书已被撤销，不再有效。', 'w-unknown': '二维码签名有效，但系统中没有这个编号的证书。',
      'w-tampered': '二维码内容被改动过，或不是本系统签发的证书：请以证书原件和发证机构的答复为准。',
      'f-number': '证书编号', 'f-name': '姓名', 'f-idno': '证件号码', 'f-exam': '考试', 'f-subjects': '科目成绩', 'f-issued': '颁发日期', 'f-revoked': '撤销时间',
      'sig-h': '本机签名核验', 'sig-ok': '二维码的 Ed25519 签名与发证机构公布的公钥相符（在本机浏览器中核验）。',
      'sig-bad': '二维码的签名与发证机构公布的公钥不符。', 'sig-na': '本浏览器不支持 Ed25519 签名核验，仅以服务器的查验结果为准。',
      privacy: '本页不保存您输入的信息；姓名和证件号码遮挡显示。', 'key-note': '发证机构公钥：{k}',
    },
    en: {
      brand: 'Certificate check', title: 'Check an electronic certificate', skip: 'Skip to the content', loading: 'Loading…', scores: 'Score look-up', portal: 'Candidates',
      lead: 'Check that a personnel examination certificate is genuine and still valid: enter its number and the holder\'s name, or paste the text of its QR code.',
      'by-number': 'By number and name', number: 'Certificate number', 'number-hint': 'As printed, e.g. JJ27-000001.', name: 'Holder\'s name', 'name-hint': 'As on the certificate.',
      'by-code': 'By the QR code', code: 'QR code text', 'code-hint': 'A string starting with KWC1.',
      'code-how': 'This page does not use the camera: scan the QR code on the certificate with your phone\'s own scanner, copy the text it reads and paste it here.',
      send: 'Check', busy: 'Checking…', 'need-number': 'Enter the certificate number.', 'need-name': 'Enter the holder\'s name.', 'need-code': 'Paste the QR code text.',
      'bad-code': 'This is not the QR code of a kaowu certificate (it starts with KWC1.).', offline: 'Cannot reach the server. Check the connection and try again.',
      'retry-in': 'You can check again in {s} s.', 'retry-now': 'You can check again now.',
      'result-h': 'Result', 'v-valid': 'Valid certificate', 'v-revoked': 'Certificate revoked', 'v-unknown': 'No such certificate', 'v-tampered': 'Invalid QR code',
      'w-valid': 'This certificate was issued by this system and is valid.', 'w-revoked': 'This certificate has been revoked and is no longer valid.',
      'w-unknown': 'The code is signed, but no certificate with this number is on record.',
      'w-tampered': 'The code was altered or was not issued by this system: rely on the original certificate and the issuing agency.',
      'f-number': 'Number', 'f-name': 'Name', 'f-idno': 'Identity number', 'f-exam': 'Exam', 'f-subjects': 'Scores', 'f-issued': 'Issued on', 'f-revoked': 'Revoked',
      'sig-h': 'Signature checked here', 'sig-ok': 'The code\'s Ed25519 signature matches the issuer\'s published key (checked in this browser).',
      'sig-bad': 'The code\'s signature does not match the issuer\'s published key.', 'sig-na': 'This browser cannot check Ed25519 signatures; the server\'s answer stands.',
      privacy: 'Nothing you type is kept by this page; name and identity number are shown masked.', 'key-note': 'Issuer\'s public key: {k}',
    },
  };
  const K = kwPublic(TEXT);
  const { t, h } = K;
  const $ = (id) => document.getElementById(id);
  // The page's memory only: what was typed, the last answer, when a retry is allowed.
  const S = { result: null, sig: null, retryAt: 0, timer: 0, exams: null, key: null };

  const input = (id, attrs) => h('input', Object.assign({ id, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': id + '-hint ' + id + '-err' }, attrs));
  const field = (id, label, hint, el) => h('div', { class: 'field' }, h('label', { for: id }, label), el,
    h('span', { class: 'hint', id: id + '-hint' }, hint), h('span', { class: 'err', id: id + '-err' }));
  function fieldError(el, text) { el.setAttribute('aria-invalid', 'true'); $(el.id + '-err').textContent = text; }
  function clear(els) { els.forEach((el) => { el.removeAttribute('aria-invalid'); $(el.id + '-err').textContent = ''; }); }

  function render() {
    const kept = ['number', 'name', 'code'].map((k) => ($(k) ? $(k).value : ''));
    const number = input('number', { name: 'number', maxlength: '64', autocapitalize: 'characters' });
    const name = input('name', { name: 'name', maxlength: '100' });
    const code = h('textarea', { id: 'code', name: 'payload', rows: '3', maxlength: '1024', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'code-hint code-how code-err' });
    [number.value, name.value, code.value] = kept;
    if (!code.value && location.hash.startsWith('#KWC1.')) code.value = decodeURIComponent(location.hash.slice(1));
    const b1 = h('button', { type: 'submit', class: 'btn primary send', id: 'send-number' }, t('send'));
    const b2 = h('button', { type: 'submit', class: 'btn primary send', id: 'send-code' }, t('send'));
    const f1 = h('form', { id: 'by-number', class: 'card', novalidate: true, 'aria-labelledby': 'by-number-h' }, h('h2', { id: 'by-number-h' }, t('by-number')),
      field('number', t('number'), t('number-hint'), number), field('name', t('name'), t('name-hint'), name), h('div', { class: 'row' }, b1));
    const f2 = h('form', { id: 'by-code', class: 'card', novalidate: true, 'aria-labelledby': 'by-code-h' }, h('h2', { id: 'by-code-h' }, t('by-code')),
      h('p', { class: 'hint', id: 'code-how' }, t('code-how')),
      h('div', { class: 'field' }, h('label', { for: 'code' }, t('code')), code, h('span', { class: 'hint', id: 'code-hint' }, t('code-hint')), h('span', { class: 'err', id: 'code-err' })),
      h('div', { class: 'row' }, b2));
    f1.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clear([number, name, code]);
      const body = { number: number.value.trim().toUpperCase(), name: name.value.trim() };
      const miss = [[number, 'need-number', body.number], [name, 'need-name', body.name]].filter((x) => !x[2]);
      if (miss.length) { miss.forEach(([el, k]) => fieldError(el, t(k))); miss[0][0].focus(); return; }
      check(body, null);
    });
    f2.addEventListener('submit', (ev) => {
      ev.preventDefault();
      clear([number, name, code]);
      const payload = code.value.replace(/\s+/g, '');
      if (!payload) { fieldError(code, t('need-code')); code.focus(); return; }
      if (!payload.startsWith('KWC1.')) { fieldError(code, t('bad-code')); code.focus(); return; }
      check({ payload }, payload);
    });
    K.view().replaceChildren(h('h1', { id: 'title-h' }, t('title')), h('p', { class: 'lead' }, t('lead')), f1, f2,
      h('div', { id: 'msg', 'aria-live': 'polite' }), h('section', { id: 'result', 'aria-labelledby': 'result-h', hidden: true }),
      h('p', { class: 'hint privacy' }, t('privacy')));
    if (S.result) show(false);
    waitRetry();
  }

  // The signature of a pasted code, checked here with Web Crypto against the published key.
  const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
  async function localSig(payload) {
    try {
      if (!window.crypto || !crypto.subtle) return 'na';
      if (!S.key) {
        const r = await K.get('/api/v1/public/certificate_key');
        if (r.status !== 200 || !r.json.public_key) return 'na';
        S.key = r.json.public_key;
      }
      const raw = Uint8Array.from(S.key.match(/../g), (x) => parseInt(x, 16));
      const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
      const [, body, sig] = payload.split('.');
      if (!body || !sig) return 'bad';
      return (await crypto.subtle.verify({ name: 'Ed25519' }, key, b64(sig), b64(body))) ? 'ok' : 'bad';
    } catch (e) {
      return e && e.name === 'NotSupportedError' ? 'na' : 'bad';
    }
  }
  // The exam of a certificate number ("<exam code>-<6 digits>"): its name and subjects' names.
  async function examOf(number) {
    const code = String(number || '').replace(/-\d{6}$/, '');
    if (!S.exams) { const r = await K.get('/api/v1/public/exams'); S.exams = (r.json && r.json.items) || []; }
    const e = S.exams.find((x) => x.code === code);
    if (!e) return null;
    if (!e.detail) { const r = await K.get('/api/v1/public/exams/' + e.id); e.detail = r.status === 200 ? r.json : {}; }
    return e;
  }

  async function check(body, payload) {
    if (Date.now() < S.retryAt) return;
    const msg = $('msg');
    document.querySelectorAll('button.send').forEach((b) => { b.disabled = true; });
    msg.replaceChildren(h('p', { class: 'hint', role: 'status' }, t('busy')));
    let r, json = null;
    try {
      r = await fetch('/api/v1/public/certificates/verify', { method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': K.lang }, body: JSON.stringify(body) });
      try { json = await r.json(); } catch (e) { json = null; }
    } catch (e) {
      r = null;
    }
    document.querySelectorAll('button.send').forEach((b) => { b.disabled = false; });
    if (r && r.ok && json && typeof json.valid === 'boolean') {
      msg.replaceChildren();
      const [exam, sig] = await Promise.all([json.number ? examOf(json.number) : null, payload ? localSig(payload) : null]);
      S.result = { v: json, exam, sig };
      show(true);
      return;
    }
    S.result = null;
    $('result').hidden = true;
    const err = json && json.error;
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
      document.querySelectorAll('button.send').forEach((b) => { b.disabled = left > 0; });
      const line = $('retry');
      if (line) line.textContent = left > 0 ? t('retry-in', { s: left }) : t('retry-now');
      if (left <= 0) clearInterval(S.timer);
    };
    if (S.retryAt > Date.now()) S.timer = setInterval(tick, 1000);
    tick();
  }

  function show(focus) {
    const { v, exam, sig } = S.result;
    const verdict = v.valid ? 'valid' : v.reason === 'REVOKED' ? 'revoked' : v.reason === 'UNKNOWN' ? 'unknown' : 'tampered';
    const names = {};
    ((exam && exam.detail && exam.detail.subjects) || []).forEach((s) => { names[s.code] = s.name; });
    const facts = [];
    const fact = (k, val, id) => { if (val) facts.push(h('dt', {}, t(k)), h('dd', { id }, val)); };
    fact('f-number', v.number, 'v-number');
    fact('f-name', v.name, 'v-name');
    fact('f-idno', v.id_number, 'v-idno');
    fact('f-exam', exam ? exam.name : null, 'v-exam');
    fact('f-issued', v.issued_on, 'v-issued');
    if (v.revoked_at) fact('f-revoked', K.cst(v.revoked_at, false), 'v-revoked');
    const subjects = (v.subjects || []).map((s) => h('tr', {}, h('th', { scope: 'row' }, names[s.code] || s.code, h('span', { class: 'code' }, s.code)), h('td', { class: 'num score' }, s.score)));
    const box = $('result');
    box.hidden = false;
    box.replaceChildren(h('div', { class: 'card verdict-card v-' + verdict, 'data-verdict': verdict },
      h('h2', { id: 'result-h', tabindex: '-1' }, t('result-h')),
      h('p', { class: 'verdict', id: 'verdict' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, verdict === 'valid' ? '✔' : '✗'), ' ', t('v-' + verdict)),
      h('p', { id: 'verdict-words' }, t('w-' + verdict)),
      facts.length ? h('dl', { class: 'status who' }, facts) : null,
      subjects.length ? h('div', { class: 'wrap' }, h('table', { class: 'scores-table' }, h('caption', {}, t('f-subjects')), h('tbody', {}, subjects))) : null,
      sig ? h('p', { class: 'sig sig-' + sig, id: 'sig' }, h('strong', {}, t('sig-h') + (K.lang === 'en' ? ': ' : '：')), t(sig === 'ok' ? 'sig-ok' : sig === 'bad' ? 'sig-bad' : 'sig-na')) : null));
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
