// The candidate's notices and decisions of violation cases (SPEC VIO-8; VH 19-21), a section of
// the status view of web/register.html (register.js calls kwMyCases with its own helpers):
// each case from the notice on — what the intended decision is and why, the notice (PDF), the
// end of the period for the statement and defence, a form to send them (or to waive them) and
// to upload papers; then the decision, its letter (PDF) and, after service, the deadlines for
// administrative review and a lawsuit in plain words; and the portal's messages. Refusals
// (the period ended, say) are shown in the server's words.
'use strict';
window.kwMyCases = function (ctx) {
  const TEXT = {
    'zh-CN': {
      'h': '违纪违规处理告知与决定', 'lead': '考试机构对您的考试违纪违规行为作出处理前，会先告知您拟作出的处理决定及其事实、理由和依据；您有权在期限内陈述和申辩，考试机构会复核您的意见。',
      's-notified': '拟处理告知 · 陈述申辩期内', 's-decided': '已作出处理决定', 's-served': '处理决定书已送达', 's-revoked': '处理决定已撤销',
      'intended': '拟作出的处理：{penalty}', 'decided': '处理决定：{penalty}', 'basis': '依据：《{cat}》{citation}（{act}）',
      'facts': '查明的事实：', 'notice': '告知书 {number}，{date} 收到', 'notice-pdf': '下载告知书（PDF）', 'letter-pdf': '下载处理决定书（PDF）',
      'due': '陈述和申辩截止：{due}（含当天，北京时间）', 'due-after': '期限届满后，考试机构将复核您的陈述和申辩，再作出处理决定。',
      'defence-h': '陈述和申辩', 'defence-label': '您的陈述和申辩（事实经过、理由和证据）', 'defence-send': '提交陈述和申辩',
      'defence-need': '请写明您的陈述和申辩。', 'defence-sent': '陈述和申辩已提交，考试机构将复核。',
      'defence-yours': '您于 {at} 提交的陈述和申辩：', 'waived': '您已放弃陈述和申辩。',
      'waive-open': '放弃陈述和申辩', 'waive-confirm': '放弃后不能再陈述和申辩，考试机构可以立即作出处理决定。确定放弃吗？', 'waive-yes': '确定放弃', 'waive-no': '不放弃',
      'papers-h': '陈述申辩材料', 'papers-none': '还没有上传材料。', 'paper-label': '材料名称（如“情况说明”）', 'paper-file': '选择文件（PDF、JPEG 或 PNG）',
      'paper-send': '上传材料', 'paper-need-label': '请填写材料名称。', 'paper-need-file': '请先选择文件。', 'paper-done': '已上传：{label}。',
      'decision': '处理决定书 {number}，{date} 作出', 'letter-wait': '处理决定书送达后，申请复议和提起诉讼的期限自您收到之日起计算。',
      'rights': '如对本决定不服，您可以自收到决定书之日起 60 日内（{review} 前）依法申请行政复议，或者自收到之日起 6 个月内（{lawsuit} 前）依法向人民法院提起行政诉讼。',
      'received': '决定书 {date} 送达。', 'provisional': '（期限为暂定：该年度节假日安排尚未公布，遇法定节假日顺延。）',
      'revoked': '该处理决定已依法撤销，其影响（报名、成绩、诚信档案记录）已全部消除。',
      'msgs-h': '消息', 'downloading': '正在下载…', download: '下载',
    },
    en: {
      h: 'Notices and decisions on violations', lead: 'Before the exam agency decides on a violation, it tells you the decision it intends and its facts, reasons and basis; you may state your case and defend yourself within the period, and the agency reviews what you say.',
      's-notified': 'Notice of intended decision · defence period', 's-decided': 'Decided', 's-served': 'Decision letter served', 's-revoked': 'Decision revoked',
      intended: 'Intended: {penalty}', decided: 'Decision: {penalty}', basis: 'Basis: {cat}, {citation} ({act})',
      facts: 'Facts found: ', notice: 'Notice {number}, received {date}', 'notice-pdf': 'Download the notice (PDF)', 'letter-pdf': 'Download the decision letter (PDF)',
      due: 'Statement and defence until {due} (inclusive, China time)', 'due-after': 'Once the period ends the agency reviews your statement and defence before deciding.',
      'defence-h': 'Statement and defence', 'defence-label': 'Your statement and defence (what happened, your reasons and evidence)', 'defence-send': 'Send',
      'defence-need': 'Write your statement and defence.', 'defence-sent': 'Sent; the agency will review it.',
      'defence-yours': 'What you sent on {at}: ', waived: 'You waived the statement and defence.',
      'waive-open': 'Waive the statement and defence', 'waive-confirm': 'Once waived you cannot state or defend any more, and the agency may decide at once. Waive?', 'waive-yes': 'Waive', 'waive-no': 'Keep my right',
      'papers-h': 'Papers for your defence', 'papers-none': 'No papers uploaded yet.', 'paper-label': 'What it is (e.g. "My account")', 'paper-file': 'File (PDF, JPEG or PNG)',
      'paper-send': 'Upload', 'paper-need-label': 'Say what the file is.', 'paper-need-file': 'Choose a file first.', 'paper-done': 'Uploaded: {label}.',
      decision: 'Decision letter {number}, decided {date}', 'letter-wait': 'Once the letter is served, the periods for review and lawsuit run from the day you receive it.',
      rights: 'If you disagree with the decision you may apply for administrative review within 60 days of receiving the letter (by {review}), or bring a lawsuit before the people\'s court within 6 months of receiving it (by {lawsuit}).',
      received: 'Letter received {date}.', provisional: ' (Provisional: that year\'s public holidays are not published yet; a deadline on a holiday moves to the next working day.)',
      revoked: 'The decision has been revoked and its effects (registration, scores, integrity archive) are undone.',
      'msgs-h': 'Messages', downloading: 'Downloading…', download: 'Download',
    },
  };
  const { h, api, fetchBlob, saveBlob, showError } = ctx;
  const lang = TEXT[ctx.lang] ? ctx.lang : 'zh-CN';
  const t = (k, vars) => String(TEXT[lang][k] ?? TEXT['zh-CN'][k] ?? k).replace(/\{(\w+)\}/g, (_, v) => (vars && vars[v] !== undefined && vars[v] !== null ? vars[v] : ''));
  const en = lang === 'en';
  // China time to the minute, 2026-11-24 10:00, whatever the phone's zone.
  const CST = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false });
  const cst = (iso) => {
    if (!iso) return '';
    const p = {};
    CST.formatToParts(new Date(iso)).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
  };
  const box = h('section', { class: 'card my-cases', id: 'my-cases', 'aria-labelledby': 'my-cases-h', hidden: true });
  const msgBox = h('div', { id: 'my-cases-msg', role: 'status', 'aria-live': 'polite' });
  let uid = 0;
  function field(label, input) {
    const id = 'mc' + (++uid);
    input.id = id;
    input.setAttribute('aria-describedby', id + '-err');
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, h('span', { class: 'err', id: id + '-err' }));
  }
  function mark(el, text) {
    el.setAttribute('aria-invalid', 'true');
    const err = el.closest('.field').querySelector('.err');
    if (err) err.textContent = text;
    el.focus();
  }
  function clear(form) {
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    form.querySelectorAll('.err').forEach((x) => { x.textContent = ''; });
  }
  // A file behind the bearer token: fetched, then saved under its name.
  function fileButton(url, label, name, out) {
    return h('button', { type: 'button', class: 'btn dl', onclick: async (ev) => {
      const b = ev.currentTarget;
      b.disabled = true;
      out.replaceChildren(h('p', { class: 'hint' }, t('downloading')));
      const res = await fetchBlob(url);
      b.disabled = false;
      if (!res.blob) return showError(res, null, out);
      out.replaceChildren();
      saveBlob(res.blob, name);
    } }, label);
  }

  async function load() {
    const r = await api('GET', '/api/v1/candidates/me/cases');
    if (r.status !== 200) {
      if (r.status === 404) return; // not a candidate's session: nothing to show
      box.hidden = false;
      box.replaceChildren(h('h2', { id: 'my-cases-h' }, t('h')));
      return showError(r, null, box.appendChild(h('div', {})));
    }
    const { cases, messages } = r.json;
    if (!cases.length && !messages.length) return;
    const [full, cats] = await Promise.all([Promise.all(cases.map((c) => api('GET', '/api/v1/cases/' + c.id))),
      Promise.all([...new Set(cases.map((c) => c.catalogue))].map((id) => api('GET', '/api/v1/catalogues/' + id)))]);
    const catOf = {};
    for (const x of cats) if (x.status === 200) catOf[x.json.id] = x.json;
    box.hidden = false;
    box.replaceChildren(h('h2', { id: 'my-cases-h' }, t('h')), msgBox, h('p', { class: 'hint' }, t('lead')),
      h('ul', { class: 'list case-list' }, cases.map((c, i) => h('li', {}, one(full[i].status === 200 ? full[i].json : c, catOf[c.catalogue])))),
      messages.length ? h('h3', {}, t('msgs-h')) : '', messages.length ? h('ul', { class: 'msgs' }, messages.map((m) => h('li', { class: 'msg' },
        h('p', { class: 'msg-title' }, h('strong', {}, m.title), h('span', { class: 'hint' }, ' · ' + cst(m.created_at))), h('p', { class: 'msg-body' }, m.body)))) : '');
  }

  function one(c, catalogue) {
    const e = c.entry || {};
    const ce = catalogue ? (catalogue.entries || []).find((x) => x.id === e.id) : null;
    const cat = catalogue ? (en ? catalogue.name_en : catalogue.name_zh) : c.catalogue;
    const penalty = en ? e.penalty_en || e.penalty_zh : e.penalty_zh;
    const files = c.files || [];
    const notice = files.find((f) => f.kind === 'notice');
    const letter = files.find((f) => f.kind === 'letter');
    const out = h('div', { class: 'dl-msg', role: 'status', 'aria-live': 'polite' });
    const hid = 'case-' + c.id + '-h';
    const kids = [h('h3', { id: hid }, c.exam_name, ' ', h('span', { class: 'badge case-' + c.status }, t('s-' + c.status))),
      h('p', {}, h('strong', {}, t(c.decision_number ? 'decided' : 'intended', { penalty }))),
      e.citation_zh ? h('p', { class: 'hint' }, t('basis', { cat, citation: en ? `Art. ${e.article}(${e.clause})${e.item ? '(' + e.item + ')' : ''}` : e.citation_zh, act: en && ce ? ce.en : e.zh })) : null,
      c.facts ? h('p', { class: 'facts-line' }, t('facts'), c.facts) : null];
    if (c.notice_number) {
      kids.push(h('p', {}, t('notice', { number: c.notice_number, date: c.notice_receipt_date })),
        notice ? h('p', {}, fileButton(notice.url, t('notice-pdf'), (en ? 'notice-' : '陈述申辩告知书-') + c.notice_number + '.pdf', out)) : null);
    }
    if (c.status === 'notified') {
      kids.push(h('p', { class: 'countdown due-line' }, t('due', { due: c.defence_due })));
      kids.push(defence(c, out));
      if (c.defence_text || c.defence_waived) kids.push(h('p', { class: 'hint' }, t('due-after')));
    } else if (c.defence_text) {
      kids.push(h('p', { class: 'hint' }, t('defence-yours', { at: cst(c.defence_at) }), c.defence_text));
    }
    if (c.decision_number) {
      kids.push(h('p', { class: 'decision-line' }, t('decision', { number: c.decision_number, date: c.decision_date })),
        letter ? h('p', {}, fileButton(letter.url, t('letter-pdf'), (en ? 'decision-' : '处理决定书-') + c.decision_number + '.pdf', out)) : null);
      if (c.status === 'revoked') kids.push(h('p', { class: 'alert ok' }, t('revoked')));
      else if (c.review_due) {
        kids.push(h('p', {}, t('received', { date: c.receipt_date })),
          h('p', { class: 'rights notice' }, t('rights', { review: c.review_due, lawsuit: c.lawsuit_due }), c.deadlines_provisional ? t('provisional') : ''));
      } else kids.push(h('p', { class: 'hint' }, t('letter-wait')));
    }
    kids.push(out);
    return h('article', { class: 'my-case', 'aria-labelledby': hid }, kids);
  }

  // The statement and defence while the period runs: what was sent, or the form (with the
  // waiver behind a second question); papers uploaded either way.
  function defence(c, out) {
    const papers = (c.files || []).filter((f) => f.kind === 'defence');
    const list = h('ul', { class: 'files' }, papers.map((f) => h('li', {}, h('span', { class: 'file-label' }, f.label), ' ',
      fileButton(f.url, t('download'), f.label + (f.media_type === 'application/pdf' ? '.pdf' : f.media_type === 'image/png' ? '.png' : '.jpg'), out))));
    const live = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const kids = [h('h4', {}, t('defence-h'))];
    if (c.defence_waived) kids.push(h('p', {}, t('waived')));
    else if (c.defence_text) kids.push(h('p', {}, t('defence-yours', { at: cst(c.defence_at) })), h('blockquote', { class: 'my-defence' }, c.defence_text));
    else {
      const text = h('textarea', { name: 'text', rows: '5', maxlength: '5000' });
      const form = h('form', { class: 'defence-form', novalidate: true }, field(t('defence-label'), text),
        h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary' }, t('defence-send'))));
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clear(form);
        live.replaceChildren();
        if (!text.value.trim()) return mark(text, t('defence-need'));
        const r = await api('POST', '/api/v1/cases/' + c.id + '/defence', { text: text.value.trim() });
        if (r.status !== 200) return showError(r, form, live);
        await reload();
        const msg = document.getElementById('my-cases-msg');
        if (msg) msg.replaceChildren(h('div', { class: 'alert ok' }, t('defence-sent')));
      });
      const ask = h('div', { class: 'waive-ask', hidden: true }, h('p', {}, t('waive-confirm')), h('div', { class: 'row' },
        h('button', { type: 'button', class: 'btn danger', onclick: async () => {
          const r = await api('POST', '/api/v1/cases/' + c.id + '/defence', { waived: true });
          if (r.status !== 200) return showError(r, null, live);
          reload();
        } }, t('waive-yes')),
        h('button', { type: 'button', class: 'btn', onclick: () => { ask.hidden = true; open.hidden = false; open.focus(); } }, t('waive-no'))));
      const open = h('button', { type: 'button', class: 'btn', onclick: () => { ask.hidden = false; open.hidden = true; ask.querySelector('button').focus(); } }, t('waive-open'));
      kids.push(form, h('p', {}, open), ask);
    }
    // papers for the defence, while the period runs
    const label = h('input', { name: 'label', maxlength: '60', autocomplete: 'off' });
    const file = h('input', { type: 'file', name: 'file', accept: '.pdf,application/pdf,image/jpeg,image/png' });
    const up = h('form', { class: 'paper-form', novalidate: true }, field(t('paper-label'), label), field(t('paper-file'), file),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn' }, t('paper-send'))));
    up.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(up);
      live.replaceChildren();
      if (!label.value.trim()) return mark(label, t('paper-need-label'));
      if (!file.files[0]) return mark(file, t('paper-need-file'));
      const r = await api('POST', `/api/v1/cases/${c.id}/files?kind=defence&label=${encodeURIComponent(label.value.trim())}`, file.files[0]);
      if (r.status !== 201) return showError(r, up, live);
      const lab = label.value.trim();
      await reload();
      const msg = document.getElementById('my-cases-msg');
      if (msg) msg.replaceChildren(h('div', { class: 'alert ok' }, t('paper-done', { label: lab })));
    });
    kids.push(h('h4', {}, t('papers-h')), papers.length ? list : h('p', { class: 'hint' }, t('papers-none')), up, live);
    return h('div', { class: 'my-defence-box' }, kids);
  }

  async function reload() {
    msgBox.replaceChildren();
    await load();
  }
  reload();
  return box;
};
