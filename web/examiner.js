// The interview room's tablet page (SPEC INT-3, INT-4; issue 12 item 8): /examiner.html.
// Phone and tablet first, big touch targets. The panels I sit on (GET /me/interview_panels):
// as an examiner (chief, deputy, examiner) the order numbers — never a name or a ticket — and
// for each a score per dimension of the day's sheet, range-checked here and by the server,
// submitted once; a correction needs a reason and is possible only until the scorer computes;
// the others' scores only when the server gives them (INTERVIEW_SCORES_HIDDEN until every
// examiner has entered). As scorer, supervisor or chief: the sign-off of each order number in
// its order (the scorer computes and signs, the supervisor checks, the chief confirms), every
// examiner's scores with the dropped highest and lowest totals struck through and labelled;
// a refusal (out of order, wrong duty) shown in the server's words and what it means.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '面试考官评分', title: '面试考官评分', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '考官登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；已填写的分数已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '更正原因', 'need-reason': '请写明更正原因。',
      'no-panels': '您没有被安排在任何面试考官小组中（或您的人员档案尚未关联本账号）。',
      'panel-h': '考官小组 {code}', 'panel-line': '{exam} · {day} · 您的职责：{duty}', 'not-scheduled': '尚未安排面试日',
      'format-line': '面试形式：{format}', 'group-line': '每组 {n} 名考生同场（顺序号 1–{n} 为第 1 组，依次类推）', 'group-n': '第 {g} 组', 'brief-h': '职位说明（招录机关提供）',
      'd-chief': '主考官', 'd-deputy': '副主考官', 'd-examiner': '考官', 'd-supervisor': '监督员', 'd-scorer': '计分员', 'd-timer': '计时员', 'd-guide': '引导员',
      'anon': '考生在面试室内只以顺序号出现，本页不显示姓名或准考证号。',
      'orders-h': '评分：按顺序号', 'no-orders': '考生尚未抽取顺序号。', 'order-n': '{no} 号',
      'o-todo': '待评分', 'o-done': '已评分 {total}', 'o-entered': '已录入 {n}/{of} 位考官',
      'score-h': '{no} 号考生评分', 'range': '0–{max} 分', weight: '权重 {w}%', total: '合计', submit: '提交评分',
      'submit-q': '提交后不能再修改（计分员计算前可凭原因更正）。确认提交 {no} 号的评分？合计 {total}',
      'bad-range': '“{name}”须在 0 到 {max} 分之间，最多两位小数。', 'bad-empty': '请为每个评分要素填写分数。',
      sent: '{no} 号评分已提交：合计 {total}（已录入 {n}/{of}）。', corrected: '{no} 号评分已更正：合计 {total}。',
      mine: '您的评分', correct: '更正评分', 'correct-h': '更正 {no} 号的评分（须写明原因）', 'closed': '计分员已计算，评分已封存，不能更正。',
      'others-h': '全组评分', 'show-others': '查看全组评分',
      'hidden': '其他考官的评分在全部 {of} 位考官录入前不可见（现已录入 {n} 位），以保证各自独立评分。',
      'why-INTERVIEW_SCORE_RANGE': '“{dimension}”的分数超出范围（满分 {max}）。',
      'why-INTERVIEW_SIGNOFF_ORDER': '签字须按顺序：计分员 → 监督员 → 主考官。下一步应由{expected}签字。',
      'why-INTERVIEW_SIGNOFF_ROLE': '只有担任该职责的小组成员才能以“{as_}”身份签字。',
      'why-INTERVIEW_SCORES_MISSING': '还有考官未录入评分（已录入 {entered} 位），计分员暂不能计算。',
      'why-INTERVIEW_SCORE_ENTERED': '您已为该考生评分；如需修改，请使用“更正评分”并写明原因。',
      'exp-scorer': '计分员', 'exp-supervisor': '监督员', 'exp-chief': '主考官', 'exp-': '（已全部签字）',
      'sign-h': '签字确认', 'sign-hint': '顺序：计分员计算并签字 → 监督员核对并签字 → 主考官确认。',
      'as-scorer': '计算并签字（计分员）', 'as-supervisor': '核对并签字（监督员）', 'as-chief': '确认（主考官）',
      'st-scoring': '评分中', 'st-scorer': '计分员已签字', 'st-supervisor': '监督员已签字', 'st-chief': '主考官已确认',
      examiner: '考官', duty: '职责', dtotal: '合计', mark: '计分', score: '面试成绩 {s}', 'score-none': '尚未计算',
      'dropped-highest': '去掉的最高分', 'dropped-lowest': '去掉的最低分', 'kept': '计入',
      'method-trimmed': '计分方法：去掉一个最高分和一个最低分，其余取平均（最后四舍五入到两位小数）。', 'method-mean': '计分方法：全部考官取平均（最后四舍五入到两位小数）。',
      signed: '{no} 号：{stage}。', 'corrections': '更正 {n} 次', back: '返回顺序号列表', refresh: '刷新',
    },
    en: {
      brand: 'Examiner scoring', title: 'Examiner scoring', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Examiner login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; your scores are kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason for the correction', 'need-reason': 'Write the reason for the correction.',
      'no-panels': 'You sit on no interview panel (or your staff record is not linked to this account).',
      'panel-h': 'Panel {code}', 'panel-line': '{exam} · {day} · your duty: {duty}', 'not-scheduled': 'no interview day yet',
      'format-line': 'Format: {format}', 'group-line': '{n} candidates sit together (order numbers 1–{n} are group 1, and so on)', 'group-n': 'group {g}', 'brief-h': 'The positions (from the recruiting agency)',
      'd-chief': 'Chief', 'd-deputy': 'Deputy', 'd-examiner': 'Examiner', 'd-supervisor': 'Supervisor', 'd-scorer': 'Scorer', 'd-timer': 'Timer', 'd-guide': 'Guide',
      anon: 'In the room a candidate is only an order number: no name or ticket on this page.',
      'orders-h': 'Scoring by order number', 'no-orders': 'The order numbers are not drawn yet.', 'order-n': 'No. {no}',
      'o-todo': 'To score', 'o-done': 'Scored {total}', 'o-entered': '{n}/{of} examiners entered',
      'score-h': 'Scores for No. {no}', range: '0–{max}', weight: 'weight {w}%', total: 'Total', submit: 'Submit scores',
      'submit-q': 'Once submitted it cannot be changed (a correction with a reason until the scorer computes). Submit the scores of No. {no}? Total {total}',
      'bad-range': '"{name}" must be between 0 and {max}, at most two decimals.', 'bad-empty': 'Enter a score for every dimension.',
      sent: 'Scores of No. {no} submitted: total {total} ({n}/{of} entered).', corrected: 'Scores of No. {no} corrected: total {total}.',
      mine: 'Your scores', correct: 'Correct my scores', 'correct-h': 'Correct the scores of No. {no} (a reason is needed)', closed: 'The scorer has computed: scores are closed.',
      'others-h': 'The panel\u2019s scores', 'show-others': 'Show the panel\u2019s scores',
      hidden: 'The other examiners\u2019 scores stay hidden until all {of} have entered theirs ({n} so far), so each scores independently.',
      'why-INTERVIEW_SCORE_RANGE': 'The score of "{dimension}" is out of range (max {max}).',
      'why-INTERVIEW_SIGNOFF_ORDER': 'Sign-offs go in order: scorer → supervisor → chief. Next to sign: the {expected}.',
      'why-INTERVIEW_SIGNOFF_ROLE': 'Only the member holding that duty signs as "{as_}".',
      'why-INTERVIEW_SCORES_MISSING': 'Not every examiner has entered ({entered} so far): the scorer cannot compute yet.',
      'why-INTERVIEW_SCORE_ENTERED': 'You have scored this candidate; to change it use "Correct my scores" with a reason.',
      'exp-scorer': 'scorer', 'exp-supervisor': 'supervisor', 'exp-chief': 'chief', 'exp-': '(all signed)',
      'sign-h': 'Sign-offs', 'sign-hint': 'In order: the scorer computes and signs → the supervisor checks and signs → the chief confirms.',
      'as-scorer': 'Compute and sign (scorer)', 'as-supervisor': 'Check and sign (supervisor)', 'as-chief': 'Confirm (chief)',
      'st-scoring': 'Scoring', 'st-scorer': 'Signed by the scorer', 'st-supervisor': 'Signed by the supervisor', 'st-chief': 'Confirmed by the chief',
      examiner: 'Examiner', duty: 'Duty', dtotal: 'Total', mark: 'Counted', score: 'Interview score {s}', 'score-none': 'not computed yet',
      'dropped-highest': 'dropped: highest', 'dropped-lowest': 'dropped: lowest', kept: 'counted',
      'method-trimmed': 'Method: drop one highest and one lowest total, average the rest (rounded once to hundredths).', 'method-mean': 'Method: average all examiners (rounded once to hundredths).',
      signed: 'No. {no}: {stage}.', corrections: 'corrected {n}×', back: 'Back to the order numbers', refresh: 'Refresh',
    },
  };
  const S = { me: null, panels: [], panel: null, order: null, scores: {}, draft: {} };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;
  const EXAMINING = ['chief', 'deputy', 'examiner'];
  const SIGNING = ['scorer', 'supervisor', 'chief'];

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    await load();
    render();
  }

  async function load() {
    const r = await api('GET', '/api/v1/me/interview_panels');
    if (!r.ok) { S.panels = []; K.showError(r); return; }
    S.panels = r.json.items;
    const keep = S.panel && S.panels.find((p) => p.panel_id === S.panel.panel_id && p.duty === S.panel.duty);
    S.panel = keep || S.panels[0] || null;
  }

  async function refresh() {
    await load();
    render();
  }

  function render() {
    if (!S.panel) return $('view').replaceChildren(h('p', { class: 'card' }, t('no-panels')));
    const p = S.panel;
    const pick = S.panels.length > 1 ? h('nav', { class: 'tabs' }, h('ul', {}, S.panels.map((x) => h('li', {},
      h('a', { href: '#', 'aria-current': x === p ? 'page' : null, onclick: (ev) => { ev.preventDefault(); S.panel = x; S.order = null; render(); } },
        `${x.code} · ${t('d-' + x.duty)}`))))) : null;
    const head = h('section', { class: 'card', id: 'panel' },
      h('h2', {}, t('panel-h', { code: p.code })),
      h('p', {}, t('panel-line', { exam: `${p.exam.code} ${p.exam.name}`, day: p.day || t('not-scheduled'), duty: t('d-' + p.duty) })),
      p.format_name ? h('p', { class: 'format' }, t('format-line', { format: p.format_name[K.lang === 'en' ? 'en' : 'zh'] || p.format })) : null,
      p.group_size ? h('p', { class: 'hint group' }, t('group-line', { n: p.group_size })) : null,
      p.brief ? h('details', { class: 'brief' }, h('summary', {}, t('brief-h')), h('p', {}, p.brief)) : null,
      h('p', { class: 'hint' }, t('anon')));
    const kids = [pick, head];
    if (EXAMINING.includes(p.duty)) kids.push(S.order ? scoreCard() : ordersCard());
    if (SIGNING.includes(p.duty) && !(EXAMINING.includes(p.duty) && S.order)) kids.push(signCard());
    $('view').replaceChildren(...kids.filter(Boolean));
  }

  // ---- the examiner: order numbers, then one order's form ----
  function ordersCard() {
    const p = S.panel;
    if (!p.orders.length) return h('section', { class: 'card' }, h('h2', {}, t('orders-h')), h('p', {}, t('no-orders')));
    return h('section', { class: 'card', id: 'orders' }, h('h2', {}, t('orders-h')),
      h('ul', { class: 'orders' }, p.orders.map((o) => h('li', {},
        h('button', { type: 'button', class: 'order' + (o.mine ? ' done' : ''), 'data-order': String(o.order_no), onclick: () => { S.order = o.order_no; K.flash(''); render(); } },
          h('span', { class: 'no' }, t('order-n', { no: o.order_no })),
          p.group_size ? h('span', { class: 'hint grp' }, t('group-n', { g: Math.ceil(o.order_no / p.group_size) })) : null,
          h('span', { class: 'state' }, o.mine ? '✓ ' + t('o-done', { total: o.mine.total }) : t('o-todo')),
          h('span', { class: 'hint' }, t('o-entered', { n: o.entered, of: p.examiners })))))));
  }

  // "25", "25.5", "25.25" within [0, max]
  function parseScore(s, max) {
    if (!/^\d{1,4}(\.\d{1,2})?$/.test(s)) return null;
    const v = Math.round(Number(s) * 100);
    return v <= Math.round(Number(max) * 100) ? v : null;
  }
  const fmt = (hund) => { const s = (hund / 100).toFixed(2); return s.replace(/\.?0+$/, ''); };

  function scoreCard() {
    const p = S.panel;
    const o = p.orders.find((x) => x.order_no === S.order);
    const dims = p.dimensions || [];
    const box = h('div', { id: 'score-msg', role: 'status', 'aria-live': 'polite' });
    const d = S.draft[`${p.panel_id}-${o.order_no}`] || (S.draft[`${p.panel_id}-${o.order_no}`] = {});
    const correcting = !!o.mine;
    // a correction starts from what was entered
    if (correcting && !d.started) { o.mine.scores.forEach((v, i) => { d[i] = v; }); d.started = true; }
    const totalEl = h('output', { id: 'total' }, '—');
    const retotal = () => {
      let sum = 0, all = true;
      dims.forEach((x, i) => { const v = parseScore((d[i] || '').trim(), x.max); if (v === null) all = false; else sum += v * x.weight; });
      totalEl.textContent = all ? fmt(Math.round(sum / 100)) : '—';
      return all ? fmt(Math.round(sum / 100)) : null;
    };
    const inputs = dims.map((x, i) => h('div', { class: 'dim' },
      h('label', { for: 'dim-' + i }, h('span', { class: 'dname' }, x.name), h('span', { class: 'hint' }, t('range', { max: x.max }), x.weight !== 100 ? ' · ' + t('weight', { w: x.weight }) : '')),
      h('input', { id: 'dim-' + i, class: 'score-in', inputmode: 'decimal', autocomplete: 'off', value: d[i] || '', 'aria-describedby': 'err-' + i,
        oninput: (ev) => { d[i] = ev.target.value; ev.target.removeAttribute('aria-invalid'); $('err-' + i).textContent = ''; retotal(); } }),
      h('p', { class: 'field-err', id: 'err-' + i })));
    const reason = correcting ? h('textarea', { id: 'reason', rows: '2', maxlength: '500', value: d.reason || '', oninput: (ev) => { d.reason = ev.target.value; } }) : null;
    const form = h('form', { class: 'score-form', id: 'score-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      let bad = false;
      dims.forEach((x, i) => {
        const s = (d[i] || '').trim();
        if (parseScore(s, x.max) === null) {
          bad = true;
          $('dim-' + i).setAttribute('aria-invalid', 'true');
          $('err-' + i).textContent = s ? t('bad-range', { name: x.name, max: x.max }) : t('bad-empty');
        }
      });
      if (bad) return;
      if (correcting && !(d.reason || '').trim()) { $('reason-err').textContent = t('need-reason'); return; }
      const total = retotal();
      if (!correcting && !await K.confirmBox(t('submit-q', { no: o.order_no, total }), t('submit'))) return;
      const body = { scores: dims.map((x, i) => d[i].trim()) };
      if (correcting) body.correction_reason = d.reason.trim();
      const r = await api('POST', `/api/v1/interview_panels/${p.panel_id}/orders/${o.order_no}/scores`, body);
      if (!r.ok) return refused(r, box);
      delete S.draft[`${p.panel_id}-${o.order_no}`];
      S.order = null;
      await load();
      render();
      K.flash(t(r.json.corrected ? 'corrected' : 'sent', { no: o.order_no, total: r.json.total, n: r.json.entered, of: r.json.examiners }), true);
    } },
    inputs, h('p', { class: 'sum' }, t('total'), '：', totalEl),
    correcting ? [h('label', { for: 'reason' }, t('reason-label')), reason, h('p', { class: 'field-err', id: 'reason-err' })] : null,
    h('button', { type: 'submit', class: 'btn primary big', id: 'submit-scores' }, correcting ? t('correct') : t('submit')));
    setTimeout(retotal);
    const mine = o.mine ? h('div', { class: 'mine' }, h('h3', {}, t('mine')), h('p', {},
      dims.map((x, i) => `${x.name} ${o.mine.scores[i]}`).join(' · '), ' → ', h('strong', {}, o.mine.total)),
    o.mine.corrections ? h('p', { class: 'hint' }, t('corrections', { n: o.mine.corrections })) : null) : null;
    const closed = o.stage !== 'scoring';
    return h('section', { class: 'card', id: 'score-card' },
      h('button', { type: 'button', class: 'btn', id: 'back', onclick: () => { S.order = null; K.flash(''); render(); } }, '← ', t('back')),
      h('h2', {}, correcting && !closed && d.correct ? t('correct-h', { no: o.order_no }) : t('score-h', { no: o.order_no })),
      mine, closed ? h('p', { class: 'hint' }, t('closed'))
        : correcting && !d.correct ? h('button', { type: 'button', class: 'btn big', id: 'start-correct', onclick: () => { d.correct = true; render(); } }, t('correct'))
          : form, box, othersBlock(o));
  }

  function othersBlock(o) {
    const box = h('div', { id: 'others' });
    const btn = h('button', { type: 'button', class: 'btn', id: 'show-others', onclick: () => showScores(o.order_no, box) }, t('show-others'));
    return h('div', { class: 'others' }, h('h3', {}, t('others-h')), btn, box);
  }

  // Every examiner's scores of an order, or why they are hidden.
  async function showScores(no, box) {
    const p = S.panel;
    const r = await api('GET', `/api/v1/interview_panels/${p.panel_id}/orders/${no}/scores`);
    if (!r.ok) {
      const e = r.json.error || {};
      if (e.code === 'INTERVIEW_SCORES_HIDDEN') {
        return box.replaceChildren(h('p', { class: 'alert hidden-scores' }, t('hidden', { n: e.details.entered, of: e.details.examiners }),
          h('span', { class: 'hint' }, t('error-code', { code: e.code }))));
      }
      return K.showError(r, null, box);
    }
    const j = r.json;
    const dims = p.dimensions || [];
    box.replaceChildren(
      h('p', { class: 'hint' }, t(j.method === 'mean' ? 'method-mean' : 'method-trimmed')),
      h('div', { class: 'wrap' }, h('table', { class: 'grid scores', id: 'scores-' + no },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('examiner')), dims.map((x) => h('th', { scope: 'col', class: 'num' }, x.name)),
          h('th', { scope: 'col', class: 'num' }, t('dtotal')), h('th', { scope: 'col' }, t('mark')))),
        h('tbody', {}, j.items.map((x) => h('tr', { class: x.dropped ? 'dropped' : null, 'data-examiner': x.examiner },
          h('td', {}, x.examiner, ' ', h('span', { class: 'hint' }, t('d-' + x.duty)), x.corrections ? h('span', { class: 'hint' }, ' · ', t('corrections', { n: x.corrections })) : null),
          x.scores.map((s) => h('td', { class: 'num' }, s)),
          h('td', { class: 'num total' }, x.dropped ? h('s', {}, x.total) : x.total),
          h('td', { class: 'mark' }, x.dropped ? h('span', { class: 'badge bad' }, t('dropped-' + x.dropped)) : t('kept'))))))),
      h('p', { class: 'sum panel-score' }, j.score !== null ? t('score', { s: j.score }) : t('score-none')));
  }

  // ---- sign-offs ----
  function signCard() {
    const p = S.panel;
    const as = p.duty;
    const box = h('div', { id: 'sign-msg', role: 'status', 'aria-live': 'polite' });
    const rows = p.orders.map((o) => {
      const scores = h('div', { class: 'sign-scores', id: 'sign-scores-' + o.order_no });
      return h('li', { class: 'sign-row', 'data-order': String(o.order_no) },
        h('div', { class: 'row' }, h('strong', { class: 'no' }, t('order-n', { no: o.order_no })),
          h('span', { class: 'badge stage st-' + o.stage }, t('st-' + o.stage)),
          h('span', { class: 'hint' }, t('o-entered', { n: o.entered, of: p.examiners })),
          o.score !== null ? h('span', { class: 'score' }, t('score', { s: o.score })) : null),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn', onclick: () => showScores(o.order_no, scores) }, t('show-others')),
          o.stage === 'chief' ? null : h('button', { type: 'button', class: 'btn primary big sign', 'data-as': as, onclick: async () => {
            const r = await api('POST', `/api/v1/interview_panels/${p.panel_id}/orders/${o.order_no}/signoffs`, { as });
            if (!r.ok) return refused(r, box);
            await load();
            render();
            K.flash(t('signed', { no: o.order_no, stage: t('st-' + r.json.stage) }), true);
            const again = $('sign-scores-' + o.order_no);
            if (again) showScores(o.order_no, again);
          } }, t('as-' + as))),
        scores);
    });
    return h('section', { class: 'card', id: 'signoffs' }, h('h2', {}, t('sign-h')), h('p', { class: 'hint' }, t('sign-hint')), box,
      p.orders.length ? h('ul', { class: 'signs' }, rows) : h('p', {}, t('no-orders')),
      h('button', { type: 'button', class: 'btn', id: 'refresh', onclick: refresh }, t('refresh')));
  }

  function refused(r, box) {
    K.showError(r, (d) => {
      const code = r.json.error.code;
      if (!K.has('why-' + code)) return null;
      const v = Object.assign({}, d, { as_: d.as ? t('exp-' + d.as) : '' });
      if ('expected' in d) v.expected = t('exp-' + (d.expected || ''));
      return h('p', { class: 'problem' }, t('why-' + code, v));
    }, box);
  }

  K.chrome(render);
  start();
})();
