// Score review, pass standards, qualified lists and certificates for staff (SPEC GRD-9, GRD-10,
// INF-4, INF-5(7); issue 10 items 8-10): /reviews.html?exam=CODE[&status=S].
//   Reviews — the exam's requests with their counts by status, filtered by status; each with
//   its deadlines (request_by, forward_by, return_by: the day counted down, a past or close one
//   flagged in words, a late forward marked) and the step its state allows: accept, refuse
//   (a reason), forward every accepted request at once, record the re-check (unchanged, or
//   corrected with the score, cause, reason and an anomaly found on the way), answer the
//   applicant. A correction waits for a second person: its approval number, and the approve /
//   reject buttons when the viewer's approvals list holds it (else the way to the console).
//   Pass standards — each subject's cut score (public once set, PQ 38), set in one form.
//   Qualified lists — prepared from the publication in force (who qualifies, who is withheld
//   while under qualification verification), confirmed by a second person.
//   Certificates — the exam's, each with its PDF and, while valid, "revoke" (a reason; a
//   second person approves).
// The session is the console's (the kw_session cookie, X-CSRF-Token on writes); the server
// decides who may do what and its refusals are shown in its words.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '成绩复核与证书', title: '成绩复核与证书', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '理由', 'need-reason': '请写明理由。', 'to-console': '返回工作台', 'to-scoring': '客观题评分与成绩发布',
      'to-approvals': '到工作台“待审批事项”审批', 'to-verify': '证书公开查验页',
      lead: '考生在成绩公布后 30 日内申请复核 → 省级考试机构受理或不予受理 → 公布后 40 日内把受理的申请全部转送部考试中心 → 阅卷单位只核查总分和登分，15 日内反馈：维持或更正（更正须另一人审批，审批后即为最终成绩）→ 答复考生。复核不向考生展示试卷、答案、评分标准或录像。',
      exam: '考试', show: '查看', 'no-exams': '没有您可以查看的考试。', 'exam-missing': '没有找到考试“{code}”，或您无权查看。',
      none: '—', 'cst-note': '日期均为北京时间。',
      // reviews
      'rv-h': '成绩复核申请', 'rv-counts': '各状态件数：', 'rv-all': '全部', 'rv-filter': '按状态筛选', 'rv-none': '没有成绩复核申请。',
      'rv-none-st': '没有“{st}”的申请。', 'rv-oldest': '最早一件待受理的申请提交于 {at}。',
      'c-id': '编号', 'c-ticket': '准考证号', 'c-subject': '科目', 'c-published': '公布成绩', 'c-reason': '申请理由', 'c-status': '状态',
      'c-deadlines': '期限', 'c-outcome': '复核结果', 'c-act': '操作',
      's-requested': '已申请', 's-accepted': '已受理', 's-refused': '不予受理', 's-forwarded': '已转送复核', 's-rechecked': '已复核（维持）',
      's-correction_pending': '更正待审批', 's-corrected': '已更正', 's-answered': '已答复考生',
      'd-request': '申请截止 {d}', 'd-forward': '转送截止 {d}', 'd-return': '反馈截止 {d}',
      'left': '（还有 {n} 天）', 'today': '（今天截止）', 'past': '（已超期 {n} 天）', 'late-fwd': '逾期转送（{at}）', 'fwd-at': '已于 {at} 转送',
      'o-unchanged': '维持原成绩', 'o-corrected': '更正为 {s} 分', 'o-cause': '原因：{c}', 'o-reason': '说明：{r}', 'o-anomaly': '异常：{a}',
      'o-refusal': '不予受理理由：{r}', 'o-answered': '已于 {at} 答复考生',
      accept: '受理', refuse: '不予受理', answer: '答复考生', result: '记录复核结果', approve: '批准更正', reject: '驳回',
      'forward-all': '转送全部已受理的申请（{n} 件）', 'forward-none': '没有已受理待转送的申请。',
      'confirm-accept': '受理第 {id} 号申请（准考证号 {t}，科目 {s}）？受理后须在 {d} 前转送部考试中心。',
      'confirm-refuse': '不予受理第 {id} 号申请（准考证号 {t}，科目 {s}）。请写明理由，考生会看到：',
      'confirm-forward': '把 {n} 件已受理的申请转送部考试中心复核？转送截止 {d}；超过期限的转送会记为逾期。',
      'confirm-answer': '答复第 {id} 号申请的考生？考生会在考生服务页收到复核结果：{o}。',
      'confirm-approve': '批准第 {id} 号申请的更正：科目 {s} 由 {from} 分更正为 {to} 分？批准后即为最终成绩，成绩查询立即显示更正后的成绩。',
      'confirm-reject': '驳回第 {id} 号申请的更正（复核回到“已转送复核”，可重新记录结果）。请写明理由：',
      accepted: '第 {id} 号申请已受理。', refused: '第 {id} 号申请不予受理。', forwarded: '已转送 {n} 件申请（其中逾期 {late} 件）。',
      answered: '已答复第 {id} 号申请的考生。', 'rechecked-ok': '第 {id} 号申请的复核结果已记录：维持原成绩。',
      'correction-sent': '第 {id} 号申请的更正已提交，等待另一人审批（审批单 #{ap}）。', 'approved-corr': '第 {id} 号申请的更正已批准：成绩更正为 {s} 分。',
      'rejected-corr': '第 {id} 号申请的更正已驳回。',
      'f-h': '第 {id} 号申请的复核结果（准考证号 {t}，科目 {s}，公布成绩 {p} 分）', 'f-outcome': '复核结论', 'f-unchanged': '维持原成绩（总分和登分核对无误）',
      'f-corrected': '更正成绩', 'f-score': '复核后的成绩', 'f-score-hint': '只核查总分和登分；更正须另一人审批。', 'f-cause': '原因', 'f-cause-hint': '如“登分错误”“漏评”。',
      'f-reason': '说明', 'f-anomaly': '复核中发现的异常（选填）', 'f-anomaly-hint': '如发现漏评的题目，在此报告。', 'f-send': '提交复核结果',
      'need-score': '更正成绩时请填写复核后的成绩。', 'need-cause': '请填写原因。', 'need-field-reason': '请填写说明。',
      'pending-ap': '审批单 #{id} · 须由记录人以外、有权审批的人员（考试主管部门）批准',
      // pass standards
      'ps-h': '合格标准', 'ps-lead': '每个科目的合格分数线（公开）。合格人员名单按正在发布的成绩和这里的合格标准生成：各科目均达到合格分数线的考生合格。',
      'ps-none': '尚未设定合格标准。', 'ps-cut': '{code} {name} 合格分数线', 'ps-save': '保存合格标准', 'ps-saved': '合格标准已保存。',
      'ps-version': '第 {v} 版', 'need-cut': '请填写每个科目的合格分数线。',
      // lists
      'ql-h': '合格人员名单', 'ql-lead': '按正在发布的成绩生成；仍在资格核查中的考生暂不列入，核查结束后再生成一次即可。名单须由另一人确认，确认后颁发电子证书；不再合格的持证人证书自动撤销。',
      'ql-send': '生成合格人员名单', 'ql-none': '还没有生成合格人员名单。',
      'confirm-ql': '按正在发布的成绩和当前合格标准生成“{exam}”的合格人员名单，提交给另一人确认？',
      'ql-prepared': '已生成第 {id} 号合格人员名单：合格 {q} 人，暂缓 {w} 人（资格核查中），等待另一人确认（审批单 #{ap}）。',
      'ql-confirmed': '第 {id} 号合格人员名单已确认：颁发证书 {i} 张，撤销 {r} 张。',
      'l-id': '编号', 'l-status': '状态', 'l-cands': '考生', 'l-q': '合格', 'l-w': '暂缓（核查中）', 'l-std': '合格标准', 'l-by': '生成人',
      'l-checker': '确认人', 'l-at': '生成时间', 'l-conf-at': '确认时间', 'l-act': '审批',
      'ls-pending': '待确认', 'ls-confirmed': '已确认', 'ls-rejected': '已驳回', 'ls-superseded': '已被替代',
      'confirm-ql-approve': '确认第 {id} 号合格人员名单（合格 {q} 人）？确认后立即颁发电子证书。', 'ql-approve': '确认名单',
      // certificates
      'ct-h': '证书', 'ct-lead': '确认名单时颁发的电子证书（PDF，二维码含 Ed25519 签名，可离线核验）。撤销须另一人审批。',
      'ct-none': '还没有证书。', 'ct-number': '证书编号', 'ct-name': '姓名', 'ct-idno': '证件号码', 'ct-issued': '颁发日期', 'ct-status': '状态',
      'ct-subjects': '科目成绩', 'ct-act': '操作', 'ct-pdf': 'PDF', 'ct-revoke': '撤销',
      'cs-valid': '有效', 'cs-revoked': '已撤销', 'ct-revoked-why': '撤销原因：{r}（{at}）', 'not_qualified': '不再合格（成绩变化）',
      'confirm-revoke': '撤销证书 {n}（{name}）？撤销后公开查验将显示“已撤销”。请写明理由（须另一人审批）：',
      'revoke-sent': '证书 {n} 的撤销已提交，等待另一人审批（审批单 #{ap}）。', 'revoke-pending': '撤销待审批（审批单 #{id}）',
      'approve-revoke': '批准撤销', 'confirm-approve-revoke': '批准撤销证书 {n}？撤销立即生效。', 'revoked-ok': '证书 {n} 已撤销。',
      'approved': '已批准。', 'rejected': '已驳回。',
    },
    en: {
      brand: 'Score review & certificates', title: 'Score review and certificates', skip: 'Skip to the content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended; log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Give the reason.', 'to-console': 'Back to the console', 'to-scoring': 'Scoring and publication',
      'to-approvals': 'Approve it under "Pending approvals" in the console', 'to-verify': 'Public certificate check',
      lead: 'Candidates ask within 30 days of publication → the province accepts or refuses → it forwards every accepted request to the national centre within 40 days of publication → the marking unit checks only the total and its entry and answers within 15 days: unchanged or corrected (a correction needs a second person and is then final) → the applicant is answered. Scripts, keys and video are never shown to the applicant.',
      exam: 'Exam', show: 'Show', 'no-exams': 'No exam you may see.', 'exam-missing': 'No exam "{code}", or you may not see it.',
      none: '—', 'cst-note': 'Dates are China time.',
      'rv-h': 'Score review requests', 'rv-counts': 'By status: ', 'rv-all': 'All', 'rv-filter': 'Filter by status', 'rv-none': 'No score review requests.',
      'rv-none-st': 'No request is "{st}".', 'rv-oldest': 'The oldest request waiting to be accepted was made {at}.',
      'c-id': 'No.', 'c-ticket': 'Ticket', 'c-subject': 'Subject', 'c-published': 'Published score', 'c-reason': 'Reason given', 'c-status': 'Status',
      'c-deadlines': 'Deadlines', 'c-outcome': 'Outcome', 'c-act': 'Action',
      's-requested': 'Requested', 's-accepted': 'Accepted', 's-refused': 'Refused', 's-forwarded': 'Forwarded', 's-rechecked': 'Re-checked (unchanged)',
      's-correction_pending': 'Correction pending', 's-corrected': 'Corrected', 's-answered': 'Answered',
      'd-request': 'Request by {d}', 'd-forward': 'Forward by {d}', 'd-return': 'Return by {d}',
      'left': ' ({n} days left)', 'today': ' (due today)', 'past': ' ({n} days overdue)', 'late-fwd': 'Forwarded late ({at})', 'fwd-at': 'Forwarded {at}',
      'o-unchanged': 'Unchanged', 'o-corrected': 'Corrected to {s}', 'o-cause': 'Cause: {c}', 'o-reason': 'Reason: {r}', 'o-anomaly': 'Anomaly: {a}',
      'o-refusal': 'Refused because: {r}', 'o-answered': 'Applicant answered {at}',
      accept: 'Accept', refuse: 'Refuse', answer: 'Answer the applicant', result: 'Record the re-check', approve: 'Approve correction', reject: 'Reject',
      'forward-all': 'Forward every accepted request ({n})', 'forward-none': 'No accepted request waits to be forwarded.',
      'confirm-accept': 'Accept request {id} (ticket {t}, subject {s})? It must then be forwarded by {d}.',
      'confirm-refuse': 'Refuse request {id} (ticket {t}, subject {s}). Give the reason; the applicant sees it:',
      'confirm-forward': 'Forward {n} accepted request(s) to the national centre for re-checking? Due by {d}; a forward after it is recorded as late.',
      'confirm-answer': 'Answer the applicant of request {id}? They receive the outcome on the candidate portal: {o}.',
      'confirm-approve': 'Approve the correction of request {id}: subject {s} from {from} to {to}? Once approved it is final and the look-up shows it at once.',
      'confirm-reject': 'Reject the correction of request {id} (back to "forwarded"; a new outcome can be recorded). Give the reason:',
      accepted: 'Request {id} accepted.', refused: 'Request {id} refused.', forwarded: '{n} request(s) forwarded ({late} late).',
      answered: 'The applicant of request {id} is answered.', 'rechecked-ok': 'Request {id}: recorded as unchanged.',
      'correction-sent': 'The correction of request {id} waits for a second person (approval #{ap}).', 'approved-corr': 'Correction of request {id} approved: the score is now {s}.',
      'rejected-corr': 'The correction of request {id} is rejected.',
      'f-h': 'Outcome of request {id} (ticket {t}, subject {s}, published score {p})', 'f-outcome': 'Outcome', 'f-unchanged': 'Unchanged (the total and its entry are right)',
      'f-corrected': 'Corrected', 'f-score': 'Re-checked score', 'f-score-hint': 'Only the total and its entry are checked; a correction needs a second person.', 'f-cause': 'Cause', 'f-cause-hint': 'E.g. "entry error", "item not marked".',
      'f-reason': 'Reason', 'f-anomaly': 'Anomaly found on the way (optional)', 'f-anomaly-hint': 'E.g. an item left unmarked.', 'f-send': 'Record the outcome',
      'need-score': 'Give the re-checked score for a correction.', 'need-cause': 'Give the cause.', 'need-field-reason': 'Give the reason.',
      'pending-ap': 'Approval #{id} · to be approved by someone else with approval rights (the authority)',
      'ps-h': 'Pass standards', 'ps-lead': 'Each subject\'s cut score (public). The qualified list is drawn from the publication in force against these: a candidate qualifies with every subject at or above its cut.',
      'ps-none': 'No pass standard is set.', 'ps-cut': '{code} {name} cut score', 'ps-save': 'Save the pass standards', 'ps-saved': 'Pass standards saved.',
      'ps-version': 'version {v}', 'need-cut': 'Give each subject\'s cut score.',
      'ql-h': 'Qualified lists', 'ql-lead': 'Drawn from the publication in force; candidates still under qualification verification are withheld until it ends (draw again then). A second person confirms; confirming issues the certificates and revokes those of holders no longer qualified.',
      'ql-send': 'Draw the qualified list', 'ql-none': 'No qualified list yet.',
      'confirm-ql': 'Draw the qualified list of "{exam}" from the publication in force and the current pass standards, for a second person to confirm?',
      'ql-prepared': 'Qualified list {id} drawn: {q} qualified, {w} withheld (under verification); waiting for a second person (approval #{ap}).',
      'ql-confirmed': 'Qualified list {id} confirmed: {i} certificate(s) issued, {r} revoked.',
      'l-id': 'No.', 'l-status': 'Status', 'l-cands': 'Candidates', 'l-q': 'Qualified', 'l-w': 'Withheld', 'l-std': 'Pass standards', 'l-by': 'Drawn by',
      'l-checker': 'Confirmed by', 'l-at': 'Drawn', 'l-conf-at': 'Confirmed', 'l-act': 'Approval',
      'ls-pending': 'Pending', 'ls-confirmed': 'Confirmed', 'ls-rejected': 'Rejected', 'ls-superseded': 'Superseded',
      'confirm-ql-approve': 'Confirm qualified list {id} ({q} qualified)? The certificates are issued at once.', 'ql-approve': 'Confirm the list',
      'ct-h': 'Certificates', 'ct-lead': 'Issued when a list is confirmed (PDF; the QR code carries an Ed25519 signature, checked offline). Revoking needs a second person.',
      'ct-none': 'No certificates yet.', 'ct-number': 'Number', 'ct-name': 'Name', 'ct-idno': 'Identity no.', 'ct-issued': 'Issued', 'ct-status': 'Status',
      'ct-subjects': 'Scores', 'ct-act': 'Action', 'ct-pdf': 'PDF', 'ct-revoke': 'Revoke',
      'cs-valid': 'Valid', 'cs-revoked': 'Revoked', 'ct-revoked-why': 'Revoked: {r} ({at})', 'not_qualified': 'no longer qualified (scores changed)',
      'confirm-revoke': 'Revoke certificate {n} ({name})? Public verification will say it is revoked. Give the reason (a second person approves):',
      'revoke-sent': 'The revocation of certificate {n} waits for a second person (approval #{ap}).', 'revoke-pending': 'Revocation pending (approval #{id})',
      'approve-revoke': 'Approve revocation', 'confirm-approve-revoke': 'Approve revoking certificate {n}? It takes effect at once.', 'revoked-ok': 'Certificate {n} revoked.',
      approved: 'Approved.', rejected: 'Rejected.',
    },
  };
  const STATUSES = ['requested', 'accepted', 'refused', 'forwarded', 'rechecked', 'correction_pending', 'corrected', 'answered'];
  const q0 = new URLSearchParams(location.search);
  const S = { me: null, exams: [], exam: null, subjects: [], reviews: [], status: q0.get('status') || '', approvals: [], std: null, lists: [], certs: [], busy: false, open: 0 };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false);
  const en = () => K.lang === 'en';
  let uid = 0;

  // ---- small pieces ----
  function table(cls, cols, rows) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid stack ' + cls },
      h('thead', {}, h('tr', {}, cols.map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', cells.attrs || {}, cells.map((v, i) =>
        h('td', { class: cols[i][1] || null, 'data-label': cols[i][0] }, v === '' || v === null ? null : h('span', { class: 'v' }, v))))))));
  }
  function field(label, input, hint) {
    const id = input.id || 'rf' + (++uid);
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
  function okFlash(text) {
    flash(text, true);
    const a = $('flash').querySelector('.alert');
    if (a) { a.tabIndex = -1; a.focus({ preventScroll: true }); }
  }
  const refusal = (r, box) => K.showError(r, (d) => K.fieldList(d.fields), box);
  const subjectName = (code) => { const s = S.subjects.find((x) => x.code === code); return s ? `${code} ${s.name}` : code; };
  // Today in China (the deadlines are CST days) as days since the epoch.
  const dayNo = (ymd) => Math.floor(Date.parse(ymd + 'T00:00:00Z') / 86400000);
  function todayCst() {
    const p = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date()).forEach((x) => { p[x.type] = x.value; });
    return dayNo(`${p.year}-${p.month}-${p.day}`);
  }
  // A deadline in words: the day and what is left (flagged when close or past, never by colour alone).
  function deadline(key, ymd, open) {
    if (!ymd) return null;
    const left = dayNo(ymd) - todayCst();
    const cls = !open ? 'dl' : left < 0 ? 'dl past' : left <= 3 ? 'dl close' : 'dl';
    const note = !open ? '' : left < 0 ? t('past', { n: -left }) : left === 0 ? t('today') : t('left', { n: left });
    return h('span', { class: cls, 'data-d': key }, t(key, { d: ymd }) + note);
  }

  // ---- start ----
  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    const want = new URLSearchParams(location.search).get('exam') || (S.exam && S.exam.code) || '';
    const [all, one] = await Promise.all([api('GET', '/api/v1/exams?limit=100'),
      want ? api('GET', '/api/v1/exams?code=' + encodeURIComponent(want)) : null]);
    S.exams = all.ok ? all.json.items : [];
    const hit = one && one.ok && one.json.items[0];
    if (hit && !S.exams.some((e) => e.id === hit.id)) S.exams.unshift(hit);
    if (!all.ok) return view(null, all);
    if (want && !hit) return view(null, null, t('exam-missing', { code: want }));
    view(hit || S.exams[0] || null);
  }
  function setUrl() {
    const u = new URLSearchParams();
    if (S.exam) u.set('exam', S.exam.code);
    if (S.status) u.set('status', S.status);
    history.replaceState(null, '', '?' + u.toString());
  }

  function view(exam, refused, missing) {
    flash('');
    const kids = [h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')),
        h('a', { href: '/scoring.html' + (exam ? '?exam=' + encodeURIComponent(exam.code) : ''), class: 'dl-link' }, t('to-scoring')),
        h('a', { href: '/verify.html', class: 'dl-link' }, t('to-verify')))];
    if (S.exams.length) {
      const sel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: e.code }, `${e.name}（${e.code}）`)));
      if (exam) sel.value = exam.code;
      kids.push(h('form', { class: 'row bar', role: 'search', 'aria-label': t('exam'), onsubmit: (ev) => {
        ev.preventDefault();
        const e = S.exams.find((x) => x.code === sel.value);
        if (e) { if (!S.exam || S.exam.id !== e.id) S.status = ''; view(e); }
      } }, h('label', { for: 'exam' }, t('exam')), sel, h('button', { type: 'submit', class: 'btn primary' }, t('show'))));
    }
    const body = h('div', { id: 'exam-body' });
    kids.push(body);
    $('view').replaceChildren(...kids);
    if (refused) return refusal(refused, body);
    if (missing) return body.replaceChildren(h('div', { class: 'alert', role: 'alert' }, missing));
    if (!exam) return body.replaceChildren(h('p', {}, t('no-exams')));
    S.exam = exam;
    setUrl();
    body.replaceChildren(h('section', { id: 'reviews', class: 'card', 'aria-labelledby': 'rv-h' }, h('p', { class: 'hint' }, t('loading'))),
      h('section', { id: 'standards', class: 'card', 'aria-labelledby': 'ps-h' }),
      h('section', { id: 'lists', class: 'card', 'aria-labelledby': 'ql-h' }),
      h('section', { id: 'certs', class: 'card', 'aria-labelledby': 'ct-h' }));
    load();
  }

  async function load() {
    const e = S.exam;
    const [subj, rv, aps, std, ql, ct] = await Promise.all([api('GET', '/api/v1/subjects?exam_id=' + e.id + '&limit=100'),
      api('GET', `/api/v1/exams/${e.id}/score_reviews`), api('GET', '/api/v1/approvals?status=pending'),
      api('GET', `/api/v1/public/exams/${e.id}/pass_standards`), api('GET', `/api/v1/exams/${e.id}/qualified_lists`),
      api('GET', `/api/v1/exams/${e.id}/certificates`)]);
    if (S.exam !== e) return;
    S.subjects = subj.ok ? subj.json.items : [];
    S.reviews = rv;
    S.approvals = aps.ok ? aps.json.items : []; // 403: this account decides no approvals
    S.std = std;
    S.lists = ql;
    S.certs = ct;
    renderReviews();
    renderStandards();
    renderLists();
    renderCerts();
  }
  const mine = (id) => S.approvals.find((a) => a.id === id);
  const errBox = (r) => {
    const e = (r && r.json && r.json.error) || { message: t('offline'), code: '' };
    return h('div', { class: 'alert', role: 'alert' }, e.message, e.code ? h('span', { class: 'hint' }, t('error-code', { code: e.code })) : null);
  };

  // ---- reviews ----
  function renderReviews() {
    const box = $('reviews');
    const kids = [h('h2', { id: 'rv-h' }, t('rv-h'))];
    const r = S.reviews;
    if (!r.ok) return box.replaceChildren(...kids, errBox(r));
    const all = r.json.items;
    const count = {};
    all.forEach((x) => { count[x.status] = (count[x.status] || 0) + 1; });
    const sel = h('select', { id: 'rv-status', name: 'status' }, h('option', { value: '' }, `${t('rv-all')} (${all.length})`),
      STATUSES.map((s) => h('option', { value: s }, `${t('s-' + s)} (${count[s] || 0})`)));
    sel.value = S.status;
    sel.addEventListener('change', () => { S.status = sel.value; setUrl(); renderReviews(); });
    kids.push(h('p', { class: 'counts', id: 'rv-counts' }, t('rv-counts'),
      STATUSES.filter((s) => count[s]).map((s, i) => [i ? (en() ? ', ' : '，') : '', h('span', { class: 'badge rs-' + s }, t('s-' + s)), ' ' + count[s]])));
    const waiting = all.filter((x) => x.status === 'requested');
    if (waiting.length) kids.push(h('p', { class: 'hint' }, t('rv-oldest', { at: cst(waiting.reduce((a, b) => (a.created_at < b.created_at ? a : b)).created_at) })));
    const accepted = all.filter((x) => x.status === 'accepted');
    const fwd = h('button', { type: 'button', class: 'btn primary', id: 'forward-all', disabled: !accepted.length || null,
      onclick: () => forwardAll(accepted) }, t('forward-all', { n: accepted.length }));
    kids.push(h('div', { class: 'row bar' }, h('label', { for: 'rv-status' }, t('rv-filter')), sel, fwd),
      accepted.length ? null : h('p', { class: 'hint' }, t('forward-none')));
    const shown = S.status ? all.filter((x) => x.status === S.status) : all;
    kids.push(shown.length ? table('reviews-list', [[t('c-id')], [t('c-ticket')], [t('c-subject')], [t('c-published'), 'num'], [t('c-reason')],
      [t('c-status')], [t('c-deadlines')], [t('c-outcome')], [t('c-act')]], shown.map(reviewRow))
      : h('p', { class: 'hint' }, S.status ? t('rv-none-st', { st: t('s-' + S.status) }) : t('rv-none')));
    kids.push(h('div', { id: 'rv-form' }), h('p', { class: 'hint' }, t('cst-note')));
    box.replaceChildren(...kids);
    if (S.open) { const x = all.find((y) => y.id === S.open); if (x && x.status === 'forwarded') resultForm(x); }
  }
  function reviewRow(x) {
    const open = (st) => [st].flat().includes(x.status);
    const dls = h('span', { class: 'dls' }, deadline('d-request', x.request_by, open('requested')), deadline('d-forward', x.forward_by, open(['requested', 'accepted'])),
      x.return_by ? deadline('d-return', x.return_by, open(['forwarded'])) : null,
      x.forwarded_at ? h('span', { class: x.forwarded_late ? 'dl past' : 'dl' }, x.forwarded_late ? t('late-fwd', { at: cst(x.forwarded_at) }) : t('fwd-at', { at: cst(x.forwarded_at) })) : null);
    const out = [];
    if (x.refusal) out.push(t('o-refusal', { r: x.refusal }));
    if (x.outcome === 'unchanged') out.push(t('o-unchanged'));
    if (x.outcome === 'corrected') out.push(t('o-corrected', { s: x.rechecked_score }));
    if (x.cause) out.push(t('o-cause', { c: x.cause }));
    if (x.outcome_reason) out.push(t('o-reason', { r: x.outcome_reason }));
    if (x.anomaly) out.push(t('o-anomaly', { a: x.anomaly }));
    if (x.answered_at) out.push(t('o-answered', { at: cst(x.answered_at) }));
    const btn = (id, label, cls, fn) => h('button', { type: 'button', class: 'btn small ' + (cls || ''), id: id + '-' + x.id, onclick: fn }, label);
    let act = null;
    if (x.status === 'requested') act = [btn('accept', t('accept'), 'primary', () => step(x, 'accept')), btn('refuse', t('refuse'), 'danger', () => step(x, 'refuse'))];
    else if (x.status === 'forwarded') act = btn('result', t('result'), 'primary', () => { S.open = x.id; resultForm(x); });
    else if (x.status === 'rechecked' || x.status === 'corrected') act = btn('answer', t('answer'), 'primary', () => step(x, 'answer'));
    else if (x.status === 'correction_pending') {
      act = [h('span', { class: 'who-approves' }, t('pending-ap', { id: x.approval_id })), mine(x.approval_id)
        ? [btn('approve', t('approve'), 'primary', () => decideCorrection(x, true)), btn('reject', t('reject'), 'danger', () => decideCorrection(x, false))]
        : h('a', { href: '/console.html#/approvals', class: 'dl-link' }, t('to-approvals'))];
    }
    const row = [h('b', {}, '#' + x.id), h('span', { class: 'ticket' }, x.ticket_no), subjectName(x.subject), x.published_score, x.reason || t('none'),
      h('span', { class: 'badge rs-' + x.status }, t('s-' + x.status)), dls, out.length ? h('ul', { class: 'outcome' }, out.map((o) => h('li', {}, o))) : t('none'),
      act ? h('span', { class: 'row acts' }, act) : ''];
    row.attrs = { class: 'rv rs-' + x.status, 'data-id': String(x.id) };
    return row;
  }
  async function send(method, path, body) {
    if (S.busy) return null;
    S.busy = true;
    try { return await api(method, path, body); } finally { S.busy = false; }
  }
  async function step(x, what) {
    const vars = { id: x.id, t: x.ticket_no, s: subjectName(x.subject), d: x.forward_by,
      o: x.outcome === 'corrected' ? t('o-corrected', { s: x.rechecked_score }) : t('o-unchanged') };
    let body;
    if (what === 'refuse') {
      const reason = await K.confirmBox(t('confirm-refuse', vars), t('refuse'), { reason: true, danger: true });
      if (!reason) return;
      body = { reason };
    } else if (!(await K.confirmBox(t('confirm-' + what, vars), t(what)))) return;
    const r = await send('POST', `/api/v1/score_reviews/${x.id}/${what}`, body);
    if (!r) return;
    if (!r.ok) return refusal(r);
    await load();
    okFlash(t(what === 'accept' ? 'accepted' : what === 'refuse' ? 'refused' : 'answered', { id: x.id }));
  }
  async function forwardAll(accepted) {
    const d = accepted.map((x) => x.forward_by).sort()[0];
    if (!(await K.confirmBox(t('confirm-forward', { n: accepted.length, d }), t('forward-all', { n: accepted.length })))) return;
    const r = await send('POST', `/api/v1/exams/${S.exam.id}/score_reviews/forward`);
    if (!r) return;
    if (!r.ok) return refusal(r);
    await load();
    okFlash(t('forwarded', { n: r.json.forwarded, late: r.json.late }));
  }
  // The re-check's outcome: unchanged, or corrected with the score (GRD-9: total and entry only).
  function resultForm(x) {
    const box = $('rv-form');
    const name = 'outcome-' + x.id;
    const radio = (v, label) => h('label', { class: 'choice' }, h('input', { type: 'radio', name, value: v, id: name + '-' + v, checked: v === 'unchanged' || null }), ' ', label);
    const score = h('input', { name: 'score', inputmode: 'decimal', maxlength: '12', id: 'f-score' });
    const cause = h('input', { name: 'cause', maxlength: '200', id: 'f-cause' });
    const reason = h('textarea', { name: 'reason', rows: '2', maxlength: '1000', id: 'f-reason' });
    const anomaly = h('textarea', { name: 'anomaly', rows: '2', maxlength: '1000', id: 'f-anomaly' });
    const scoreField = field(t('f-score'), score, t('f-score-hint'));
    const msg = h('div', { id: 'f-msg', 'aria-live': 'polite' });
    const form = h('form', { class: 'card result-form', id: 'result-form', novalidate: true, 'aria-labelledby': 'f-h' },
      h('h3', { id: 'f-h', tabindex: '-1' }, t('f-h', { id: x.id, t: x.ticket_no, s: subjectName(x.subject), p: x.published_score })),
      h('fieldset', {}, h('legend', {}, t('f-outcome')), radio('unchanged', t('f-unchanged')), radio('corrected', t('f-corrected'))),
      scoreField, field(t('f-cause'), cause, t('f-cause-hint')), field(t('f-reason'), reason), field(t('f-anomaly'), anomaly, t('f-anomaly-hint')),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary', id: 'f-send' }, t('f-send')),
        h('button', { type: 'button', class: 'btn', onclick: () => { S.open = 0; box.replaceChildren(); } }, t('cancel'))), msg);
    const sync = () => { scoreField.hidden = form.elements[name].value !== 'corrected'; };
    form.addEventListener('change', sync);
    sync();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      msg.replaceChildren();
      const outcome = form.elements[name].value;
      const body = { outcome, cause: cause.value.trim(), reason: reason.value.trim() };
      if (outcome === 'corrected') body.score = score.value.trim();
      if (anomaly.value.trim()) body.anomaly = anomaly.value.trim();
      const miss = [];
      if (outcome === 'corrected' && !body.score) miss.push([score, t('need-score')]);
      if (!body.cause) miss.push([cause, t('need-cause')]);
      if (!body.reason) miss.push([reason, t('need-field-reason')]);
      if (miss.length) { miss.forEach(([el, m]) => markField(el, m)); miss[0][0].focus(); return; }
      const r = await send('POST', `/api/v1/score_reviews/${x.id}/result`, body);
      if (!r) return;
      if (!r.ok) {
        ((r.json.error.details || {}).fields || []).forEach((f) => { const el = form.elements[f.field]; if (el && el.closest) markField(el, f.message || f.problem); });
        return refusal(r, msg);
      }
      S.open = 0;
      await load();
      okFlash(r.json.status === 'correction_pending' ? t('correction-sent', { id: x.id, ap: r.json.approval_id }) : t('rechecked-ok', { id: x.id }));
    });
    box.replaceChildren(form);
    form.scrollIntoView({ block: 'nearest' });
    $('f-h').focus({ preventScroll: true });
  }
  async function decideCorrection(x, yes) {
    const a = mine(x.approval_id);
    const p = (a && a.payload) || {};
    let reason = null;
    if (yes) {
      if (!(await K.confirmBox(t('confirm-approve', { id: x.id, s: subjectName(x.subject), from: p.published_score || x.published_score, to: p.rechecked_score || x.rechecked_score }), t('approve')))) return;
    } else {
      reason = await K.confirmBox(t('confirm-reject', { id: x.id }), t('reject'), { reason: true, danger: true });
      if (!reason) return;
    }
    const r = await send('POST', `/api/v1/approvals/${x.approval_id}/${yes ? 'approve' : 'reject'}`, yes ? undefined : { reason });
    if (!r) return;
    if (!r.ok) return refusal(r);
    await load();
    okFlash(yes ? t('approved-corr', { id: x.id, s: p.rechecked_score || x.rechecked_score }) : t('rejected-corr', { id: x.id }));
  }

  // ---- pass standards ----
  function renderStandards() {
    const box = $('standards');
    const kids = [h('h2', { id: 'ps-h' }, t('ps-h')), h('p', { class: 'hint' }, t('ps-lead'))];
    const cur = {};
    // the public standards list every subject; one never set has no cut score (version 0)
    ((S.std.ok && S.std.json.subjects) || []).forEach((s) => { if (s.cut_score !== null && s.cut_score !== undefined) cur[s.code] = s; });
    const inputs = S.subjects.map((s) => {
      const c = cur[s.code];
      const el = h('input', { id: 'cut-' + s.code, name: s.code, inputmode: 'decimal', maxlength: '12', value: c ? String(c.cut_score) : '' });
      return field(t('ps-cut', { code: s.code, name: s.name }), el, c ? t('ps-version', { v: c.version }) : null);
    });
    const msg = h('div', { id: 'ps-msg', 'aria-live': 'polite' });
    const form = h('form', { class: 'ps-form', id: 'ps-form', novalidate: true }, h('div', { class: 'cuts' }, inputs),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary', id: 'ps-save' }, t('ps-save'))), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const subjects = {};
      const miss = [];
      S.subjects.forEach((s) => { const el = $('cut-' + s.code); const v = el.value.trim(); if (v) subjects[s.code] = v; else miss.push(el); });
      if (miss.length) { miss.forEach((el) => markField(el, t('need-cut'))); miss[0].focus(); return; }
      const r = await send('POST', `/api/v1/exams/${S.exam.id}/pass_standards`, { subjects });
      if (!r) return;
      if (!r.ok) {
        ((r.json.error.details || {}).fields || []).forEach((f) => { const el = $('cut-' + String(f.field).replace(/^subjects\./, '')); if (el) markField(el, f.message || f.problem); });
        return refusal(r, msg);
      }
      await load();
      okFlash(t('ps-saved'));
    });
    if (!Object.keys(cur).length) kids.push(h('p', { class: 'hint', id: 'ps-none' }, t('ps-none')));
    kids.push(form);
    box.replaceChildren(...kids);
  }

  // ---- qualified lists ----
  function renderLists() {
    const box = $('lists');
    const kids = [h('h2', { id: 'ql-h' }, t('ql-h')), h('p', { class: 'hint' }, t('ql-lead'))];
    const msg = h('div', { id: 'ql-msg', 'aria-live': 'polite' });
    kids.push(h('div', { class: 'row actions' }, h('button', { type: 'button', class: 'btn primary', id: 'ql-send', onclick: prepareList }, t('ql-send'))), msg);
    const r = S.lists;
    if (!r.ok) return box.replaceChildren(...kids, errBox(r));
    const items = r.json.items;
    kids.push(items.length ? table('lists-list', [[t('l-id')], [t('l-status')], [t('l-cands'), 'num'], [t('l-q'), 'num'], [t('l-w'), 'num'], [t('l-std')],
      [t('l-by')], [t('l-checker')], [t('l-at')], [t('l-conf-at')], [t('l-act')]], items.map((l) => {
      let act = '';
      if (l.status === 'pending' && l.approval_id) {
        act = [h('span', { class: 'who-approves' }, t('pending-ap', { id: l.approval_id })), mine(l.approval_id)
          ? h('span', { class: 'row acts' }, h('button', { type: 'button', class: 'btn primary small', id: 'ql-approve-' + l.id, onclick: () => decideList(l, true) }, t('ql-approve')),
            h('button', { type: 'button', class: 'btn danger small', id: 'ql-reject-' + l.id, onclick: () => decideList(l, false) }, t('reject')))
          : h('a', { href: '/console.html#/approvals', class: 'dl-link' }, t('to-approvals'))];
      }
      // the standards the list was drawn with: [{code, name, cut_score, version}]
      const std = (Array.isArray(l.standards) ? l.standards : Object.entries(l.standards || {}).map(([code, cut]) => ({ code, cut_score: cut })))
        .map((x) => `${x.code} ≥ ${x.cut_score}`).join(en() ? ', ' : '，');
      const row = [h('b', {}, '#' + l.id), h('span', { class: 'badge ls-' + l.status }, t('ls-' + l.status)), String(l.candidates), String(l.qualified), String(l.withheld),
        std || t('none'), l.prepared_by, l.confirmed_by || t('none'), cst(l.created_at), l.confirmed_at ? cst(l.confirmed_at) : t('none'), act];
      row.attrs = { class: 'ql ls-' + l.status };
      return row;
    })) : h('p', { class: 'hint' }, t('ql-none')));
    box.replaceChildren(...kids);
  }
  async function prepareList() {
    if (!(await K.confirmBox(t('confirm-ql', { exam: S.exam.name }), t('ql-send')))) return;
    const r = await send('POST', `/api/v1/exams/${S.exam.id}/qualified_lists`);
    if (!r) return;
    if (!r.ok) return refusal(r, $('ql-msg'));
    await load();
    okFlash(t('ql-prepared', { id: r.json.id, q: r.json.qualified, w: r.json.withheld, ap: r.json.approval_id }));
  }
  async function decideList(l, yes) {
    let reason = null;
    if (yes) {
      if (!(await K.confirmBox(t('confirm-ql-approve', { id: l.id, q: l.qualified }), t('ql-approve')))) return;
    } else {
      reason = await K.confirmBox(t('reject') + ' #' + l.id, t('reject'), { reason: true, danger: true });
      if (!reason) return;
    }
    const r = await send('POST', `/api/v1/approvals/${l.approval_id}/${yes ? 'approve' : 'reject'}`, yes ? undefined : { reason });
    if (!r) return;
    if (!r.ok) return refusal(r, $('ql-msg'));
    await load();
    const res = r.json.result || {};
    okFlash(yes ? t('ql-confirmed', { id: l.id, i: res.issued || 0, r: res.revoked || 0 }) : t('rejected'));
  }

  // ---- certificates ----
  function renderCerts() {
    const box = $('certs');
    const kids = [h('h2', { id: 'ct-h' }, t('ct-h')), h('p', { class: 'hint' }, t('ct-lead'))];
    const r = S.certs;
    if (!r.ok) return box.replaceChildren(...kids, errBox(r));
    const pendingRevoke = {};
    S.approvals.filter((a) => a.kind === 'certificate.revoke').forEach((a) => { pendingRevoke[a.payload && a.payload.certificate_id] = a; });
    const items = r.json.items;
    kids.push(h('div', { id: 'ct-msg', 'aria-live': 'polite' }));
    kids.push(items.length ? table('certs-list', [[t('ct-number')], [t('ct-name')], [t('ct-idno')], [t('ct-issued')], [t('ct-status')], [t('ct-subjects')], [t('ct-act')]], items.map((c) => {
      const ap = pendingRevoke[c.id];
      const act = [h('a', { href: `/api/v1/certificates/${c.id}/pdf`, class: 'dl-link', download: c.number + '.pdf' }, t('ct-pdf'))];
      if (c.status === 'valid' && ap) {
        act.push(h('span', { class: 'who-approves' }, t('revoke-pending', { id: ap.id })),
          h('button', { type: 'button', class: 'btn danger small', id: 'revoke-approve-' + c.id, onclick: () => approveRevoke(c, ap) }, t('approve-revoke')));
      } else if (c.status === 'valid') {
        act.push(h('button', { type: 'button', class: 'btn danger small', id: 'revoke-' + c.id, onclick: () => revoke(c) }, t('ct-revoke')));
      }
      const subj = (c.subjects || []).map((s) => `${subjectName(s.code)} ${s.score}`).join(en() ? '; ' : '；');
      const st = c.status === 'valid' ? 'valid' : 'revoked';
      const row = [h('b', { class: 'number' }, c.number), c.name, c.id_number, c.issued_on,
        [h('span', { class: 'badge cs-' + st }, t('cs-' + st)), c.revoked_reason ? h('span', { class: 'hint why' }, ' ' + t('ct-revoked-why', { r: K.has(c.revoked_reason) ? t(c.revoked_reason) : c.revoked_reason, at: cst(c.revoked_at) })) : null],
        subj, h('span', { class: 'row acts' }, act)];
      row.attrs = { class: 'cert cs-' + st, 'data-number': c.number };
      return row;
    })) : h('p', { class: 'hint' }, t('ct-none')));
    box.replaceChildren(...kids);
  }
  async function revoke(c) {
    const reason = await K.confirmBox(t('confirm-revoke', { n: c.number, name: c.name }), t('ct-revoke'), { reason: true, danger: true });
    if (!reason) return;
    const r = await send('POST', `/api/v1/certificates/${c.id}/revoke`, { reason });
    if (!r) return;
    if (!r.ok) return refusal(r, $('ct-msg'));
    await load();
    okFlash(t('revoke-sent', { n: c.number, ap: r.json.approval_id }));
  }
  async function approveRevoke(c, a) {
    if (!(await K.confirmBox(t('confirm-approve-revoke', { n: c.number }), t('approve-revoke'), { danger: true }))) return;
    const r = await send('POST', `/api/v1/approvals/${a.id}/approve`);
    if (!r) return;
    if (!r.ok) return refusal(r, $('ct-msg'));
    await load();
    okFlash(t('revoked-ok', { n: c.number }));
  }

  K.chrome(() => { if (S.exam) view(S.exam); else start(); });
  start();
})();
