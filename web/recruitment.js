// Recruitment after the interview (SPEC INT-6, VIO-6, VIO-9; VH 10-14; issue 12 item 6):
// /recruitment.html?shortlist=ID (from the interview page's results) or ?list=ID; without
// either, an exam and its positions to pick from. For interview.manage staff: build the
// position's composite list from the published interview results (quota from the shortlist;
// rounds, tests, interview line, notice and probation as the API takes them), see each
// candidate's composite, rank and place, record each step in order (physical exam with its one
// re-examination, fitness and psychological tests where the list requires them, vetting; a
// failure or withdrawal with its reason; a violation referred to a case), the replacement (递补)
// in list order, the public notice made by one person and approved by another (INF-4), its
// PDF to print, objections and replies during the period, appointment and probation (passed,
// or cancelled through a decided case, VH 14). interview.read staff see all of it and no
// action (can_manage from the API). Every refusal is the API's sentence beside its action.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '录用环节', title: '录用环节', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。', refresh: '刷新', colon: '：', semi: '；', comma: '、',
      exam: '考试', 'pick-exam': '请选择考试', 'no-exams': '没有可查看的考试。', 'no-shortlists': '该考试尚无入围名单。',
      'pick-line': '职位 {code} {name} · 招录 {quota} 人', open: '办理录用环节',
      'to-interview': '← 返回面试组织', 'pos-line': '职位 {code} {name} · 招录 {quota} 人',
      steps: '步骤：① 综合成绩排名 → ② 体检（可复检一次）、体能测评、心理测评（职位要求时）、考察 → ③ 不合格或放弃的按名单顺序递补 → ④ 拟录用公示（一人制作、另一人审核发布）与异议 → ⑤ 录用与试用期',
      'read-only': '您有查看权限，没有办理权限：本页只显示，不提供操作。',
      'build-h': '① 综合成绩排名名单', 'not-published': '该职位的面试成绩尚未发布：发布后才能生成名单（在面试组织页面发布）。',
      'published-at': '面试成绩已于 {at} 发布。', 'no-list': '尚未生成名单。',
      quota: '招录人数', 'quota-from': '{quota} 人（取自入围名单）', rounds: '允许递补次数', 'fitness-test': '职位要求体能测评',
      'psych-test': '职位要求心理测评', 'interview-min': '面试成绩合格线（可空）', 'notice-days': '公示期（工作日）', 'probation-months': '试用期（月）',
      build: '生成名单', 'build-q': '按已发布的面试成绩生成职位 {code} 的综合成绩排名名单。每个职位只生成一次，生成后不能重建。确认生成？',
      'list-h': '① 综合成绩排名名单', 'list-params': '招录 {quota} 人 · 递补已用 {used}/{rounds} 次 · 体能测评：{fit} · 心理测评：{psy} · 面试合格线：{min} · 公示期 {days} 个工作日 · 试用期 {months} 个月',
      yes: '需要', no: '不需要', none: '无',
      'tie-rule': '排序：综合成绩高者在前；综合成绩相同的，笔试成绩高者在前，再比面试成绩，最后按准考证号。名次按综合成绩计算，并列的显示相同名次。',
      place: '顺序', rank: '名次', ticket: '准考证号', name: '姓名', written: '笔试', interview: '面试', composite: '综合成绩', state: '状态',
      'st-selected': '体检考察中', 'st-reserve': '候补', 'st-below_min': '面试成绩未达合格线', 'st-out': '已退出', 'st-referred': '待违规案件处理',
      'st-passed': '各环节通过，待公示', 'st-notice': '公示中', 'st-appointed': '已录用（试用期）', 'st-confirmed': '试用期满合格', 'st-cancelled': '已取消录用',
      'r-physical_exam': '体检不合格', 'r-fitness_test': '体能测评不合格', 'r-psych_test': '心理测评不合格', 'r-vetting': '考察不合格',
      'r-absent': '未到场（视为放弃）', 'r-withdrawn': '本人放弃', 'r-case': '违规违纪处理', 'r-objection': '公示异议成立',
      'replaces': '递补 {name}', 'replaced-by': '由 {name} 递补',
      'steps-h': '② 体检、考察等环节', 'no-steps': '尚无考生进入体检。', 'cand-line': '第 {place} 位 · 准考证号 {ticket} · 综合成绩 {composite}（名次 {rank}）',
      'step-physical_exam': '体检', 'step-fitness_test': '体能测评', 'step-psych_test': '心理测评', 'step-vetting': '考察',
      'o-pass': '合格', 'o-fail': '不合格', 'o-absent': '未到场（视为放弃）', 'o-withdrawn': '本人放弃', 'o-referred': '发现违规违纪，移交处理',
      reexam: '（复检）', 'step-done': '{step}{reexam}：{outcome} · {on}', 'case-link': '违规违纪案件 #{id}',
      'next-step': '下一环节：{step}', 'all-passed': '已通过全部环节。',
      'f-step': '环节', 'f-outcome': '结果', 'f-reason': '原因（不合格、放弃时必填）', 'f-on': '日期（空：今天）',
      'f-facts': '违规违纪事实', 'f-occurred-date': '发生日期', 'f-occurred-time': '发生时间', 'f-entry': '违规行为条目（可空，由案件办理时认定）',
      'referral-h': '移交违规违纪处理（VH 10-12）：将立案，由案件按程序认定和处理；考生在案件处理完毕前暂停后续环节。',
      record: '记录结果', 'out-q': '记录后 {name} 退出录用程序：{outcome}。可按名单顺序递补。确认？',
      'refer-q': '为 {name} 立违规违纪案件，并暂停其后续环节，直至案件处理完毕。确认？',
      recorded: '已记录。', 'case-wait': '等待违规违纪案件 #{id} 的处理结果：撤销或不予处理的，可继续后续环节；作出处理决定的，考生退出。',
      'reexam-h': '体检复检（仅一次，以复检结论为准）', 'reexam-btn': '记录复检结果', 'reexam-used': '已复检一次，以复检结论为准。',
      'replace-h': '递补', replace: '按顺序递补', 'replace-q': '{name} 已退出。按名单顺序递补下一名候补（{next}）进入体检。本职位可递补 {rounds} 次，已用 {used} 次。确认？',
      'replaced-ok': '已递补：{name} 进入体检。', 'replace-limit': '本职位递补次数已用完（{used}/{rounds}），不再递补。', 'no-reserve': '名单上没有可递补的候补人员。',
      'replaced-note': '已由 {name} 递补。',
      'appoint-h': '录用', 'appointed-on': '录用日期', appoint: '办理录用', 'appoint-q': '录用 {name}，录用日期 {on}；试用期 {months} 个月。确认？',
      'appoint-hint': '公示期（至 {ends}）结束、异议均已答复后办理。',
      'probation-line': '录用日期 {on} · 试用期至 {ends}',
      'probation-h': '试用期', 'pass-probation': '试用期满，确认合格', 'pass-probation-q': '确认 {name} 试用期满合格？',
      'cancel-h': '取消录用（试用期内发现违规违纪，VH 14）', 'case-id': '已作出处理决定的案件编号', 'cancel-note': '说明（可空）',
      cancel: '取消录用', 'cancel-q': '依据案件 #{case} 取消 {name} 的录用。案件记载此后果，处理决定由案件执行。不可撤回。确认？',
      'cases-of': '该考生已作出处理决定的案件：', 'no-cases': '未找到该考生已作出处理决定的案件（可在案件页面办理后填写编号）。',
      'cancelled-ok': '已取消录用，见案件 #{case}。',
      'notice-h': '③ 拟录用公示', 'notice-lead': '公示名单为通过全部环节的考生：由一人制作，另一人审核发布（INF-4）；公示期自发布之日起计 {days} 个工作日（节假日不计）。公示期内受理异议，每件均须答复。',
      'make-notice': '制作公示', 'made': '公示已制作，等待另一人审核发布。', 'notice-title': '公示 #{id}',
      'ns-pending': '待审核', 'ns-published': '已发布', 'made-by': '制作人：{name}', 'approved-by': '审核发布人：{name} · {at}',
      'needs-other': '须由制作人以外、有办理权限的另一人审核发布。', approve: '审核并发布', 'approve-q': '发布后公示对社会公开，公示期自今日起计 {days} 个工作日。确认发布？',
      period: '公示期：{starts} 至 {ends}', pdf: '查看、打印公示（PDF）', gender: '性别', 'id-number': '身份证号',
      'obj-h': '异议', 'no-objections': '尚无异议。', 'received-on': '收到日期', objector: '反映人', 'obj-text': '反映内容', 'obj-about': '所涉考生',
      'os-open': '待答复', 'os-replied': '已答复', 'reply-text': '答复', sustained: '异议成立（该考生退出录用程序）', 'not-sustained': '异议不成立',
      'sustained-yes': '异议成立', reply: '记录答复', 'reply-q': '答复并认定异议成立：{name} 将退出录用程序。确认？', 'replied-at': '答复于 {at}',
      'add-obj': '登记异议', 'obj-received': '收到日期（空：今天）', 'obj-anon': '反映人（可空）', 'obj-ok': '异议已登记，待答复。', 'reply-ok': '答复已记录。',
      'why-RECRUIT_STEP_ORDER': '应先记录「{step}」。', 'why-RECRUIT_CASE_PENDING': '案件 #{case_id} 尚在处理中。',
      'p-date': '日期不对（须为不晚于今天的有效日期）。', 'p-not_on_notice': '该考生不在这份公示上。', 'p-other_candidate': '该案件不是这名考生的。',
      'p-physical_exam_only': '只有体检可以复检。', 'p-type': '类型不对。', 'p-out_of_range': '超出允许范围。',
      'fl-reason': '原因', 'fl-case': '违规违纪事实', 'fl-on': '日期', 'fl-case_id': '案件编号', 'fl-appointed_on': '录用日期', 'fl-text': '反映内容',
      'fl-reply': '答复', 'fl-received_on': '收到日期', 'fl-candidate_id': '所涉考生', 'fl-interview_min': '面试成绩合格线', 'fl-rounds': '递补次数',
      'fl-notice_workdays': '公示期', 'fl-probation_months': '试用期', 'fl-facts': '违规违纪事实', 'fl-occurred_at': '发生时间', 'fl-outcome': '结果', 'fl-step': '环节',
    },
    en: {
      brand: 'Recruitment', title: 'Recruitment steps', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.', refresh: 'Refresh', colon: ': ', semi: '; ', comma: ', ',
      exam: 'Exam', 'pick-exam': 'Choose an exam', 'no-exams': 'No exam for you to see.', 'no-shortlists': 'This exam has no shortlist yet.',
      'pick-line': 'Position {code} {name} · quota {quota}', open: 'Recruitment steps',
      'to-interview': '← Back to the interviews', 'pos-line': 'Position {code} {name} · quota {quota}',
      steps: 'Steps: ① composite ranking → ② physical exam (one re-examination), fitness and psychological tests (where required), vetting → ③ replacement in list order for those who fail or give up → ④ public notice (made by one, approved by another) and objections → ⑤ appointment and probation',
      'read-only': 'You may read this recruitment but not act on it: the page shows no actions.',
      'build-h': '① Composite ranking', 'not-published': 'The interview results of this position are not published yet: the list is built after they are (on the interview page).',
      'published-at': 'Interview results published at {at}.', 'no-list': 'No list yet.',
      quota: 'Quota', 'quota-from': '{quota} (from the shortlist)', rounds: 'Replacement rounds allowed', 'fitness-test': 'The position requires a fitness test',
      'psych-test': 'The position requires a psychological test', 'interview-min': 'Interview qualification line (optional)', 'notice-days': 'Notice period (working days)', 'probation-months': 'Probation (months)',
      build: 'Build the list', 'build-q': 'Build the composite ranking of position {code} from its published interview results. A position has one list: it cannot be built again. Build it?',
      'list-h': '① Composite ranking', 'list-params': 'Quota {quota} · replacements used {used}/{rounds} · fitness test: {fit} · psychological test: {psy} · interview line: {min} · notice {days} working days · probation {months} months',
      yes: 'required', no: 'not required', none: 'none',
      'tie-rule': 'Order: higher composite first; on equal composites the higher written score, then the higher interview score, then the ticket number. Ranks follow the composite alone, so ties share a rank.',
      place: 'Place', rank: 'Rank', ticket: 'Ticket', name: 'Name', written: 'Written', interview: 'Interview', composite: 'Composite', state: 'State',
      'st-selected': 'In the steps', 'st-reserve': 'Reserve', 'st-below_min': 'Below the interview line', 'st-out': 'Out', 'st-referred': 'Waiting on a case',
      'st-passed': 'Passed every step; notice next', 'st-notice': 'On the public notice', 'st-appointed': 'Appointed (probation)', 'st-confirmed': 'Probation passed', 'st-cancelled': 'Recruitment cancelled',
      'r-physical_exam': 'failed the physical exam', 'r-fitness_test': 'failed the fitness test', 'r-psych_test': 'failed the psychological test', 'r-vetting': 'failed vetting',
      'r-absent': 'absent (gave up)', 'r-withdrawn': 'withdrew', 'r-case': 'violation case', 'r-objection': 'objection sustained',
      replaces: 'replaces {name}', 'replaced-by': 'replaced by {name}',
      'steps-h': '② Physical exam, tests and vetting', 'no-steps': 'Nobody is in the steps yet.', 'cand-line': 'Place {place} · ticket {ticket} · composite {composite} (rank {rank})',
      'step-physical_exam': 'Physical exam', 'step-fitness_test': 'Fitness test', 'step-psych_test': 'Psychological test', 'step-vetting': 'Vetting',
      'o-pass': 'Pass', 'o-fail': 'Fail', 'o-absent': 'Absent (gives up)', 'o-withdrawn': 'Withdrew', 'o-referred': 'Violation found: refer to a case',
      reexam: ' (re-examination)', 'step-done': '{step}{reexam}: {outcome} · {on}', 'case-link': 'Violation case #{id}',
      'next-step': 'Next step: {step}', 'all-passed': 'Every step passed.',
      'f-step': 'Step', 'f-outcome': 'Outcome', 'f-reason': 'Reason (required for a failure or withdrawal)', 'f-on': 'Date (empty: today)',
      'f-facts': 'Facts of the violation', 'f-occurred-date': 'Date it happened', 'f-occurred-time': 'Time', 'f-entry': 'Catalogue entry (optional; the case decides it)',
      'referral-h': 'Refer to the violations workflow (VH 10-12): a case is opened and decides by its procedure; the candidate\u2019s next steps wait until it ends.',
      record: 'Record the outcome', 'out-q': 'Once recorded, {name} leaves the recruitment: {outcome}. The next in list order may replace them. Record it?',
      'refer-q': 'Open a violation case about {name} and hold their next steps until it ends?',
      recorded: 'Recorded.', 'case-wait': 'Waiting on violation case #{id}: dropped or revoked, the steps go on; decided, the candidate is out.',
      'reexam-h': 'Physical re-examination (once; its result stands)', 'reexam-btn': 'Record the re-examination', 'reexam-used': 'Re-examined once; that result stands.',
      'replace-h': 'Replacement', replace: 'Replace in order', 'replace-q': '{name} is out. The next reserve in list order ({next}) goes on to the physical exam. This position allows {rounds} replacement(s); {used} used. Replace?',
      'replaced-ok': 'Replaced: {name} goes on to the physical exam.', 'replace-limit': 'The replacements allowed for this position are used up ({used}/{rounds}).', 'no-reserve': 'No reserve is left on the list.',
      'replaced-note': 'Replaced by {name}.',
      'appoint-h': 'Appointment', 'appointed-on': 'Appointed on', appoint: 'Record the appointment', 'appoint-q': 'Appoint {name} on {on}, with {months} months\u2019 probation?',
      'appoint-hint': 'After the notice period (ends {ends}) with every objection answered.',
      'probation-line': 'Appointed {on} · probation until {ends}',
      'probation-h': 'Probation', 'pass-probation': 'Probation passed', 'pass-probation-q': 'Confirm that {name} passed probation?',
      'cancel-h': 'Cancel the recruitment (violation found during probation, VH 14)', 'case-id': 'Number of the decided case', 'cancel-note': 'Note (optional)',
      cancel: 'Cancel the recruitment', 'cancel-q': 'Cancel the recruitment of {name} under case #{case}? The case records it and applies its own penalty. This cannot be undone.',
      'cases-of': 'Decided cases of this candidate: ', 'no-cases': 'No decided case of this candidate found (decide one on the cases page, then enter its number).',
      'cancelled-ok': 'Recruitment cancelled; see case #{case}.',
      'notice-h': '③ Public notice', 'notice-lead': 'The notice lists those who passed every step: one person makes it, another approves and publishes it (INF-4); it runs {days} working days from publication (holidays not counted). Objections are taken during it, each answered.',
      'make-notice': 'Make the notice', made: 'Notice made; it waits for another person\u2019s approval.', 'notice-title': 'Notice #{id}',
      'ns-pending': 'Awaiting approval', 'ns-published': 'Published', 'made-by': 'Made by {name}', 'approved-by': 'Approved by {name} · {at}',
      'needs-other': 'Another person than its maker, who may act here, approves and publishes it.', approve: 'Approve and publish', 'approve-q': 'Once published the notice is public; it runs {days} working days from today. Publish?',
      period: 'Period: {starts} to {ends}', pdf: 'View and print the notice (PDF)', gender: 'Gender', 'id-number': 'ID number',
      'obj-h': 'Objections', 'no-objections': 'No objection.', 'received-on': 'Received', objector: 'From', 'obj-text': 'Objection', 'obj-about': 'Candidate',
      'os-open': 'Awaiting reply', 'os-replied': 'Replied', 'reply-text': 'Reply', sustained: 'Objection sustained (the candidate leaves the recruitment)', 'not-sustained': 'Not sustained',
      'sustained-yes': 'Sustained', reply: 'Record the reply', 'reply-q': 'Reply and sustain the objection: {name} leaves the recruitment. Continue?', 'replied-at': 'replied {at}',
      'add-obj': 'Record an objection', 'obj-received': 'Received on (empty: today)', 'obj-anon': 'From (optional)', 'obj-ok': 'Objection recorded; it awaits a reply.', 'reply-ok': 'Reply recorded.',
      'why-RECRUIT_STEP_ORDER': 'Record "{step}" first.', 'why-RECRUIT_CASE_PENDING': 'Case #{case_id} is still open.',
      'p-date': 'Not a valid date (today or earlier).', 'p-not_on_notice': 'This candidate is not on this notice.', 'p-other_candidate': 'This case is about someone else.',
      'p-physical_exam_only': 'Only the physical exam is re-examined.', 'p-type': 'Wrong type.', 'p-out_of_range': 'Out of range.',
      'fl-reason': 'Reason', 'fl-case': 'Facts of the violation', 'fl-on': 'Date', 'fl-case_id': 'Case number', 'fl-appointed_on': 'Appointed on', 'fl-text': 'Objection',
      'fl-reply': 'Reply', 'fl-received_on': 'Received on', 'fl-candidate_id': 'Candidate', 'fl-interview_min': 'Interview line', 'fl-rounds': 'Replacement rounds',
      'fl-notice_workdays': 'Notice period', 'fl-probation_months': 'Probation', 'fl-facts': 'Facts', 'fl-occurred_at': 'Time it happened', 'fl-outcome': 'Outcome', 'fl-step': 'Step',
    },
  };
  const STEPS = ['physical_exam', 'fitness_test', 'psych_test', 'vetting'];
  const OUTCOMES = ['pass', 'fail', 'absent', 'withdrawn', 'referred'];
  const S = { me: null, q: {}, sl: null, list: null, can: false, error: null, exams: [], exam: null, shortlists: [], cases: null, draft: {} };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    S.q = { shortlist: Number(q.get('shortlist')) || 0, list: Number(q.get('list')) || 0, exam: Number(q.get('exam')) || 0 };
    await load();
    render();
  }

  async function load() {
    S.error = null;
    if (S.q.shortlist || S.q.list) {
      const r = S.q.shortlist ? await api('GET', `/api/v1/shortlists/${S.q.shortlist}/recruitment`)
        : await api('GET', `/api/v1/recruit_lists/${S.q.list}`);
      if (!r.ok) { S.error = r; return; }
      S.sl = S.q.shortlist ? r.json : null;
      S.list = S.q.shortlist ? r.json.list : r.json;
      S.can = !!r.json.can_manage;
      await loadCases();
      return;
    }
    const ex = await api('GET', '/api/v1/exams?limit=100');
    S.exams = ex.ok ? ex.json.items : [];
    // a reader without exam.read (the interview supervisor) comes with ?exam=ID
    if (S.q.exam && !S.exams.some((e) => e.id === S.q.exam)) S.exams.push({ id: S.q.exam, code: '#' + S.q.exam, name: '' });
    S.exam = S.exams.find((e) => e.id === S.q.exam) || (S.exams.length === 1 ? S.exams[0] : null);
    S.shortlists = [];
    if (S.exam) {
      const r = await api('GET', `/api/v1/exams/${S.exam.id}/shortlists`);
      if (!r.ok) S.error = r;
      else S.shortlists = r.json.items;
    }
  }

  // The decided cases of appointed candidates, offered for a cancellation (a reader without
  // case.read is told nothing was found and types the number).
  async function loadCases() {
    S.cases = null;
    if (!S.can || !S.list || !S.list.candidates.some((c) => c.state === 'appointed')) return;
    S.cases = [];
    for (const st of ['decided', 'served']) {
      const r = await api('GET', `/api/v1/cases?exam_id=${S.list.exam_id}&status=${st}&limit=500`);
      if (r.ok) S.cases.push(...r.json.items);
    }
  }

  async function reload() {
    await load();
    render();
  }

  // A write's answer is the whole list: shown at once (the cases re-read when needed).
  async function took(list) {
    S.list = list;
    await loadCases();
    render();
  }

  // ---- what is typed survives a redraw (another action's answer) until it is sent ----
  function restore(el) {
    if (!el.id || S.draft[el.id] === undefined) return;
    if (el.type === 'checkbox') el.checked = S.draft[el.id];
    else el.value = S.draft[el.id];
  }
  function keep(el) {
    restore(el);
    const save = () => { S.draft[el.id] = el.type === 'checkbox' ? el.checked : el.value; };
    el.addEventListener('input', save);
    el.addEventListener('change', save);
    return el;
  }
  const forget = (prefix) => Object.keys(S.draft).forEach((k) => { if (k.startsWith(prefix)) delete S.draft[k]; });

  // ---- words ----
  const msgBox = (id) => h('div', { class: 'step-msg', id, role: 'status', 'aria-live': 'polite' });
  const ok = (box, text) => box.replaceChildren(h('div', { class: 'alert ok' }, text));
  const stepName = (s) => (s ? t('step-' + s) : '');
  const cand = (id) => (S.list.candidates.find((c) => c.id === id) || { name: '#' + id });
  // A refusal beside its action: the API's sentence and code, then what it means here.
  function refused(r, box) {
    K.showError(r, (d) => {
      const code = r.json && r.json.error && r.json.error.code;
      const kids = [];
      if (code && K.has('why-' + code)) {
        kids.push(h('p', { class: 'problem' }, t('why-' + code, Object.assign({ step: stepName(d.expected) }, d))));
      }
      if (d.case_id) kids.push(h('p', {}, h('a', { href: '/cases.html?case=' + d.case_id }, t('case-link', { id: d.case_id }))));
      if (Array.isArray(d.fields) && d.fields.length) {
        kids.push(h('ul', { class: 'fields' }, d.fields.map((f) => h('li', {},
          `${K.has('fl-' + f.field) ? t('fl-' + f.field) : f.field}${t('colon')}${f.message || (K.has('p-' + f.problem) ? t('p-' + f.problem) : f.problem)}`))));
      }
      return kids.length ? h('div', {}, kids) : null;
    }, box);
  }
  function field(id, label, input) {
    input.id = id;
    restore(input);
    return h('div', { class: 'field' }, h('label', { for: id }, label), input);
  }
  const check = (id, label, attrs) => h('label', { class: 'check' }, keep(h('input', Object.assign({ type: 'checkbox', id }, attrs || {}))), ' ', label);

  // ---- the page ----
  function render() {
    if (!S.q.shortlist && !S.q.list) return renderPicker();
    if (S.error) {
      const box = h('div', {});
      K.showError(S.error, null, box);
      return $('view').replaceChildren(box, h('p', {}, h('a', { href: '/interview.html', class: 'dl-link' }, t('to-interview'))));
    }
    const parts = [headCard()];
    if (!S.list) parts.push(buildCard());
    else parts.push(listCard(), stepsCard(), noticeCard());
    $('view').replaceChildren(...parts);
  }

  function renderPicker() {
    const pick = h('select', { id: 'exam-pick', onchange: async () => {
      S.q.exam = Number(pick.value) || 0;
      history.replaceState(null, '', S.q.exam ? '?exam=' + S.q.exam : location.pathname);
      await reload();
    } }, h('option', { value: '' }, t('pick-exam')), S.exams.map((e) => h('option', { value: String(e.id), selected: S.exam && e.id === S.exam.id }, `${e.code} ${e.name}`)));
    if (!S.exams.length) return $('view').replaceChildren(h('p', {}, t('no-exams')));
    const bar = h('div', { class: 'bar row' }, h('label', { for: 'exam-pick' }, t('exam')), pick);
    const box = h('div', {});
    if (S.error) K.showError(S.error, null, box);
    const items = S.exam && !S.error ? (S.shortlists.length ? h('ul', { class: 'pick-list' }, S.shortlists.map((l) => h('li', {},
      t('pick-line', { code: l.position_code, name: l.position_name, quota: l.quota }), ' ',
      h('a', { href: '?shortlist=' + l.id, class: 'dl-link' }, t('open'))))) : h('p', {}, t('no-shortlists'))) : null;
    $('view').replaceChildren(bar, box, items);
  }

  function headCard() {
    const src = S.list || S.sl;
    return h('section', { class: 'head' },
      h('h2', { id: 'pos-line' }, t('pos-line', { code: src.position_code, name: src.position_name, quota: src.quota })),
      h('p', { class: 'row' }, h('a', { href: '/interview.html?exam=' + src.exam_id, class: 'dl-link' }, t('to-interview')),
        h('button', { type: 'button', class: 'btn refresh', onclick: reload }, t('refresh'))),
      h('p', { class: 'hint' }, t('steps')),
      S.can ? null : h('p', { class: 'ro-note', id: 'read-only', role: 'note' }, t('read-only')));
  }

  // ---- ① the list ----
  function buildCard() {
    const sl = S.sl;
    const box = msgBox('build-msg');
    const pub = sl.results_published_at;
    const kids = [h('h2', {}, t('build-h')),
      h('p', {}, pub ? t('published-at', { at: K.cst(pub, false) }) : t('not-published')), h('p', {}, t('no-list'))];
    if (S.can && pub) {
      const num = (id, label, value, min, max) => field(id, label, keep(h('input', { type: 'number', min, max, value, inputmode: 'numeric' })));
      const form = h('form', { class: 'step', id: 'build-form', onsubmit: async (ev) => {
        ev.preventDefault();
        if (!await K.confirmBox(t('build-q', { code: sl.position_code }), t('build'))) return;
        const body = { rounds: Number($('b-rounds').value), fitness_test: $('b-fitness').checked, psych_test: $('b-psych').checked,
          notice_workdays: Number($('b-days').value), probation_months: Number($('b-months').value) };
        const min = $('b-min').value.trim();
        if (min) body.interview_min = min;
        const r = await api('POST', `/api/v1/shortlists/${sl.shortlist_id}/recruitment`, body);
        if (!r.ok) return refused(r, box);
        forget('b-');
        await took(r.json);
      } },
      h('p', {}, h('strong', {}, t('quota')), t('colon'), t('quota-from', { quota: sl.quota })),
      h('div', { class: 'two' },
        num('b-rounds', t('rounds'), 1, 0, 10),
        field('b-min', t('interview-min'), keep(h('input', { inputmode: 'decimal', maxlength: '10' }))),
        num('b-days', t('notice-days'), 5, 1, 30),
        num('b-months', t('probation-months'), 12, 1, 24)),
      check('b-fitness', t('fitness-test')), check('b-psych', t('psych-test')),
      h('p', { class: 'hint' }, t('tie-rule')),
      h('button', { type: 'submit', class: 'btn primary', id: 'build' }, t('build')));
      kids.push(form);
    }
    kids.push(box);
    return h('section', { class: 'card', id: 'build-card' }, kids);
  }

  function stateCell(c) {
    const notes = [];
    if (c.state === 'out' && c.out_reason) notes.push(t('r-' + c.out_reason));
    if (c.replaces) notes.push(t('replaces', { name: cand(c.replaces).name }));
    const by = S.list.candidates.find((x) => x.replaces === c.id);
    if (by) notes.push(t('replaced-by', { name: by.name }));
    return [h('span', { class: 'badge st-' + c.state }, t('st-' + c.state)), notes.length ? h('div', { class: 'hint' }, notes.join(t('semi'))) : null];
  }

  function listCard() {
    const l = S.list;
    const rows = l.candidates.map((c) => h('tr', { class: 'st-' + c.state, 'data-ticket': c.ticket_no, id: 'row-' + c.id },
      h('td', { class: 'num' }, c.place), h('td', { class: 'num rank' }, c.rank), h('td', { class: 'tickets wide-only' }, c.ticket_no),
      h('td', { class: 'name' }, c.name, h('div', { class: 'narrow-only hint' }, `${c.ticket_no} · ${t('rank')} ${c.rank} · ${t('written')} ${c.written} · ${t('interview')} ${c.interview}`)),
      h('td', { class: 'num wide-only' }, c.written), h('td', { class: 'num wide-only' }, c.interview), h('td', { class: 'num composite', 'data-label': t('composite') }, c.composite),
      h('td', { class: 'state' }, stateCell(c))));
    return h('section', { class: 'card', id: 'list' }, h('h2', {}, t('list-h')),
      h('p', { class: 'params' }, t('list-params', { quota: l.quota, used: l.rounds_used, rounds: l.rounds, fit: t(l.fitness_test ? 'yes' : 'no'),
        psy: t(l.psych_test ? 'yes' : 'no'), min: l.interview_min || t('none'), days: l.notice_workdays, months: l.probation_months })),
      h('p', { class: 'hint' }, t('tie-rule')),
      h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'ranking' },
        h('thead', {}, h('tr', {}, ['place', 'rank', 'ticket', 'name', 'written', 'interview', 'composite', 'state'].map((k) =>
          h('th', { scope: 'col', class: [['place', 'rank', 'written', 'interview', 'composite'].includes(k) ? 'num' : '',
            ['ticket', 'written', 'interview'].includes(k) ? 'wide-only' : ''].join(' ').trim() || null }, t(k))))),
        h('tbody', {}, rows))));
  }

  // ---- ② the steps ----
  const required = () => STEPS.filter((s) => (s !== 'fitness_test' || S.list.fitness_test) && (s !== 'psych_test' || S.list.psych_test));
  const stepsOf = (c) => S.list.steps.filter((s) => s.candidate_id === c.id);
  // The step the candidate takes next (the API's rule: the first required step whose latest
  // record is not a pass), or null.
  function nextStep(c) {
    for (const s of required()) {
      const last = stepsOf(c).filter((x) => x.step === s).pop();
      if (!last || last.outcome !== 'pass') return s;
    }
    return null;
  }

  function stepsCard() {
    const on = S.list.candidates.filter((c) => c.state !== 'reserve' && c.state !== 'below_min');
    return h('section', { class: 'card', id: 'steps' }, h('h2', {}, t('steps-h')),
      on.length ? on.map(candBlock) : h('p', {}, t('no-steps')));
  }

  function candBlock(c) {
    const box = msgBox('msg-' + c.id);
    const done = stepsOf(c).map((s) => h('li', { class: 'done o-' + s.outcome },
      t('step-done', { step: stepName(s.step), reexam: s.reexam ? t('reexam') : '', outcome: t('o-' + s.outcome), on: s.on }),
      s.reason ? h('div', { class: 'reason' }, s.reason) : null,
      s.case_id ? h('div', {}, h('a', { href: '/cases.html?case=' + s.case_id }, t('case-link', { id: s.case_id }))) : null));
    const info = [];
    const next = nextStep(c);
    if (c.state === 'selected') info.push(h('p', { class: 'next' }, next ? t('next-step', { step: stepName(next) }) : t('all-passed')));
    if (c.state === 'referred' && c.case_id) info.push(h('p', { class: 'flag warn' }, t('case-wait', { id: c.case_id }), ' ', h('a', { href: '/cases.html?case=' + c.case_id }, t('case-link', { id: c.case_id }))));
    if (c.appointed_on) info.push(h('p', { class: 'probation' }, t('probation-line', { on: c.appointed_on, ends: c.probation_ends })));
    if ((c.state === 'cancelled') && c.case_id) info.push(h('p', {}, h('a', { href: '/cases.html?case=' + c.case_id }, t('case-link', { id: c.case_id }))));
    const acts = [];
    if (S.can) {
      if (c.state === 'selected' || c.state === 'referred') acts.push(stepForm(c, box, next));
      if (c.state === 'out') acts.push(reexamBlock(c, box), replaceBlock(c, box));
      if (c.state === 'notice') acts.push(appointForm(c, box));
      if (c.state === 'appointed') acts.push(probationBlock(c, box));
    }
    return h('article', { class: 'cand st-' + c.state, id: 'cand-' + c.id, 'data-ticket': c.ticket_no },
      h('h3', {}, c.name, ' ', ...stateCell(c)),
      h('p', { class: 'hint' }, t('cand-line', { place: c.place, ticket: c.ticket_no, composite: c.composite, rank: c.rank })),
      done.length ? h('ol', { class: 'done-steps' }, done) : null, info, acts, box);
  }

  function stepForm(c, box, next) {
    const p = `s${c.id}-`;
    const steps = required();
    const outcome = keep(h('select', { id: p + 'outcome', class: 'outcome', onchange: () => { refer.hidden = outcome.value !== 'referred'; } },
      OUTCOMES.map((o) => h('option', { value: o }, t('o-' + o)))));
    const refer = h('fieldset', { class: 'referral', hidden: true }, h('legend', {}, t('referral-h')),
      field(p + 'facts', t('f-facts'), keep(h('textarea', { rows: '3', maxlength: '2000' }))),
      h('div', { class: 'two' },
        field(p + 'odate', t('f-occurred-date'), keep(h('input', { type: 'date' }))),
        field(p + 'otime', t('f-occurred-time'), keep(h('input', { type: 'time', value: '09:00' })))),
      field(p + 'entry', t('f-entry'), keep(h('input', { maxlength: '60' }))));
    const form = h('form', { class: 'step step-form', id: p + 'form', onsubmit: async (ev) => {
      ev.preventDefault();
      const o = outcome.value;
      const body = { step: $(p + 'step').value, outcome: o };
      const reason = $(p + 'reason').value.trim();
      if (reason) body.reason = reason;
      if ($(p + 'on').value) body.on = $(p + 'on').value;
      if (o === 'referred') {
        body.case = { facts: $(p + 'facts').value.trim(), occurred_at: `${$(p + 'odate').value}T${$(p + 'otime').value || '00:00'}:00+08:00` };
        if ($(p + 'entry').value.trim()) body.case.entry_id = $(p + 'entry').value.trim();
        if (!await K.confirmBox(t('refer-q', { name: c.name }), t('record'), { danger: true })) return;
      } else if (o !== 'pass') {
        if (!await K.confirmBox(t('out-q', { name: c.name, outcome: `${stepName(body.step)} ${t('o-' + o)}` }), t('record'), { danger: true })) return;
      }
      const r = await api('POST', `/api/v1/recruit_candidates/${c.id}/steps`, body);
      if (!r.ok) return refused(r, box);
      forget(p);
      await took(r.json);
      ok($('msg-' + c.id), t('recorded'));
    } },
    h('div', { class: 'two' },
      field(p + 'step', t('f-step'), keep(h('select', { class: 'step-sel' }, steps.map((s) => h('option', { value: s, selected: s === next }, stepName(s)))))),
      field(p + 'outcome', t('f-outcome'), outcome),
      field(p + 'on', t('f-on'), keep(h('input', { type: 'date' })))),
    field(p + 'reason', t('f-reason'), keep(h('textarea', { rows: '2', maxlength: '1000', class: 'reason-in' }))),
    refer,
    h('button', { type: 'submit', class: 'btn primary record' }, t('record')));
    refer.hidden = outcome.value !== 'referred';
    return form;
  }

  function reexamBlock(c, box) {
    if (c.out_reason !== 'physical_exam' || S.list.candidates.some((x) => x.replaces === c.id)) return null;
    if (stepsOf(c).some((s) => s.reexam)) return h('p', { class: 'hint' }, t('reexam-used'));
    const p = `x${c.id}-`;
    return h('details', { class: 'fold reexam' }, h('summary', {}, t('reexam-h')),
      h('form', { class: 'step', id: p + 'form', onsubmit: async (ev) => {
        ev.preventDefault();
        const body = { step: 'physical_exam', outcome: $(p + 'outcome').value, reexam: true };
        const reason = $(p + 'reason').value.trim();
        if (reason) body.reason = reason;
        const r = await api('POST', `/api/v1/recruit_candidates/${c.id}/steps`, body);
        if (!r.ok) return refused(r, box);
        forget(p);
        await took(r.json);
        ok($('msg-' + c.id), t('recorded'));
      } },
      h('div', { class: 'two' }, field(p + 'outcome', t('f-outcome'), keep(h('select', {}, ['pass', 'fail'].map((o) => h('option', { value: o }, t('o-' + o))))))),
      field(p + 'reason', t('f-reason'), keep(h('textarea', { rows: '2', maxlength: '1000' }))),
      h('button', { type: 'submit', class: 'btn primary' }, t('reexam-btn'))));
  }

  function replaceBlock(c, box) {
    const l = S.list;
    const by = l.candidates.find((x) => x.replaces === c.id);
    if (by) return null; // the state cell says who replaced them
    const nextUp = l.candidates.filter((x) => x.state === 'reserve').sort((a, b) => a.place - b.place)[0];
    if (l.rounds_used >= l.rounds) return h('p', { class: 'hint replace-note' }, t('replace-limit', { used: l.rounds_used, rounds: l.rounds }));
    if (!nextUp) return h('p', { class: 'hint replace-note' }, t('no-reserve'));
    return h('div', { class: 'replace' }, h('button', { type: 'button', class: 'btn primary replace-btn', onclick: async () => {
      if (!await K.confirmBox(t('replace-q', { name: c.name, next: nextUp.name, rounds: l.rounds, used: l.rounds_used }), t('replace'))) return;
      const r = await api('POST', `/api/v1/recruit_lists/${l.id}/replacements`, { candidate_id: c.id });
      if (!r.ok) return refused(r, box);
      await took(r.json);
      ok($('msg-' + c.id), t('replaced-ok', { name: cand(r.json.replacement_id).name }));
    } }, t('replace')));
  }

  const noticeOf = (c) => (S.list.notices.find((n) => n.id === c.notice_id) || {});
  function nextDay(d) {
    if (!d) return '';
    const x = new Date(d + 'T00:00:00Z');
    x.setUTCDate(x.getUTCDate() + 1);
    return x.toISOString().slice(0, 10);
  }

  function appointForm(c, box) {
    const p = `a${c.id}-`;
    const n = noticeOf(c);
    return h('form', { class: 'step appoint', id: p + 'form', onsubmit: async (ev) => {
      ev.preventDefault();
      const on = $(p + 'on').value;
      if (!await K.confirmBox(t('appoint-q', { name: c.name, on, months: S.list.probation_months }), t('appoint'))) return;
      const r = await api('POST', `/api/v1/recruit_candidates/${c.id}/appointment`, { appointed_on: on });
      if (!r.ok) return refused(r, box);
      forget(p);
      await took(r.json);
      ok($('msg-' + c.id), t('recorded'));
    } },
    h('h4', {}, t('appoint-h')), h('p', { class: 'hint' }, t('appoint-hint', { ends: n.ends_on || '' })),
    h('div', { class: 'two' }, field(p + 'on', t('appointed-on'), keep(h('input', { type: 'date', required: true, value: nextDay(n.ends_on) })))),
    h('button', { type: 'submit', class: 'btn primary appoint-btn' }, t('appoint')));
  }

  function probationBlock(c, box) {
    const p = `p${c.id}-`;
    const pbox = msgBox('pmsg-' + c.id);
    const mine = (S.cases || []).filter((k) => k.registration_id === c.registration_id);
    const pass = h('button', { type: 'button', class: 'btn primary pass-probation', onclick: async () => {
      if (!await K.confirmBox(t('pass-probation-q', { name: c.name }), t('pass-probation'))) return;
      box.replaceChildren();
      const r = await api('POST', `/api/v1/recruit_candidates/${c.id}/probation`, { outcome: 'passed' });
      if (!r.ok) return refused(r, pbox);
      await took(r.json);
      ok($('msg-' + c.id), t('recorded'));
    } }, t('pass-probation'));
    const form = h('form', { class: 'step', id: p + 'form', onsubmit: async (ev) => {
      ev.preventDefault();
      const id = Number($(p + 'case').value.trim());
      const body = { outcome: 'cancelled' };
      if (id) body.case_id = id;
      const note = $(p + 'note').value.trim();
      if (note) body.note = note;
      if (!await K.confirmBox(t('cancel-q', { name: c.name, case: id || '?' }), t('cancel'), { danger: true })) return;
      const r = await api('POST', `/api/v1/recruit_candidates/${c.id}/probation`, body);
      if (!r.ok) return refused(r, box);
      forget(p);
      await took(r.json);
      ok($('msg-' + c.id), t('cancelled-ok', { case: id }));
    } },
    h('p', { class: 'hint' }, mine.length ? [t('cases-of'), mine.map((k, i) => [i ? t('comma') : '', h('a', { href: '/cases.html?case=' + k.id }, '#' + k.id)])] : t('no-cases')),
    h('div', { class: 'two' }, field(p + 'case', t('case-id'), keep(h('input', { inputmode: 'numeric', maxlength: '12', value: mine.length === 1 ? String(mine[0].id) : '' })))),
    field(p + 'note', t('cancel-note'), keep(h('textarea', { rows: '2', maxlength: '2000' }))),
    h('button', { type: 'submit', class: 'btn danger cancel-btn' }, t('cancel')));
    return h('div', { class: 'probation-acts' }, h('h4', {}, t('probation-h')), pass, pbox,
      h('details', { class: 'fold cancel' }, h('summary', {}, t('cancel-h')), form));
  }

  // ---- ③ the public notice ----
  function noticeCard() {
    const l = S.list;
    const box = msgBox('notice-msg');
    const pending = l.notices.some((n) => n.status === 'pending');
    const make = S.can && !pending && l.candidates.some((c) => c.state === 'passed')
      ? h('button', { type: 'button', class: 'btn primary', id: 'make-notice', onclick: async () => {
        const r = await api('POST', `/api/v1/recruit_lists/${l.id}/notices`);
        if (!r.ok) return refused(r, box);
        await took(r.json);
        ok($('notice-msg'), t('made'));
      } }, t('make-notice')) : null;
    return h('section', { class: 'card', id: 'notices' }, h('h2', {}, t('notice-h')),
      h('p', { class: 'hint' }, t('notice-lead', { days: l.notice_workdays })), make, box,
      l.notices.slice().reverse().map(noticeBlock));
  }

  function noticeBlock(n) {
    const box = msgBox('nmsg-' + n.id);
    const entries = n.entries || [];
    const table = h('div', { class: 'wrap' }, h('table', { class: 'grid entries' },
      h('thead', {}, h('tr', {}, ['name', 'gender', 'id-number', 'ticket', 'written', 'interview', 'composite'].map((k) =>
        h('th', { scope: 'col', class: [['written', 'interview', 'composite'].includes(k) ? 'num' : '', ['ticket', 'written', 'interview'].includes(k) ? 'wide-only' : ''].join(' ').trim() || null }, t(k))))),
      h('tbody', {}, entries.map((e) => h('tr', { 'data-ticket': e.ticket_no }, h('td', {}, e.name), h('td', {}, e.gender), h('td', { class: 'tickets id-number' }, e.id_number),
        h('td', { class: 'tickets wide-only' }, e.ticket_no), h('td', { class: 'num wide-only' }, e.written), h('td', { class: 'num wide-only' }, e.interview), h('td', { class: 'num' }, e.composite))))));
    const kids = [h('h3', {}, t('notice-title', { id: n.id }), ' ', h('span', { class: 'badge ns-' + n.status }, t('ns-' + n.status))),
      h('p', { class: 'who-made' }, t('made-by', { name: n.made_by_name || '#' + n.made_by }),
        n.approved_by ? ['　', t('approved-by', { name: n.approved_by_name || '#' + n.approved_by, at: K.cst(n.published_at, false) })] : null)];
    if (n.status === 'pending') {
      kids.push(h('p', { class: 'hint' }, t('needs-other')));
      if (S.can) {
        kids.push(h('button', { type: 'button', class: 'btn primary approve', onclick: async () => {
          if (!await K.confirmBox(t('approve-q', { days: S.list.notice_workdays }), t('approve'))) return;
          const r = await api('POST', `/api/v1/recruit_notices/${n.id}/approve`);
          if (!r.ok) return refused(r, box);
          await took(r.json);
        } }, t('approve')));
      }
    } else {
      kids.push(h('p', { class: 'period' }, t('period', { starts: n.starts_on, ends: n.ends_on }), ' ',
        h('a', { href: `/api/v1/public/recruit_notices/${n.id}/pdf`, target: '_blank', rel: 'noopener', class: 'dl-link pdf' }, t('pdf'))));
    }
    kids.push(table, box);
    if (n.status === 'published') kids.push(objections(n));
    return h('div', { class: 'notice-block', id: 'notice-' + n.id }, kids);
  }

  function objections(n) {
    const list = S.list.objections.filter((o) => o.notice_id === n.id);
    const items = list.map((o) => {
      const box = msgBox('omsg-' + o.id);
      const p = `r${o.id}-`;
      const reply = o.status === 'open' && S.can ? h('form', { class: 'step reply-form', id: p + 'form', onsubmit: async (ev) => {
        ev.preventDefault();
        const sustained = $(p + 'sustained').checked;
        if (sustained && !await K.confirmBox(t('reply-q', { name: cand(o.candidate_id).name }), t('reply'), { danger: true })) return;
        const r = await api('POST', `/api/v1/recruit_objections/${o.id}/reply`, { reply: $(p + 'text').value.trim(), sustained });
        if (!r.ok) return refused(r, box);
        forget(p);
        await took(r.json);
        ok($('nmsg-' + n.id), t('reply-ok'));
      } },
      field(p + 'text', t('reply-text'), keep(h('textarea', { rows: '2', maxlength: '2000' }))),
      check(p + 'sustained', t('sustained')),
      h('button', { type: 'submit', class: 'btn primary reply' }, t('reply'))) : null;
      return h('li', { class: 'objection os-' + o.status, id: 'obj-' + o.id },
        h('p', {}, h('span', { class: 'badge os-' + o.status }, t('os-' + o.status)), ' ',
          `${o.received_on} · ${t('obj-about')}${t('colon')}${cand(o.candidate_id).name} · ${t('objector')}${t('colon')}${o.objector || t('none')}`),
        h('p', { class: 'obj-text' }, o.text),
        o.status === 'replied' ? h('p', { class: 'obj-reply' }, h('strong', {}, o.sustained ? t('sustained-yes') : t('not-sustained')), t('colon'), o.reply,
          h('span', { class: 'hint' }, ' ', t('replied-at', { at: K.cst(o.replied_at, false) }))) : null,
        reply, box);
    });
    const p = `o${n.id}-`;
    const box = msgBox('omsg-new-' + n.id);
    const add = S.can ? h('details', { class: 'fold add-obj' }, h('summary', {}, t('add-obj')), h('form', { class: 'step', id: p + 'form', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { candidate_id: Number($(p + 'cand').value), text: $(p + 'text').value.trim() };
      if ($(p + 'who').value.trim()) body.objector = $(p + 'who').value.trim();
      if ($(p + 'on').value) body.received_on = $(p + 'on').value;
      const r = await api('POST', `/api/v1/recruit_notices/${n.id}/objections`, body);
      if (!r.ok) return refused(r, box);
      forget(p);
      await took(r.json);
      ok($('nmsg-' + n.id), t('obj-ok'));
    } },
    h('div', { class: 'two' },
      field(p + 'cand', t('obj-about'), keep(h('select', {}, (n.entries || []).map((e) => h('option', { value: String(e.candidate_id) }, `${e.name} ${e.ticket_no}`))))),
      field(p + 'who', t('obj-anon'), keep(h('input', { maxlength: '100' }))),
      field(p + 'on', t('obj-received'), keep(h('input', { type: 'date' })))),
    field(p + 'text', t('obj-text'), keep(h('textarea', { rows: '3', maxlength: '2000' }))),
    h('button', { type: 'submit', class: 'btn primary add-objection' }, t('add-obj'))), box) : null;
    return h('div', { class: 'objections' }, h('h4', {}, t('obj-h')),
      list.length ? h('ul', { class: 'obj-list' }, items) : h('p', { class: 'hint' }, t('no-objections')), add);
  }

  K.chrome(render);
  start();
})();
