// Subjective marking (SPEC GRD-1..3, AH 57; issue 10 items 4 and 10): /marking.html
// [?marking=ID][&tab=mark|lead|confirm]. The markings the signed-in person may work on
// (GET /api/v1/markings: what their grants allow) and, per marking, a tab for each thing they
// may do there:
//   mark    — for a marker: "next script" shows ONE script at a time — its anonymous code, its
//             round and the marking scheme (full marks, each question's maximum) — with an input
//             per question (or the total), the running sum, Enter to submit; then the next one.
//             Nothing that identifies the candidate, nor another marker's mark, ever reaches
//             this tab (the server sends none).
//   lead    — for the marking lead: the progress (scripts per stage), the arbitration queue
//             (round 4: the chief marker's mark), the per-marker statistics with their flags
//             (too lenient / too strict against the other markers or the expert marks of control
//             scripts, drift) and suspending or reinstating a marker, the control scripts and
//             seeding one, and closing the marking (the checked total recorded).
//   confirm — for the second person: the total and count they checked, then unblinding and the
//             results (GRD-3: adding and checking by different people).
// The session is the console's (the kw_session cookie, X-CSRF-Token on writes); the server
// decides who may do what, and its refusals are shown in its words.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '主观题评卷', title: '主观题评卷', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '理由', 'need-reason': '请写明理由。', 'to-console': '返回工作台', 'to-scoring': '客观题评分',
      lead: '答卷已密封编号：评卷员只看到答卷编号、评次和评分标准，看不到考生信息，也看不到其他评卷员的评分。每份答卷由两名评卷员分别评阅，相差超过允许误差的交第三名评卷员评阅，仍不能确定的由评卷组长仲裁。全部定分后由一人累分、另一人复核，复核无误方可拆卷登分。',
      marking: '评卷科目', show: '查看', 'no-markings': '目前没有您可以参加的评卷。',
      'opt-marking': '{exam}（{code}）· {subject} {name} · {status}',
      'st-open': '评卷中', 'st-closed': '已累分，待复核', 'st-confirmed': '已复核，已拆卷登分',
      'tab-mark': '评卷', 'tab-lead': '评卷组长', 'tab-confirm': '复核登分', tabs: '工作内容',
      none: '—', pts: '{p} 分', 'cst-note': '时间均为北京时间。',
      // marking a script
      'mark-h': '评卷：{subject} {name}',
      'mine-n': '您在本科目已评阅 {n} 份答卷。',
      'suspended-note': '评卷组长已暂停您评阅本科目，不再向您分发答卷。如有疑问请与评卷组长联系。',
      'closed-note': '本科目评卷已结束，不再分发答卷。',
      'next-send': '取下一份答卷', 'next-again': '再取一次', 'taking': '正在取答卷…',
      'none-left': '目前没有需要您评阅的答卷。其他评卷员评完后可能还会有（例如需要第三评的答卷），稍后可再取一次。',
      'script-h': '答卷 {code}', 'round-1': '一评', 'round-2': '二评', 'round-3': '三评（前两评相差超过允许误差）', 'round-4': '仲裁（评卷组长评定）',
      'round-label': '评次', 'scheme-label': '评分标准', 'scheme-total': '满分 {p} 分', 'scheme-item': '第 {n} 题 {p} 分',
      'q-label': '第 {n} 题得分（满分 {p} 分）', 'points-label': '得分（满分 {p} 分）',
      'sum-live': '合计：{p} 分', 'sum-wait': '合计：—',
      'mark-send': '提交评分', 'mark-keys': '按 Enter 提交；每份答卷只能提交一次。',
      'need-points': '请填写得分。', 'bad-points': '得分应是不小于 0 的数，最多两位小数。', 'over-max': '不能超过满分 {p} 分。',
      sending: '正在提交…', marked: '答卷 {code} 已评：{p} 分。',
      'f-points_range': '超出评分标准的范围', 'f-not_items_sum': '各题得分之和与总分不符', 'f-required': '请填写',
      'f-items_scheme': '题数与评分标准不符', 'f-points': '分值有误', 'f-type': '格式有误', 'f-unknown': '无法识别',
      'f-count': '应是 1 到 1000 的整数', 'f-self': '不能是本人', 'f-too_long': '太长',
      // the lead
      'progress-h': '进度', 'p-scripts': '答卷总数', 'p-double': '双评中', 'p-third': '待三评', 'p-chief': '待仲裁', 'p-final': '已定分',
      'p-status': '状态', 'p-tolerance': '允许误差', 'p-bar': '已定分 {f} / {n} 份',
      'arb-h': '仲裁（评卷组长评定）', 'arb-none': '没有等待仲裁的答卷。', 'arb-taken': '（{who} 正在评定）',
      'arb-send': '仲裁下一份', 'arb-note': '三评后仍不能确定的答卷由评卷组长评定，组长的评分为最终得分。',
      'markers-h': '评卷员质量', 'markers-none': '还没有评卷员提交评分。',
      'markers-note': '与他人比：同一答卷其他评卷员（一至三评）评分的平均值之差；与样卷比：与样卷专家评分之差；漂移：最近 {w} 份与最初 {w} 份的偏差之差。偏差超过 {thr} 分且至少 {min} 份时标出。',
      'm-marker': '评卷员', 'm-marks': '评阅份数', 'm-mean': '平均分', 'm-sd': '标准差', 'm-peer': '与他人比（份数）',
      'm-control': '与样卷比（份数）', 'm-drift': '漂移', 'm-flags': '提示', 'm-state': '状态', 'm-act': '操作',
      'with-n': '{v}（{n} 份）', 'ok-state': '正常', 'susp-state': '已暂停', 'no-flags': '无',
      'fl-lenient-peers': '偏松：比其他评卷员平均高 {v} 分', 'fl-strict-peers': '偏严：比其他评卷员平均低 {v} 分',
      'fl-lenient-control': '偏松：比样卷专家评分平均高 {v} 分', 'fl-strict-control': '偏严：比样卷专家评分平均低 {v} 分',
      'fl-drift-marks': '漂移：偏差变化 {v} 分',
      'suspend-send': '暂停评卷', 'reinstate-send': '恢复评卷',
      'confirm-suspend': '暂停 {who} 评阅本科目：不再向其分发答卷，其已领取但未评的答卷退回由其他评卷员评阅。请写明理由（记入审计）。',
      'confirm-reinstate': '恢复 {who} 评阅本科目？',
      suspended: '已暂停 {who} 评卷，退回答卷 {n} 份。', reinstated: '已恢复 {who} 评卷。',
      'controls-h': '样卷（控制卷）',
      'controls-note': '样卷有专家商定的评分，混在正常答卷中分发给每名评卷员各一次，评卷员无法区分；样卷的评分不计入任何考生成绩，只用于检查评卷员与专家评分的偏差。约每 {every} 份中有一份样卷。',
      'controls-none': '还没有样卷。', 'c-no': '编号', 'c-label': '说明', 'c-points': '专家评分', 'c-items': '各题',
      'c-handed': '已分发', 'c-marked': '已评', 'c-diff': '平均偏差', 'c-by': '设置人',
      'control-add-h': '增加样卷', 'control-points': '专家评分（满分 {p} 分）', 'control-items': '各题专家评分（选填，用逗号分隔，共 {n} 题）',
      'control-label': '说明（选填，评卷员看不到）', 'control-send': '增加样卷', 'control-added': '已增加样卷（共 {n} 份）。',
      'bad-items': '请按题序填写 {n} 个分数，用逗号分隔。',
      'close-h': '结束评卷并累分',
      'close-note': '全部答卷定分后，累计总分和份数并记录；之后由另一人复核，复核无误方可拆卷登分。样卷不计入总分。',
      'close-send': '结束评卷并累分', 'confirm-close': '结束“{subject}”的评卷并累分？结束后不再分发或评阅答卷，总分交另一人复核。',
      closed: '已累分：{n} 份，总分 {p} 分。请由另一人复核。',
      'closed-facts': '已累分：{n} 份，总分 {p} 分（{by}，{at}）。',
      // confirming
      'check-h': '复核累分',
      'check-open': '评卷尚未结束累分，复核须在累分之后。',
      'check-note': '请独立核算全部答卷的总分和份数后填写；与累分记录一致方可拆卷登分。累分人与复核人不得为同一人。',
      'check-by': '累分人：{by}（{at}）', 'check-total': '核算的总分', 'check-count': '核算的份数',
      'check-send': '复核并拆卷登分', 'need-count': '请填写份数（整数）。',
      'confirm-check': '以总分 {p} 分、{n} 份复核并拆卷登分？拆卷后各答卷的得分与考生对应。',
      checked: '复核无误，已拆卷登分。', 'confirmed-facts': '已由 {by} 复核并拆卷登分（{at}）。',
      'digest-label': '结果摘要',
      'results-h': '拆卷登分结果', 'r-ticket': '准考证号', 'r-script': '答卷编号', 'r-final': '最终得分', 'r-resolved': '定分方式',
      'res-double': '两评平均', 'res-third': '三评取近', 'res-chief': '组长仲裁',
    },
    en: {
      brand: 'Marking', title: 'Marking', skip: 'Skip to the content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Give the reason.', 'to-console': 'Back to the console', 'to-scoring': 'Objective scoring',
      lead: 'Scripts are anonymous: a marker sees a script\'s code, the round and the marking scheme, never the candidate and never another marker\'s mark. Every script is marked by two markers independently; two marks further apart than the tolerance go to a third marker, and what that does not settle the marking lead decides. When every script is final one person adds up the total and another checks it; only then are the scripts unblinded.',
      marking: 'Marking', show: 'Show', 'no-markings': 'There is no marking you may take part in.',
      'opt-marking': '{exam} ({code}) · {subject} {name} · {status}',
      'st-open': 'open', 'st-closed': 'added up, to be checked', 'st-confirmed': 'checked and unblinded',
      'tab-mark': 'Mark', 'tab-lead': 'Marking lead', 'tab-confirm': 'Check and unblind', tabs: 'Work',
      none: '—', pts: '{p} pts', 'cst-note': 'Times are China time.',
      'mark-h': 'Marking: {subject} {name}',
      'mine-n': 'You have marked {n} scripts of this subject.',
      'suspended-note': 'The marking lead has suspended you from marking this subject: no more scripts are handed out to you. Ask the marking lead if in doubt.',
      'closed-note': 'This subject\'s marking is closed: no more scripts are handed out.',
      'next-send': 'Next script', 'next-again': 'Try again', 'taking': 'Taking a script…',
      'none-left': 'There is no script for you to mark now. More may come once others have marked (a third marking, say); try again later.',
      'script-h': 'Script {code}', 'round-1': 'first marking', 'round-2': 'second marking', 'round-3': 'third marking (the first two further apart than the tolerance)', 'round-4': 'arbitration (the marking lead decides)',
      'round-label': 'Round', 'scheme-label': 'Scheme', 'scheme-total': 'full marks {p}', 'scheme-item': 'question {n}: {p}',
      'q-label': 'Question {n} (at most {p})', 'points-label': 'Points (at most {p})',
      'sum-live': 'Total: {p}', 'sum-wait': 'Total: —',
      'mark-send': 'Submit the mark', 'mark-keys': 'Enter submits; a script is marked once.',
      'need-points': 'Give the points.', 'bad-points': 'Points are a number of at least 0 with at most two decimals.', 'over-max': 'At most {p}.',
      sending: 'Sending…', marked: 'Script {code} marked: {p}.',
      'f-points_range': 'outside the scheme', 'f-not_items_sum': 'the questions do not add up to the total', 'f-required': 'required',
      'f-items_scheme': 'not the scheme\'s questions', 'f-points': 'not valid points', 'f-type': 'wrong type', 'f-unknown': 'not known',
      'f-count': 'a whole number from 1 to 1000', 'f-self': 'not yourself', 'f-too_long': 'too long',
      'progress-h': 'Progress', 'p-scripts': 'Scripts', 'p-double': 'Double marking', 'p-third': 'Third marking', 'p-chief': 'Arbitration', 'p-final': 'Final',
      'p-status': 'Status', 'p-tolerance': 'Tolerance', 'p-bar': '{f} of {n} scripts final',
      'arb-h': 'Arbitration (the marking lead decides)', 'arb-none': 'No script waits for arbitration.', 'arb-taken': ' ({who} is marking it)',
      'arb-send': 'Arbitrate the next one', 'arb-note': 'Scripts the third marking did not settle are decided by the marking lead: the lead\'s mark is final.',
      'markers-h': 'Markers\' quality', 'markers-none': 'No marker has marked yet.',
      'markers-note': 'Against others: the difference from the mean of the other markers\' marks (rounds 1-3) of the same scripts; against controls: from the expert marks of control scripts; drift: the deviation of the last {w} marks against the first {w}. Flagged beyond {thr} points over {min} scripts or more.',
      'm-marker': 'Marker', 'm-marks': 'Marked', 'm-mean': 'Mean', 'm-sd': 'SD', 'm-peer': 'Against others (scripts)',
      'm-control': 'Against controls (scripts)', 'm-drift': 'Drift', 'm-flags': 'Flags', 'm-state': 'State', 'm-act': 'Actions',
      'with-n': '{v} ({n})', 'ok-state': 'marking', 'susp-state': 'suspended', 'no-flags': 'none',
      'fl-lenient-peers': 'Lenient: {v} above the other markers on average', 'fl-strict-peers': 'Strict: {v} below the other markers on average',
      'fl-lenient-control': 'Lenient: {v} above the expert marks on average', 'fl-strict-control': 'Strict: {v} below the expert marks on average',
      'fl-drift-marks': 'Drift: the deviation changed by {v}',
      'suspend-send': 'Suspend', 'reinstate-send': 'Reinstate',
      'confirm-suspend': 'Suspend {who} from marking this subject: no more scripts for them; the scripts they hold unmarked go back to the others. Give the reason (it is audited).',
      'confirm-reinstate': 'Let {who} mark this subject again?',
      suspended: '{who} suspended; {n} scripts released.', reinstated: '{who} may mark again.',
      'controls-h': 'Control scripts',
      'controls-note': 'A control script has an agreed expert mark. Each marker gets it once, mixed into the normal scripts, and cannot tell it apart; its marks count in no candidate\'s result and serve only to compare markers with the expert mark. About one script in {every} handed out is a control script.',
      'controls-none': 'No control script yet.', 'c-no': 'No.', 'c-label': 'Note', 'c-points': 'Expert mark', 'c-items': 'Questions',
      'c-handed': 'Handed out', 'c-marked': 'Marked', 'c-diff': 'Mean deviation', 'c-by': 'By',
      'control-add-h': 'Add a control script', 'control-points': 'Expert mark (at most {p})', 'control-items': 'Expert mark per question (optional, comma-separated, {n} questions)',
      'control-label': 'Note (optional; markers never see it)', 'control-send': 'Add the control script', 'control-added': 'Control script added ({n} in all).',
      'bad-items': 'Give {n} points in question order, separated by commas.',
      'close-h': 'Close the marking and add up',
      'close-note': 'When every script is final, the total and the count are added up and recorded; another person then checks them, and only then are the scripts unblinded. Control scripts are not counted.',
      'close-send': 'Close and add up', 'confirm-close': 'Close the marking of "{subject}" and add up? No more scripts are handed out or marked; the total goes to another person to check.',
      closed: 'Added up: {n} scripts, total {p}. Another person checks it now.',
      'closed-facts': 'Added up: {n} scripts, total {p} ({by}, {at}).',
      'check-h': 'Check the total',
      'check-open': 'The marking is not closed yet: the total is checked after it is added up.',
      'check-note': 'Add up the total and the count yourself and enter them; they must agree with the record before the scripts are unblinded. The person who added up cannot check.',
      'check-by': 'Added up by {by} ({at})', 'check-total': 'The total you checked', 'check-count': 'The number of scripts',
      'check-send': 'Check and unblind', 'need-count': 'Give the number of scripts (a whole number).',
      'confirm-check': 'Check with a total of {p} over {n} scripts and unblind? The scripts\' marks are then joined to the candidates.',
      checked: 'The total agrees: the scripts are unblinded.', 'confirmed-facts': 'Checked and unblinded by {by} ({at}).',
      'digest-label': 'Result digest',
      'results-h': 'Results', 'r-ticket': 'Ticket number', 'r-script': 'Script', 'r-final': 'Final', 'r-resolved': 'Settled by',
      'res-double': 'mean of two', 'res-third': 'closest two of three', 'res-chief': 'arbitration',
    },
  };
  const q0 = new URLSearchParams(location.search);
  const S = { me: null, list: [], cur: null, tab: q0.get('tab') || '', script: null, busy: false, marking: null };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false);
  const en = () => K.lang === 'en';
  const pts = (p) => t('pts', { p });
  let uid = 0;

  // ---- small pieces (as scoring.js) ----
  function table(cls, cols, rows) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid stack ' + cls },
      h('thead', {}, h('tr', {}, cols.map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', cells.cls ? { class: cells.cls } : {}, cells.map((v, i) =>
        h('td', { class: cols[i][1] || null, 'data-label': cols[i][0] }, v === '' || v === null ? null : h('span', { class: 'v' }, v))))))));
  }
  function field(label, input, hint) {
    const id = input.id || 'mf' + (++uid);
    input.id = id;
    const kids = [h('label', { for: id }, label), input];
    const desc = [];
    if (hint) { kids.push(h('span', { class: 'hint', id: id + '-hint' }, hint)); desc.push(id + '-hint'); }
    kids.push(h('span', { class: 'err', id: id + '-err' }));
    desc.push(id + '-err');
    input.setAttribute('aria-describedby', desc.join(' '));
    return h('div', { class: 'field' }, kids);
  }
  function markField(el, text) {
    el.setAttribute('aria-invalid', 'true');
    const err = el.closest('.field').querySelector('.err');
    if (err) err.textContent = text;
  }
  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    form.querySelectorAll('.err').forEach((x) => x.replaceChildren());
  }
  const fieldWords = (p) => (K.has('f-' + p) || TEXT['zh-CN']['f-' + p] ? t('f-' + p) : p);
  function refusal(r, box) {
    K.showError(r, (d) => K.fieldList((d.fields || []).map((f) => ({ field: f.field, message: fieldWords(f.problem) }))), box);
  }
  function working(box, text) {
    box.replaceChildren(h('div', { class: 'working', role: 'status' }, h('progress', { 'aria-label': text }), ' ', text));
  }
  function okFlash(text) {
    flash(text, true);
    const a = $('flash').querySelector('.alert');
    if (a) { a.tabIndex = -1; a.focus({ preventScroll: true }); }
  }
  function setUrl() {
    const u = new URLSearchParams();
    if (S.cur) u.set('marking', String(S.cur.id));
    if (S.tab) u.set('tab', S.tab);
    history.replaceState(null, '', '?' + u.toString());
  }
  // Points as typed ("12.5") into hundredths, or -1.
  function hundredths(s) {
    const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(String(s).trim());
    if (!m) return -1;
    return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
  }
  function fromH(x) {
    const w = Math.floor(x / 100), f = x % 100;
    return f ? `${w}.${String(f).padStart(2, '0').replace(/0$/, '')}` : String(w);
  }
  const base = () => `/api/v1/exams/${S.cur.exam_id}/subjects/${encodeURIComponent(S.cur.subject)}/marking`;

  // ---- start: who is here and the markings they may work on ----
  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    const l = await api('GET', '/api/v1/markings');
    if (!l.ok) { S.list = []; view(l); return; }
    S.list = l.json.items;
    const want = Number(q0.get('marking')) || (S.cur && S.cur.id) || 0;
    S.cur = S.list.find((x) => x.id === want) || S.list.find((x) => x.status === 'open') || S.list[0] || null;
    view();
  }
  const tabsOf = (m) => (m ? ['mark', 'lead', 'confirm'].filter((x) => m.can[x]) : []);

  function view(refused) {
    flash('');
    const kids = [h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')))];
    if (S.list.length > 1) {
      const sel = h('select', { id: 'marking', name: 'marking' }, S.list.map((m) => h('option', { value: String(m.id) },
        t('opt-marking', { exam: m.exam_name, code: m.exam_code, subject: m.subject, name: m.subject_name, status: t('st-' + m.status) }))));
      if (S.cur) sel.value = String(S.cur.id);
      kids.push(h('form', { class: 'row bar', role: 'search', 'aria-label': t('marking'), onsubmit: (ev) => {
        ev.preventDefault();
        const m = S.list.find((x) => String(x.id) === sel.value);
        if (!m) return;
        if (!S.cur || m.id !== S.cur.id) { S.script = null; S.tab = ''; }
        S.cur = m;
        view();
      } }, h('label', { for: 'marking' }, t('marking')), sel, h('button', { type: 'submit', class: 'btn primary' }, t('show'))));
    }
    const body = h('div', { id: 'marking-body' });
    kids.push(body);
    $('view').replaceChildren(...kids);
    if (refused) return refusal(refused, body);
    if (!S.cur) return body.replaceChildren(h('p', {}, t('no-markings')));
    const tabs = tabsOf(S.cur);
    if (!tabs.includes(S.tab)) S.tab = tabs[0];
    setUrl();
    const m = S.cur;
    body.replaceChildren(...[
      h('h2', { id: 'marking-h' }, `${m.exam_name}（${m.exam_code}）· ${m.subject} ${m.subject_name}`),
      h('p', { class: 'hint' }, h('span', { class: 'badge st-' + m.status }, t('st-' + m.status))),
      tabs.length > 1 ? h('nav', { class: 'tabs', 'aria-label': t('tabs') }, h('ul', {}, tabs.map((x) => h('li', {},
        h('a', { href: `?marking=${m.id}&tab=${x}`, id: 'tab-' + x, 'aria-current': x === S.tab ? 'page' : null,
          onclick: (ev) => { ev.preventDefault(); S.tab = x; view(); } }, t('tab-' + x)))))) : null,
      h('section', { id: 'tab-body', class: 'card', 'aria-labelledby': 'tab-h' })].filter(Boolean));
    if (S.tab === 'mark') renderMark();
    else if (S.tab === 'lead') renderLead();
    else renderConfirm();
  }

  // The list again (my_marks, suspended, status), the chosen marking kept.
  async function refreshList() {
    const l = await api('GET', '/api/v1/markings');
    if (!l.ok) return;
    S.list = l.json.items;
    S.cur = S.list.find((x) => S.cur && x.id === S.cur.id) || S.cur;
  }

  // ---- mark: one script at a time ----
  function renderMark() {
    const m = S.cur;
    const box = $('tab-body');
    const area = h('div', { id: 'script-area' });
    box.replaceChildren(h('h3', { id: 'tab-h' }, t('mark-h', { subject: m.subject, name: m.subject_name })),
      h('p', { class: 'hint', id: 'mine' }, t('mine-n', { n: m.my_marks })), area);
    if (m.suspended) return area.replaceChildren(h('div', { class: 'alert', role: 'alert', id: 'suspended' }, t('suspended-note')));
    if (m.status !== 'open') return area.replaceChildren(h('p', { class: 'alert' }, t('closed-note')));
    if (S.script) return scriptForm(area, S.script, false);
    nextButton(area, false, false);
  }
  function nextButton(area, empty, arbitration) {
    const btn = h('button', { type: 'button', class: 'btn primary', id: arbitration ? 'arb-next' : 'next',
      onclick: () => takeNext(area, arbitration) }, t(arbitration ? 'arb-send' : empty ? 'next-again' : 'next-send'));
    area.replaceChildren(empty ? h('p', { class: 'none-left', role: 'status' }, arbitration ? t('arb-none') : t('none-left')) : '',
      h('div', { class: 'row actions' }, btn));
    return btn;
  }
  async function takeNext(area, arbitration) {
    if (S.busy) return;
    S.busy = true;
    working(area, t('taking'));
    let r;
    try {
      r = await api('POST', base() + '/next' + (arbitration ? '?round=4' : ''));
    } finally {
      S.busy = false;
    }
    if (!r.ok) {
      refusal(r, area);
      if (r.json.error.code === 'MARKING_SUSPENDED' || r.json.error.code === 'MARKING_CLOSED') await refreshList();
      return;
    }
    if (!r.json.script) {
      if (!arbitration) S.script = null;
      nextButton(area, true, arbitration).focus();
      return;
    }
    if (!arbitration) S.script = r.json.script;
    scriptForm(area, r.json.script, arbitration);
  }

  // A script: its code, round and scheme, an input per question (or the total), Enter submits.
  function scriptForm(area, sc, arbitration) {
    const items = (sc.scheme.items || []).map(hundredths);
    const maxH = hundredths(sc.scheme.max_points);
    const inputs = items.length
      ? items.map((mx, i) => h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'pts', name: 'q' + (i + 1),
        id: 'q' + (i + 1), 'data-max': String(mx), maxlength: '8', required: true }))
      : [h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'pts', name: 'points', id: 'points',
        'data-max': String(maxH), maxlength: '8', required: true })];
    const sum = h('output', { id: 'sum', 'aria-live': 'polite' }, t('sum-wait'));
    const live = h('div', { class: 'step-msg', id: 'mark-msg', 'aria-live': 'polite' });
    const update = () => {
      let total = 0;
      for (const x of inputs) { const v = hundredths(x.value); if (v < 0) { sum.textContent = t('sum-wait'); return; } total += v; }
      sum.textContent = t('sum-live', { p: fromH(total) });
    };
    inputs.forEach((x) => x.addEventListener('input', update));
    const btn = h('button', { type: 'submit', class: 'btn primary', id: 'mark-send' }, t('mark-send'));
    const form = h('form', { id: 'mark-form', class: 'step', novalidate: true, onsubmit: (ev) => { ev.preventDefault(); submitMark(area, sc, inputs, form, btn, live, arbitration); } },
      items.length
        ? inputs.map((x, i) => field(t('q-label', { n: i + 1, p: sc.scheme.items[i] }), x))
        : field(t('points-label', { p: sc.scheme.max_points }), inputs[0]),
      items.length > 1 ? h('p', { class: 'sum' }, sum) : null,
      h('div', { class: 'row actions' }, btn), h('p', { class: 'hint' }, t('mark-keys')), live);
    const scheme = [t('scheme-total', { p: sc.scheme.max_points })].concat((sc.scheme.items || []).map((p, i) => t('scheme-item', { n: i + 1, p })));
    area.replaceChildren(h('article', { class: 'script', id: 'script', 'aria-labelledby': 'script-h' },
      h('h4', { id: 'script-h' }, t('script-h', { code: '' }), h('code', { class: 'script-code', id: 'script-code' }, sc.code)),
      h('dl', { class: 'facts' }, h('dt', {}, t('round-label')), h('dd', { id: 'round' }, t('round-' + sc.round)),
        h('dt', {}, t('scheme-label')), h('dd', { id: 'scheme' }, scheme.join(en() ? '; ' : '；'))),
      form));
    inputs[0].focus();
  }

  async function submitMark(area, sc, inputs, form, btn, live, arbitration) {
    if (S.busy) return;
    clearErrors(form);
    live.replaceChildren();
    let bad = null;
    const vals = inputs.map((x) => {
      const v = x.value.trim();
      const hv = hundredths(v);
      const why = !v ? t('need-points') : hv < 0 ? t('bad-points') : hv > Number(x.dataset.max) ? t('over-max', { p: fromH(Number(x.dataset.max)) }) : null;
      if (why) { markField(x, why); bad = bad || x; }
      return v;
    });
    if (bad) { bad.focus(); return; }
    const body = inputs.length > 1 || inputs[0].name !== 'points' ? { items: vals } : { points: vals[0] };
    S.busy = true;
    btn.disabled = true;
    working(live, t('sending'));
    let r;
    try {
      r = await api('POST', `/api/v1/scripts/${encodeURIComponent(sc.code)}/marks`, body);
    } finally {
      S.busy = false;
      btn.disabled = false;
    }
    if (!r.ok) {
      const fields = (r.json.error.details && r.json.error.details.fields) || [];
      let first = null;
      for (const f of fields) {
        const m = /^items\[(\d+)\]$/.exec(f.field);
        const el = m ? inputs[Number(m[1]) - 1] : inputs[inputs.length - 1];
        if (el) { markField(el, fieldWords(f.problem)); first = first || el; }
      }
      refusal(r, live);
      if (first) first.focus();
      return;
    }
    if (!arbitration) S.script = null;
    if (S.cur) S.cur.my_marks += 1;
    okFlash(t('marked', { code: sc.code, p: r.json.mark ? r.json.mark.points : '' }));
    if (arbitration) return loadLead();
    const mine = $('mine');
    if (mine) mine.textContent = t('mine-n', { n: S.cur.my_marks });
    // the next script straight away: the keyboard stays on the marks
    await takeNext(area, false);
  }

  // ---- lead: progress, arbitration, markers, control scripts, close ----
  function renderLead() {
    const box = $('tab-body');
    box.replaceChildren(h('h3', { id: 'tab-h', class: 'vh' }, t('tab-lead')),
      h('section', { id: 'progress', 'aria-labelledby': 'progress-h' }, h('p', { class: 'hint' }, t('loading'))),
      h('section', { id: 'arbitration', 'aria-labelledby': 'arb-h' }),
      h('section', { id: 'markers', 'aria-labelledby': 'markers-h' }),
      h('section', { id: 'controls', 'aria-labelledby': 'controls-h' }),
      h('section', { id: 'close', 'aria-labelledby': 'close-h' }));
    loadLead();
  }
  async function loadLead() {
    const cur = S.cur;
    const [g, mk, ct] = await Promise.all([api('GET', base()), api('GET', base() + '/markers'), api('GET', base() + '/controls')]);
    if (S.cur !== cur || S.tab !== 'lead' || !$('progress')) return;
    if (!g.ok) return refusal(g, $('progress'));
    S.marking = g.json;
    cur.status = g.json.status;
    renderProgress(g.json);
    renderArbitration(g.json);
    if (mk.ok) renderMarkers(mk.json, g.json); else refusal(mk, $('markers'));
    if (ct.ok) renderControls(ct.json, g.json); else refusal(ct, $('controls'));
    renderClose(g.json);
  }
  function renderProgress(g) {
    const st = g.stages;
    $('progress').replaceChildren(h('h3', { id: 'progress-h' }, t('progress-h')),
      h('dl', { class: 'facts', id: 'stages' },
        [['p-status', t('st-' + g.status)], ['p-scripts', g.scripts], ['p-double', st.double], ['p-third', st.third], ['p-chief', st.chief],
          ['p-final', st.final], ['p-tolerance', pts(g.tolerance)]].map(([k, v]) => [h('dt', {}, t(k)), h('dd', { 'data-k': k }, String(v))])),
      h('p', { class: 'bar-line' }, h('progress', { max: String(g.scripts || 1), value: String(st.final), 'aria-label': t('p-bar', { f: st.final, n: g.scripts }) }),
        ' ', t('p-bar', { f: st.final, n: g.scripts })));
  }
  function renderArbitration(g) {
    const box = $('arbitration');
    const q = g.arbitration || [];
    const area = h('div', { id: 'arb-area' });
    box.replaceChildren(h('h3', { id: 'arb-h' }, t('arb-h')), h('p', { class: 'hint' }, t('arb-note')),
      q.length ? h('ul', { id: 'arb-queue', class: 'codes' }, q.map((x) => h('li', {}, h('code', {}, x.code), x.taken_by ? t('arb-taken', { who: x.taken_by }) : '')))
        : h('p', { id: 'arb-queue-empty' }, t('arb-none')), area);
    if (S.cur.can.chief && g.status === 'open' && q.length) nextButton(area, false, true);
  }
  function flagText(f, q) {
    const v = String(f.value).replace(/^-/, '');
    return t(`fl-${f.flag}-${f.basis}`, { v, w: q.drift_window });
  }
  function renderMarkers(mk, g) {
    const box = $('markers');
    const q = mk.quality;
    const live = h('div', { class: 'step-msg', id: 'markers-msg', 'aria-live': 'polite' });
    const rows = mk.items.map((x) => {
      const flags = x.flags.length ? h('ul', { class: 'flags' }, x.flags.map((f) => h('li', { class: 'flag bad-text', 'data-flag': `${f.flag}/${f.basis}` }, flagText(f, q))))
        : h('span', { class: 'hint' }, t('no-flags'));
      const act = g.status !== 'open' ? '' : x.suspended
        ? h('button', { type: 'button', class: 'btn small', id: 'reinstate-' + x.marker, onclick: () => reinstate(x.marker, live) }, t('reinstate-send'))
        : h('button', { type: 'button', class: 'btn small danger', id: 'suspend-' + x.marker, onclick: () => suspend(x.marker, live) }, t('suspend-send'));
      const row = [h('b', {}, x.marker), String(x.marks), x.mean === null ? t('none') : x.mean, x.sd === null ? t('none') : x.sd,
        x.mean_difference === null ? t('none') : t('with-n', { v: x.mean_difference, n: x.compared }),
        x.control.mean_difference === null ? t('none') : t('with-n', { v: x.control.mean_difference, n: x.control.marks }),
        x.drift === null ? t('none') : x.drift, flags,
        h('span', { class: 'badge ' + (x.suspended ? 'st-suspended' : 'st-ok') }, t(x.suspended ? 'susp-state' : 'ok-state')), act];
      row.cls = 'marker' + (x.flags.length ? ' flagged' : '') + (x.suspended ? ' suspended' : '');
      return row;
    });
    box.replaceChildren(h('h3', { id: 'markers-h' }, t('markers-h')),
      h('p', { class: 'hint' }, t('markers-note', { w: q.drift_window, thr: q.flag_threshold, min: q.flag_min })),
      rows.length ? table('markers-list', [[t('m-marker')], [t('m-marks'), 'num'], [t('m-mean'), 'num'], [t('m-sd'), 'num'], [t('m-peer'), 'num'],
        [t('m-control'), 'num'], [t('m-drift'), 'num'], [t('m-flags')], [t('m-state')], [t('m-act'), 'act']], rows) : h('p', { class: 'hint' }, t('markers-none')),
      live);
  }
  async function suspend(who, live) {
    if (S.busy) return;
    const reason = await K.confirmBox(t('confirm-suspend', { who }), t('suspend-send'), { reason: true, danger: true });
    if (!reason) return;
    S.busy = true;
    let r;
    try {
      r = await api('POST', base() + '/suspensions', { marker: who, reason });
    } finally {
      S.busy = false;
    }
    if (!r.ok) return refusal(r, live);
    await loadLead();
    okFlash(t('suspended', { who, n: r.json.released }));
  }
  async function reinstate(who, live) {
    if (S.busy) return;
    if (!(await K.confirmBox(t('confirm-reinstate', { who }), t('reinstate-send')))) return;
    S.busy = true;
    let r;
    try {
      r = await api('DELETE', base() + '/suspensions/' + encodeURIComponent(who));
    } finally {
      S.busy = false;
    }
    if (!r.ok) return refusal(r, live);
    await loadLead();
    okFlash(t('reinstated', { who }));
  }
  function renderControls(ct, g) {
    const box = $('controls');
    const kids = [h('h3', { id: 'controls-h' }, t('controls-h')), h('p', { class: 'hint' }, t('controls-note', { every: g.quality.control_every }))];
    kids.push(ct.items.length ? table('controls-list', [[t('c-no'), 'num'], [t('c-label')], [t('c-points'), 'num'], [t('c-items')], [t('c-handed'), 'num'],
      [t('c-marked'), 'num'], [t('c-diff'), 'num'], [t('c-by')]], ct.items.map((x, i) => [String(i + 1), x.label || t('none'), x.points,
      x.items.length ? x.items.join(' + ') : t('none'), String(x.handed_out), String(x.marked), x.mean_difference === null ? t('none') : x.mean_difference,
      `${x.created_by} · ${cst(x.created_at)}`])) : h('p', { class: 'hint' }, t('controls-none')));
    if (g.status === 'open') kids.push(controlForm(g));
    box.replaceChildren(...kids);
  }
  function controlForm(g) {
    const n = (g.scheme.items || []).length;
    const p = h('input', { type: 'text', inputmode: 'decimal', name: 'points', id: 'control-points', autocomplete: 'off', maxlength: '8' });
    const it = n ? h('input', { type: 'text', name: 'items', id: 'control-items', autocomplete: 'off', maxlength: '400' }) : null;
    const label = h('input', { type: 'text', name: 'label', id: 'control-label', autocomplete: 'off', maxlength: '100' });
    const live = h('div', { class: 'step-msg', id: 'control-msg', 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit', class: 'btn' }, t('control-send'));
    const form = h('form', { class: 'step', id: 'control-form', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (S.busy) return;
      clearErrors(form);
      live.replaceChildren();
      const body = {};
      const pv = p.value.trim(), iv = it ? it.value.trim() : '';
      if (iv) {
        const v = iv.split(/[,，、\s]+/).filter(Boolean);
        if (v.length !== n || v.some((x) => hundredths(x) < 0)) { markField(it, t('bad-items', { n })); it.focus(); return; }
        body.items = v;
      }
      if (pv) {
        if (hundredths(pv) < 0) { markField(p, t('bad-points')); p.focus(); return; }
        body.points = pv;
      }
      if (!pv && !iv) { markField(p, t('need-points')); p.focus(); return; }
      if (label.value.trim()) body.label = label.value.trim();
      S.busy = true;
      btn.disabled = true;
      let r;
      try {
        r = await api('POST', base() + '/controls', body);
      } finally {
        S.busy = false;
        btn.disabled = false;
      }
      if (!r.ok) {
        for (const f of (r.json.error.details && r.json.error.details.fields) || []) {
          const el = f.field === 'label' ? label : /^items/.test(f.field) && it ? it : p;
          markField(el, fieldWords(f.problem));
        }
        return refusal(r, live);
      }
      await loadLead();
      okFlash(t('control-added', { n: r.json.items.length }));
    } },
    h('h4', {}, t('control-add-h')),
    field(t('control-points', { p: g.scheme.max_points }), p),
    it ? field(t('control-items', { n }), it) : null,
    field(t('control-label'), label),
    h('div', { class: 'row actions' }, btn), live);
    return form;
  }
  function renderClose(g) {
    const box = $('close');
    const kids = [h('h3', { id: 'close-h' }, t('close-h')), h('p', { class: 'hint' }, t('close-note'))];
    const live = h('div', { class: 'step-msg', id: 'close-msg', 'aria-live': 'polite' });
    if (g.status === 'open') {
      const btn = h('button', { type: 'button', class: 'btn primary', id: 'close-send', onclick: async () => {
        if (S.busy) return;
        live.replaceChildren();
        if (!(await K.confirmBox(t('confirm-close', { subject: `${S.cur.subject} ${S.cur.subject_name}` }), t('close-send')))) return;
        S.busy = true;
        btn.disabled = true;
        let r;
        try {
          r = await api('POST', base() + '/close');
        } finally {
          S.busy = false;
          btn.disabled = false;
        }
        if (!r.ok) return refusal(r, live);
        S.cur.status = r.json.status;
        view();
        okFlash(t('closed', { n: r.json.finished, p: r.json.total }));
      } }, t('close-send'));
      kids.push(h('div', { class: 'row actions' }, btn), live);
    } else {
      kids.push(h('p', { id: 'closed-facts' }, t('closed-facts', { n: g.finished, p: g.total, by: g.closed_by, at: cst(g.closed_at) })));
      if (g.status === 'confirmed') kids.push(h('p', {}, t('confirmed-facts', { by: g.confirmed_by, at: cst(g.confirmed_at) })));
    }
    box.replaceChildren(...kids);
  }

  // ---- confirm: the second person checks the total, then the scripts are unblinded ----
  async function renderConfirm() {
    const box = $('tab-body');
    box.replaceChildren(h('h3', { id: 'tab-h' }, t('check-h')), h('p', { class: 'hint' }, t('loading')));
    const cur = S.cur;
    const g = await api('GET', base());
    if (S.cur !== cur || S.tab !== 'confirm') return;
    if (!g.ok) return refusal(g, box);
    const m = g.json;
    cur.status = m.status;
    const kids = [h('h3', { id: 'tab-h' }, t('check-h'))];
    if (m.status === 'open') {
      kids.push(h('p', { class: 'alert', id: 'check-open' }, t('check-open')));
    } else if (m.status === 'closed') {
      const total = h('input', { type: 'text', inputmode: 'decimal', name: 'total', id: 'check-total', autocomplete: 'off', maxlength: '18' });
      const count = h('input', { type: 'text', inputmode: 'numeric', name: 'scripts', id: 'check-count', autocomplete: 'off', maxlength: '9' });
      const live = h('div', { class: 'step-msg', id: 'check-msg', 'aria-live': 'polite' });
      const btn = h('button', { type: 'submit', class: 'btn primary', id: 'check-send' }, t('check-send'));
      const form = h('form', { class: 'step', id: 'check-form', novalidate: true, onsubmit: async (ev) => {
        ev.preventDefault();
        if (S.busy) return;
        clearErrors(form);
        live.replaceChildren();
        const tv = total.value.trim(), nv = count.value.trim();
        if (!/^\d{1,15}(\.\d{1,2})?$/.test(tv)) { markField(total, tv ? t('bad-points') : t('need-points')); total.focus(); return; }
        if (!/^\d{1,9}$/.test(nv)) { markField(count, t('need-count')); count.focus(); return; }
        if (!(await K.confirmBox(t('confirm-check', { p: tv, n: nv }), t('check-send')))) return;
        S.busy = true;
        btn.disabled = true;
        let r;
        try {
          r = await api('POST', base() + '/confirm', { total: tv, scripts: Number(nv) });
        } finally {
          S.busy = false;
          btn.disabled = false;
        }
        if (!r.ok) return refusal(r, live);
        await refreshList();
        view();
        okFlash(t('checked'));
      } },
      h('p', { class: 'hint' }, t('check-note')),
      h('p', { id: 'check-by' }, t('check-by', { by: m.closed_by, at: cst(m.closed_at) })),
      field(t('check-total'), total), field(t('check-count'), count),
      h('div', { class: 'row actions' }, btn), live);
      kids.push(form);
      box.replaceChildren(...kids);
      total.focus();
      return;
    } else {
      kids.push(h('p', { id: 'confirmed' }, t('confirmed-facts', { by: m.confirmed_by, at: cst(m.confirmed_at) })),
        h('p', { id: 'closed-facts' }, t('closed-facts', { n: m.finished, p: m.total, by: m.closed_by, at: cst(m.closed_at) })),
        h('p', {}, t('digest-label'), ': ', h('code', { class: 'hex' }, m.result_digest)));
      if (cur.can.read) {
        const res = await api('GET', base() + '/results');
        if (S.cur !== cur || S.tab !== 'confirm') return;
        if (!res.ok) {
          const err = h('div');
          kids.push(err);
          box.replaceChildren(...kids);
          return refusal(res, err);
        }
        kids.push(h('h4', {}, t('results-h')), table('results-list', [[t('r-ticket')], [t('r-script')], [t('r-final'), 'num'], [t('r-resolved')]],
          res.json.items.map((x) => [h('span', { class: 'ticket' }, x.ticket_no), h('code', {}, x.script), x.final, t('res-' + x.resolved)])));
      }
    }
    box.replaceChildren(...kids);
  }

  K.chrome(() => view());
  start();
})();
