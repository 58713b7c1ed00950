// The candidate portal's landing page: the journey as numbered steps, zh-CN / en (cookie `lang`);
// and, for a candidate who logs in (here or on register.html: the same session), their score
// reviews (GRD-9: a request per scored subject with its deadline, the state, the outcome once
// answered, refusals in the server's words) and certificates (GRD-10: number, issue day,
// status, the PDF) for each exam whose scores are published.
'use strict';
(function () {
  const text = {
    'zh-CN': {
      skip: '跳到正文',
      'mine-h': '我的成绩复核和证书', 'mine-lead': '已报名的考生登录后，可以对已公布的成绩申请复核、查看复核进度和结果、下载电子证书。',
      'login-h': '考生登录', id_number: '证件号码', password: '密码', login: '登录', logout: '退出登录',
      'need-login': '请填写证件号码和密码。', offline: '无法连接服务器，请检查网络后重试。', loading: '加载中…',
      'no-regs': '您还没有报名记录。', 'not-published': '本次考试成绩尚未公布。成绩公布后，可在这里申请成绩复核。',
      'published-at': '成绩公布时间：{at}（北京时间）', 'to-lookup': '查询本人成绩',
      'rv-h': '成绩复核', 'rv-by': '申请截止：{d}（含当天，北京时间）{left}', 'rv-by-est': '申请期限：成绩公布之日起 30 日内（约 {d} 前，遇法定节假日顺延）{left}',
      'rv-left': '，还有 {n} 天', 'rv-today': '，今天截止', 'rv-closed': '，已截止',
      'rv-what': '复核只核查总分和登分是否有误，不查阅试卷、答案或评分录像；复核后的成绩为最终成绩。',
      'rv-ask': '申请成绩复核', 'rv-reason': '申请理由（选填）', 'rv-reason-hint': '简要说明您认为成绩可能有误的原因。', 'rv-send': '提交复核申请', 'rv-cancel': '取消',
      'rv-sent': '复核申请已提交，请留意本页的复核进度。', 'rv-published': '公布成绩：{s} 分', 'rv-applied': '{at} 申请',
      'rs-requested': '已提交，等待受理', 'rs-accepted': '已受理，等待转送复核', 'rs-refused': '不予受理', 'rs-forwarded': '复核中',
      'rs-rechecked': '复核完成，等待答复', 'rs-correction_pending': '复核完成，等待答复', 'rs-corrected': '复核完成，等待答复', 'rs-answered': '已答复',
      'rv-refusal': '不予受理的理由：{r}', 'rv-unchanged': '复核结果：成绩无误，维持 {s} 分。', 'rv-corrected': '复核结果：成绩更正为 {s} 分（原公布 {p} 分）。',
      'rv-cause': '原因：{c}', 'rv-answered': '{at} 答复。',
      'ct-h': '我的证书', 'ct-none': '暂无证书。合格人员名单确认后，证书会显示在这里。', 'ct-number': '证书编号 {n}', 'ct-issued': '颁发日期 {d}',
      'cs-valid': '有效', 'cs-revoked': '已撤销', 'ct-pdf': '下载证书（PDF）', 'ct-loading': '正在下载…', 'ct-done': '证书已下载（{f}）。',
      'ct-verify': '证书可在 {url} 查验真伪。', 'msgs-h': '复核答复消息',
      // the way after the interview (GET /candidates/me/recruitment; docs/recruitment.md)
      'rc-h': '面试及录用进程：{p}', 'rc-shortlisted': '进入面试名单', 'rc-waiting': '面试递补候选', 'rc-declined': '已放弃面试', 'rc-below_min': '未达面试最低分数线',
      'rc-day': '面试日期：{d}', 'rc-score': '面试成绩 {i} 分，综合成绩 {c} 分（{at} 公布）', 'rc-score-wait': '面试成绩尚未公布。',
      'rc-physical_exam': '体检', 'rc-fitness_test': '体能测评', 'rc-psych_test': '心理素质测评', 'rc-vetting': '考察', 'rc-reexam': '（复检）',
      'ro-pass': '合格', 'ro-fail': '不合格', 'ro-absent': '未参加（视为放弃）', 'ro-withdrawn': '本人放弃', 'ro-referred': '移交违规违纪处理，等待处理结果',
      'rq-reserve': '暂未进入体检，如有递补将通知您', 'rq-selected': '进入体检、考察等环节', 'rq-referred': '等待违规违纪处理结果', 'rq-passed': '各环节均已合格，等待公示',
      'rq-notice': '拟录用公示中：{a} 至 {b}', 'rq-appointed': '已录用，试用期至 {b}', 'rq-confirmed': '试用期满，正式任职', 'rq-cancelled': '录用已取消（见违规违纪处理决定）', 'rq-out': '已退出录用程序',
      'rc-appointed': '录用日期：{d}', 'rc-reason': '原因：{r}',
      brand: '考生服务', title: '报名参加人事考试',
      lead: '从注册到领取证书，一共 11 步。每一步都会告诉您接下来做什么、截止到什么时候（北京时间）。',
      'notice-h': '报名尚未开放',
      notice: '报名随考试公告开放。请关注人事考试机构发布的考试公告：报名时间、报考条件和考试安排以公告为准。公告发布后，即可在本页注册并报名。',
      'steps-h': '报名和考试的步骤', 'to-register': '进入网上报名', 'to-notice': '考试公告', 'help-h': '遇到问题？',
      help: '每一次不能通过，系统都会用中文说明原因和您可以怎么做。需要人工帮助时，请拨打考试公告上的咨询电话。',
      home: '返回首页', integrity: '诚信档案查询', step: '第 {n} 步', next: '接下来：', go: '成绩查询',
      steps: [
        ['注册账号', '用手机号注册并设置密码，一个人只注册一个账号。', '完善个人信息。'],
        ['填写个人信息', '姓名、身份证件、学历、照片等。证件号码显示时会遮住中间部分，例如 110105********002X。', '选择考试和职位。'],
        ['选择考试和职位', '逐项显示您是否符合报考条件（年龄、学历、专业、工作经历等）：符合的打勾，不符合的说明原因。', '签署承诺书或上传证明材料。'],
        ['承诺或提供证明', '实行告知承诺的考试，阅读并签署诚信承诺书；其他情况按公告上传证明材料。', '提交报名。'],
        ['提交报名', '确认信息无误后提交。页面显示报名截止时间（北京时间）和剩余时间，截止后不能再提交。', '等待资格审查，并按时缴费。'],
        ['缴费', '在公告规定的时间内网上缴费；逾期未缴费视为放弃报名。', '查看审核结果。'],
        ['查看审核结果', '资格审查通过或不通过都会写明理由；允许修改时，可在期限内修改后重新提交。', '按时打印准考证。'],
        ['打印准考证', '在规定的时间内一键下载准考证（PDF），按上面的时间和地点参加考试。', '参加考试，等待成绩公布。'],
        ['查询成绩', '成绩公布后查询各科成绩和是否合格。', '如对成绩有疑问，可申请复查。', '/scores.html'],
        ['申请成绩复查', '在公告规定的期限内提出，复查结果会在这里告诉您。', '合格的考生领取证书。'],
        ['领取证书', '资格类考试合格后，在规定时间内下载或领取证书。', '完成。'],
      ],
    },
    en: {
      skip: 'Skip to the content',
      'mine-h': 'My score reviews and certificates', 'mine-lead': 'Registered candidates: log in to ask for a review of published scores, follow it, and download your electronic certificate.',
      'login-h': 'Candidate login', id_number: 'Identity number', password: 'Password', login: 'Log in', logout: 'Log out',
      'need-login': 'Enter your identity number and password.', offline: 'Cannot reach the server. Check the connection and try again.', loading: 'Loading…',
      'no-regs': 'You have no registration.', 'not-published': 'The scores of this exam are not published yet. Once they are, you can ask for a review here.',
      'published-at': 'Scores published {at} (China time)', 'to-lookup': 'Look up my scores',
      'rv-h': 'Score review', 'rv-by': 'Ask by {d} (inclusive, China time){left}', 'rv-by-est': 'Ask within 30 days of publication (about {d}; moved past public holidays){left}',
      'rv-left': ', {n} days left', 'rv-today': ', closes today', 'rv-closed': ', closed',
      'rv-what': 'A review checks only the total and its entry; it shows no script, key or video. The reviewed score is final.',
      'rv-ask': 'Ask for a score review', 'rv-reason': 'Reason (optional)', 'rv-reason-hint': 'Briefly, why you think the score may be wrong.', 'rv-send': 'Send the request', 'rv-cancel': 'Cancel',
      'rv-sent': 'Your request is sent; follow it on this page.', 'rv-published': 'Published score: {s}', 'rv-applied': 'asked {at}',
      'rs-requested': 'Sent, waiting to be accepted', 'rs-accepted': 'Accepted, to be re-checked', 'rs-refused': 'Refused', 'rs-forwarded': 'Being re-checked',
      'rs-rechecked': 'Re-checked, answer coming', 'rs-correction_pending': 'Re-checked, answer coming', 'rs-corrected': 'Re-checked, answer coming', 'rs-answered': 'Answered',
      'rv-refusal': 'Refused because: {r}', 'rv-unchanged': 'Outcome: the score is right and stays {s}.', 'rv-corrected': 'Outcome: the score is corrected to {s} (published: {p}).',
      'rv-cause': 'Cause: {c}', 'rv-answered': 'Answered {at}.',
      'ct-h': 'My certificates', 'ct-none': 'No certificate yet. Once the qualified list is confirmed, your certificate shows here.', 'ct-number': 'Certificate {n}', 'ct-issued': 'issued {d}',
      'cs-valid': 'Valid', 'cs-revoked': 'Revoked', 'ct-pdf': 'Download the certificate (PDF)', 'ct-loading': 'Downloading…', 'ct-done': 'Certificate downloaded ({f}).',
      'ct-verify': 'Anyone can check it at {url}.', 'msgs-h': 'Answers to your reviews',
      'rc-h': 'Interview and recruitment: {p}', 'rc-shortlisted': 'On the interview list', 'rc-waiting': 'Waiting list for the interview', 'rc-declined': 'Interview declined', 'rc-below_min': 'Below the interview minimum',
      'rc-day': 'Interview day: {d}', 'rc-score': 'Interview score {i}, composite {c} (published {at})', 'rc-score-wait': 'The interview results are not published yet.',
      'rc-physical_exam': 'Physical exam', 'rc-fitness_test': 'Fitness test', 'rc-psych_test': 'Psychological test', 'rc-vetting': 'Vetting', 'rc-reexam': ' (re-examination)',
      'ro-pass': 'passed', 'ro-fail': 'not passed', 'ro-absent': 'absent (gave up)', 'ro-withdrawn': 'withdrawn by you', 'ro-referred': 'referred to the violations procedure; waiting for its outcome',
      'rq-reserve': 'Not called yet; you are told if a place opens', 'rq-selected': 'In the physical exam and vetting', 'rq-referred': 'Waiting for the violation case', 'rq-passed': 'Every step passed; the public notice comes next',
      'rq-notice': 'On the public notice: {a} to {b}', 'rq-appointed': 'Appointed; probation until {b}', 'rq-confirmed': 'Probation passed', 'rq-cancelled': 'Recruitment cancelled (see the decision on your case)', 'rq-out': 'Out of the recruitment',
      'rc-appointed': 'Appointed on {d}', 'rc-reason': 'Reason: {r}',
      brand: 'Candidates', title: 'Apply for a personnel examination',
      lead: 'Eleven steps from signing up to your certificate. Each step tells you what comes next and the deadline (China time).',
      'notice-h': 'Registration is not open yet',
      notice: 'Registration opens with the exam notice. Watch for the notice of the examination agency: its dates, conditions and arrangements apply. Once it is published you can sign up and register here.',
      'steps-h': 'The steps', 'to-register': 'Register online', 'to-notice': 'Exam notices', 'help-h': 'Need help?',
      help: 'Whenever something cannot go through, you are told why and what you can do. For a person to talk to, call the number in the exam notice.',
      home: 'Back to the start page', integrity: 'Integrity archive', step: 'Step {n}', next: 'Next: ', go: 'Look up scores',
      steps: [
        ['Sign up', 'Register with your mobile number and set a password; one account per person.', 'complete your profile.'],
        ['Your profile', 'Name, identity document, education, photo. Identity numbers are shown masked, e.g. 110105********002X.', 'choose the exam and position.'],
        ['Choose exam and position', 'Each condition (age, education, major, experience…) is shown as met or not met, with the reason.', 'sign the pledge or upload proof.'],
        ['Pledge or proof', 'Where the exam uses pledges, read and sign the integrity pledge; otherwise upload the proof the notice asks for.', 'submit.'],
        ['Submit', 'Check and submit. The deadline (China time) and the time left are shown; after it nothing can be submitted.', 'wait for the review and pay in time.'],
        ['Pay', 'Pay online within the period of the notice; no payment in time means the registration lapses.', 'see the review result.'],
        ['Review result', 'Passed or not, the reason is given; where allowed, correct and resubmit before the deadline.', 'print your admission ticket.'],
        ['Admission ticket', 'Download the ticket (PDF) with one tap inside its window; it shows when and where to sit.', 'sit the exam and wait for the scores.'],
        ['Scores', 'See each subject\'s score and whether you passed.', 'ask for a score review if in doubt.', '/scores.html'],
        ['Score review', 'Ask within the period of the notice; the outcome is shown here.', 'successful candidates receive a certificate.'],
        ['Certificate', 'For qualification exams: download or collect the certificate within its window.', 'done.'],
      ],
    },
  };
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!text[lang]) lang = 'zh-CN';
  const t = (k) => text[lang][k] || text['zh-CN'][k] || k;

  function render() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' · kaowu';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    const ol = document.getElementById('journey');
    ol.replaceChildren(...text[lang].steps.map(([title, what, next, href], i) => {
      const li = document.createElement('li');
      const n = document.createElement('span');
      n.className = 'n';
      n.setAttribute('aria-hidden', 'true');
      n.textContent = String(i + 1);
      const body = document.createElement('div');
      const h = document.createElement('h3');
      const sr = document.createElement('span');
      sr.className = 'vh';
      sr.textContent = t('step').replace('{n}', i + 1) + ' ';
      h.append(sr, title);
      const p = document.createElement('p');
      p.textContent = what;
      const q = document.createElement('p');
      q.className = 'next';
      q.textContent = t('next') + next;
      body.append(h, p, q);
      if (href) {
        // a step open to everyone (the score look-up): its page one tap away
        const a = document.createElement('a');
        a.className = 'cta';
        a.href = href;
        a.textContent = t('go');
        body.append(a);
      }
      li.append(n, body);
      return li;
    }));
  }

  // ---- the logged-in candidate (GRD-9, GRD-10): score reviews and certificates per exam ----
  // The candidate's session is register.html's (the bearer token in this tab's sessionStorage,
  // kw_cand); logging in here keeps it there too. Per registration whose exam's scores are
  // published: each subject's review (its state, the deadline, the outcome once answered) or
  // the request form; then the certificates with their PDF. Refusals in the server's words.
  const h = function (tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  };
  const tv = (k, v) => t(k).replace(/\{(\w+)\}/g, (_, x) => (v && v[x] !== undefined && v[x] !== null ? v[x] : ''));
  const M = { token: sessionStorage.getItem('kw_cand') || '', data: null, open: '', notes: {}, busy: false };
  async function api(method, path, body) {
    const headers = { Accept: 'application/json', 'Accept-Language': lang };
    if (M.token) headers.Authorization = 'Bearer ' + M.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let r;
    try {
      r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
    } catch (e) {
      return { status: 0, json: { error: { code: 'OFFLINE', message: t('offline') } } };
    }
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    if (r.status === 401 && M.token && path !== '/api/v1/session') { M.token = ''; sessionStorage.removeItem('kw_cand'); }
    return { status: r.status, json };
  }
  const errOf = (r) => (r.json && r.json.error) || { message: 'HTTP ' + r.status, code: '' };
  const alert = (r, id) => h('div', { class: 'alert', role: 'alert', id, 'data-code': errOf(r).code || '' }, errOf(r).message);
  const CSTD = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  function cst(iso, dayOnly) {
    const d = new Date(iso);
    if (!iso || isNaN(d)) return iso || '';
    const p = {};
    CSTD.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day}` + (dayOnly ? '' : ` ${p.hour === '24' ? '00' : p.hour}:${p.minute}`);
  }
  const dayNo = (ymd) => Math.floor(Date.parse(ymd + 'T00:00:00Z') / 86400000);
  const dayStr = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
  function leftText(ymd) {
    const left = dayNo(ymd) - dayNo(cst(new Date().toISOString(), true));
    return left < 0 ? t('rv-closed') : left === 0 ? t('rv-today') : tv('rv-left', { n: left });
  }

  async function loadMine() {
    if (!M.token) { M.data = null; return renderMine(); }
    const regs = await api('GET', '/api/v1/registrations');
    if (regs.status !== 200) { M.data = null; return renderMine(regs.status === 401 ? null : regs); }
    const items = regs.json.items.filter((r) => r.status !== 'cancelled');
    const exams = [...new Set(items.map((r) => r.exam_id))];
    const per = await Promise.all(exams.map(async (id) => {
      const e = await api('GET', '/api/v1/public/exams/' + id);
      const exam = e.status === 200 ? e.json : { id, name: '' };
      if (!exam.scores_published_at) return { exam };
      const [rv, ct, msg] = await Promise.all([api('GET', `/api/v1/exams/${id}/score_reviews`), api('GET', `/api/v1/exams/${id}/certificates`),
        api('GET', '/api/v1/candidates/me/cases')]);
      return { exam, reviews: rv, certs: ct, msgs: msg };
    }));
    const rc = await api('GET', '/api/v1/candidates/me/recruitment');
    M.data = { regs: items, per: Object.fromEntries(exams.map((id, i) => [id, per[i]])), recruit: rc.status === 200 ? rc.json.items : [] };
    renderMine();
  }

  function renderMine(failed) {
    const box = document.getElementById('mine');
    box.hidden = false;
    const kids = [h('h2', { id: 'mine-h' }, t('mine-h'))];
    if (!M.token || !M.data) {
      // log in (the same session as the registration pages)
      const idn = h('input', { id: 'm-idn', name: 'id_number', autocomplete: 'username', maxlength: '40', required: true });
      const pw = h('input', { id: 'm-pw', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
      const err = h('div', { id: 'm-login-msg', 'aria-live': 'polite' }, failed ? alert(failed) : null);
      const form = h('form', { id: 'm-login', novalidate: true, 'aria-labelledby': 'm-login-h' }, h('h3', { id: 'm-login-h' }, t('login-h')),
        h('div', { class: 'field' }, h('label', { for: 'm-idn' }, t('id_number')), idn),
        h('div', { class: 'field' }, h('label', { for: 'm-pw' }, t('password')), pw),
        h('button', { type: 'submit', class: 'btn primary' }, t('login')), err);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        err.replaceChildren();
        if (!idn.value.trim() || !pw.value) { err.append(h('p', { class: 'alert', role: 'alert' }, t('need-login'))); return; }
        const r = await api('POST', '/api/v1/session', { id_number: idn.value.trim(), password: pw.value });
        if (r.status !== 201) { err.append(alert(r)); return; }
        M.token = r.json.token;
        sessionStorage.setItem('kw_cand', M.token);
        await loadMine();
        const hh = document.getElementById('mine-h');
        if (hh) { hh.tabIndex = -1; hh.focus(); }
      });
      kids.push(h('p', { class: 'hint' }, t('mine-lead')), form);
      return box.replaceChildren(...kids);
    }
    const { regs, per } = M.data;
    if (!regs.length) kids.push(h('p', {}, t('no-regs')));
    const seen = new Set();
    for (const reg of regs) {
      if (seen.has(reg.exam_id)) continue;
      seen.add(reg.exam_id);
      kids.push(examCard(reg, per[reg.exam_id] || { exam: { id: reg.exam_id, name: reg.exam_name } }));
    }
    for (const r of M.data.recruit || []) kids.push(recruitCard(r));
    kids.push(h('p', {}, h('button', { type: 'button', class: 'btn', id: 'm-logout', onclick: async () => {
      await api('DELETE', '/api/v1/session');
      M.token = '';
      sessionStorage.removeItem('kw_cand');
      M.data = null;
      renderMine();
    } }, t('logout'))));
    box.replaceChildren(...kids);
  }

  function examCard(reg, x) {
    const e = x.exam;
    const id = 'ex-' + e.id;
    const kids = [h('h3', { id: id + '-h' }, e.name || reg.exam_name)];
    if (!e.scores_published_at) {
      kids.push(h('p', { class: 'hint' }, t('not-published')));
      return h('article', { class: 'exam-card', id, 'aria-labelledby': id + '-h' }, kids);
    }
    kids.push(h('p', { class: 'hint' }, tv('published-at', { at: cst(e.scores_published_at) }), ' ',
      h('a', { href: '/scores.html?exam=' + e.id, class: 'inline' }, t('to-lookup'))));
    // the review: the deadline (the server's, once a request is on record), each subject
    const reviews = x.reviews && x.reviews.status === 200 ? x.reviews.json.items : [];
    const names = Object.fromEntries((e.subjects || []).map((s) => [s.code, s.name]));
    const by = reviews.length ? reviews[0].request_by : null;
    const est = dayStr(dayNo(cst(e.scores_published_at, true)) + 30);
    kids.push(h('h4', {}, t('rv-h')), h('p', { class: 'deadline', id: id + '-by' }, by ? tv('rv-by', { d: by, left: leftText(by) }) : tv('rv-by-est', { d: est, left: leftText(est) })),
      h('p', { class: 'hint' }, t('rv-what')));
    if (x.reviews && x.reviews.status !== 200) kids.push(alert(x.reviews));
    const subjects = (reg.subjects && reg.subjects.length ? reg.subjects : (e.subjects || []).map((s) => s.code));
    kids.push(h('ul', { class: 'reviews' }, subjects.map((code) => subjectItem(e, code, names[code] || code, reviews.filter((r) => r.subject === code)))));
    // the answers (portal messages of kind score_review)
    const msgs = x.msgs && x.msgs.status === 200 ? x.msgs.json.messages.filter((m) => m.kind === 'score_review') : [];
    if (msgs.length) {
      kids.push(h('h4', {}, t('msgs-h')), h('ul', { class: 'msgs' }, msgs.map((m) => h('li', { class: 'msg' },
        h('p', { class: 'msg-title' }, h('strong', {}, m.title), h('span', { class: 'hint' }, ' · ' + cst(m.created_at))), h('p', { class: 'msg-body' }, m.body)))));
    }
    // the certificates
    kids.push(h('h4', { id: id + '-ct' }, t('ct-h')));
    const certs = x.certs && x.certs.status === 200 ? x.certs.json.items : [];
    if (x.certs && x.certs.status !== 200) kids.push(alert(x.certs));
    else if (!certs.length) kids.push(h('p', { class: 'hint' }, t('ct-none')));
    else kids.push(h('ul', { class: 'certs' }, certs.map((c) => certItem(c))));
    return h('article', { class: 'exam-card', id, 'aria-labelledby': id + '-h' }, kids);
  }

  // the candidate's own way after the written exam, in plain words, with dates
  function recruitCard(r) {
    const id = 'rc-' + r.registration_id;
    const li = [h('li', {}, t('rc-' + r.shortlist_state))];
    if (r.interview_day) li.push(h('li', {}, tv('rc-day', { d: r.interview_day })));
    li.push(h('li', {}, r.results_published_at ? tv('rc-score', { i: r.interview, c: r.composite, at: cst(r.results_published_at) }) : t('rc-score-wait')));
    for (const s of r.steps || []) {
      li.push(h('li', {}, t('rc-' + s.step) + (s.reexam ? t('rc-reexam') : '') + ' · ' + s.on + ' · ' + t('ro-' + s.outcome),
        s.reason ? h('span', { class: 'hint' }, ' ' + tv('rc-reason', { r: s.reason })) : null));
    }
    if (r.state) {
      li.push(h('li', { class: 'rc-state' }, h('strong', {}, tv('rq-' + r.state, { a: r.notice_starts_on, b: r.state === 'appointed' ? r.probation_ends : r.notice_ends_on }))));
      if (r.appointed_on) li.push(h('li', {}, tv('rc-appointed', { d: r.appointed_on })));
    }
    return h('article', { class: 'exam-card', id, 'aria-labelledby': id + '-h' },
      h('h3', { id: id + '-h' }, tv('rc-h', { p: r.exam_name + ' · ' + r.position_name + '（' + r.position_code + '）' })), h('ol', { class: 'recruit' }, li));
  }

  function subjectItem(e, code, name, mine) {
    const key = e.id + ':' + code;
    const li = h('li', { class: 'subject', 'data-subject': code });
    const head = h('p', { class: 'subj' }, h('strong', {}, name), h('span', { class: 'code' }, ' ' + code));
    const note = h('div', { class: 'note', id: `rv-msg-${e.id}-${code}`, 'aria-live': 'polite' }, M.notes[key] || null);
    const r = mine[mine.length - 1];
    if (r) {
      const lines = [h('p', {}, h('span', { class: 'badge rs-' + r.status }, t('rs-' + r.status)), ' ', tv('rv-published', { s: r.published_score }),
        h('span', { class: 'hint' }, ' · ' + tv('rv-applied', { at: cst(r.created_at) })))];
      if (r.refusal) lines.push(h('p', {}, tv('rv-refusal', { r: r.refusal })));
      if (r.status === 'answered') {
        lines.push(h('p', { class: 'outcome' }, r.outcome === 'corrected' ? tv('rv-corrected', { s: r.rechecked_score, p: r.published_score }) : tv('rv-unchanged', { s: r.published_score })));
        if (r.cause) lines.push(h('p', { class: 'hint' }, tv('rv-cause', { c: r.cause })));
        lines.push(h('p', { class: 'hint' }, tv('rv-answered', { at: cst(r.answered_at) })));
      }
      li.append(head, h('div', { class: 'state', id: 'rv-' + r.id }, lines), note);
      // one request per subject: the form only to show a refusal's message again is not offered
      return li;
    }
    if (M.open !== key) {
      li.append(head, h('button', { type: 'button', class: 'btn primary ask', id: `ask-${e.id}-${code}`, onclick: () => { M.open = key; M.notes[key] = null; renderMine(); focusIn(`rv-reason-${e.id}-${code}`); } }, t('rv-ask')), note);
      return li;
    }
    const rid = `rv-reason-${e.id}-${code}`;
    const reason = h('textarea', { id: rid, name: 'reason', rows: '3', maxlength: '500', 'aria-describedby': rid + '-hint' });
    const form = h('form', { class: 'ask-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: rid }, t('rv-reason')), reason, h('span', { class: 'hint', id: rid + '-hint' }, t('rv-reason-hint'))),
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary', id: `send-${e.id}-${code}` }, t('rv-send')),
        h('button', { type: 'button', class: 'btn', onclick: () => { M.open = ''; renderMine(); } }, t('rv-cancel'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (M.busy) return;
      M.busy = true;
      const body = { subject: code };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const res = await api('POST', `/api/v1/exams/${e.id}/score_reviews`, body);
      M.busy = false;
      M.open = '';
      M.notes[key] = res.status === 201 ? h('p', { class: 'alert ok', role: 'status' }, t('rv-sent')) : alert(res);
      await loadMine();
    });
    li.append(head, h('p', { class: 'hint' }, t('rv-ask')), form, note);
    return li;
  }
  function focusIn(id) { const el = document.getElementById(id); if (el) el.focus(); }

  function certItem(c) {
    const st = c.status === 'valid' ? 'valid' : 'revoked';
    const out = h('div', { class: 'dl-msg', role: 'status', 'aria-live': 'polite' });
    const btn = h('button', { type: 'button', class: 'btn primary', id: 'cert-pdf-' + c.id, onclick: async () => {
      out.replaceChildren(t('ct-loading'));
      let r;
      try { r = await fetch(`/api/v1/certificates/${c.id}/pdf`, { headers: { Authorization: 'Bearer ' + M.token, 'Accept-Language': lang }, credentials: 'omit' }); } catch (e) { r = null; }
      if (!r || !r.ok) {
        let j = null;
        try { j = r ? await r.json() : null; } catch (e) { j = null; }
        out.replaceChildren(alert({ status: r ? r.status : 0, json: j || { error: { message: t('offline') } } }));
        return;
      }
      const name = c.number + '.pdf';
      const url = URL.createObjectURL(await r.blob());
      const a = h('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      out.replaceChildren(tv('ct-done', { f: name }));
    } }, t('ct-pdf'));
    const verify = location.origin + '/verify.html';
    return h('li', { class: 'cert cs-' + st, 'data-number': c.number }, h('p', {}, h('strong', {}, tv('ct-number', { n: c.number })), ' ',
      h('span', { class: 'badge cs-' + st }, t('cs-' + st))), h('p', { class: 'hint' }, tv('ct-issued', { d: c.issued_on })),
    st === 'valid' ? [btn, out, h('p', { class: 'hint' }, tv('ct-verify', { url: verify }))] : null);
  }

  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    lang = b.dataset.lang;
    document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    render();
    if (M.token) loadMine(); else renderMine();
  }));
  render();
  loadMine();
})();
