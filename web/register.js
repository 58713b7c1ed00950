// The candidate's registration wizard: sign up or log in → profile → choose an exam and a
// position (or subjects) → pledge or proof → submit → pay → status. Plain DOM, no framework;
// zh-CN by default, English through the `lang` cookie; every refusal shows the server's own
// explanation (field by field, condition by condition).
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考生服务', title: '网上报名', home: '报名须知与步骤', skip: '跳到正文',
      steps: ['注册或登录', '个人信息', '选择考试', '承诺并提交', '缴费', '报名状态'],
      login: '登录', signup: '注册账号', 'login-h': '已有账号，登录', 'signup-h': '还没有账号，注册',
      id_type: '证件类型', id_number: '证件号码', name: '姓名', phone: '手机号码', email: '电子邮箱（选填）',
      password: '密码（至少 8 位）', 'password-login': '密码',
      resident_id: '居民身份证', social_security: '社会保障卡', foreigner_pr: '外国人永久居留身份证', other: '其他证件',
      'claim-h': '证件号码被他人占用？提交申诉', statement: '情况说明', 'new-password': '申诉成立后使用的新密码',
      'claim-send': '提交申诉', 'claim-sent': '申诉已提交（编号 {id}）。请携带身份证原件到考试机构核验，核验通过后即可用新密码登录。',
      'profile-h': '个人信息', 'profile-lead': '报考条件按这里的信息逐项核对。证件号码只显示首尾。',
      political_status: '政治面貌', household_region: '户籍所在地区代码（6 位）', work_years: '工作年限（年）',
      grassroots_years: '基层工作年限（年）', grassroots_project: '有服务基层项目工作经历（如三支一扶、西部计划）',
      birth_date: '出生日期', education: '学历学位', 'add-edu': '添加一条学历', 'remove-edu': '删除这条学历',
      level: '学历', degree: '学位', major_code: '专业代码（6 位，如 020201K）', major: '专业名称', school: '毕业院校',
      graduated_on: '毕业时间', save: '保存并继续', saved: '已保存。', choose: '请选择',
      cpc_member: '中共党员', cpc_probationary: '中共预备党员', cyl_member: '共青团员', democratic_party: '民主党派',
      non_party: '无党派人士', masses: '群众',
      secondary: '中专/高中', junior_college: '大专', bachelor: '本科', master: '硕士研究生', doctorate: '博士研究生',
      none: '无学位', 'deg-bachelor': '学士', 'deg-master': '硕士', 'deg-doctorate': '博士',
      'exams-h': '正在报名的考试', 'no-exams': '目前没有正在报名的考试。', pick: '选择此考试',
      window: '报名时间', closes: '距报名截止还有 {d} 天 {h} 小时', closed: '报名已截止', 'not-open': '报名尚未开始',
      subjects: '考试科目', fee: '考试费 {yuan} 元', conditions: '报考条件', 'no-conditions': '按职位要求',
      'pos-h': '选择职位', q: '关键词（职位、部门、地点）', category: '职位类别', major_filter: '我的专业代码',
      edu_filter: '我的学历', search: '搜索职位', 'pos-none': '没有符合条件的职位。', 'pick-pos': '报考此职位',
      quota: '招考 {n} 人', 'subj-h': '选择报考科目', next: '下一步', back: '上一步',
      'pledge-h': '诚信承诺', route: '报名方式', 'route-pledge': '告知承诺：阅读并签署承诺书',
      'route-proof': '提供证明材料（不愿或不能承诺时）', accept: '本人已阅读上述告知事项，承诺所填信息真实、准确、有效，愿意承担不实承诺的法律责任。',
      submit: '提交报名', submitted: '报名已提交。', unmet: '您不符合以下报考条件：', chosen: '已选：{what}',
      'status-h': '我的报名', 'no-regs': '还没有报名记录。', paid: '已缴费', unpaid: '未缴费', pay: '缴费',
      'pay-done': '缴费成功。', withdraw: '撤回承诺', 'withdraw-reason': '撤回理由', 'withdraw-send': '确认撤回',
      'review-reason': '审核意见：{r}', route_pledge: '告知承诺', route_proof: '提供证明材料',
      st_submitted: '待审核', st_approved: '审核通过', st_rejected: '审核未通过', st_void: '报名无效', st_cancelled: '已取消',
      logout: '退出', offline: '无法连接服务器，请检查网络后重试。', 'fix': '请修改标出的内容。',
      'change-pos': '审核未通过：报名截止前可以改报其他职位（回到“选择考试”重新选择并提交）。',
      'photo-h': '报名照片', 'photo-none': '尚未上传照片', 'photo-alt': '{name}的报名照片',
      'photo-req': '要求：JPEG 或 PNG，不超过 2 MB，竖版证件照，至少 240×320 像素；上传后系统会重新压缩保存。',
      'photo-file': '选择照片文件', 'photo-send': '上传照片', 'photo-done': '照片已上传（{w}×{h} 像素）。',
      'photo-pick': '请先选择照片文件。', 'photo-warn': '报名照片将用于资格审查和准考证，请先上传。', 'photo-go': '去上传照片',
      'photo-needed': '本考试要求报名时已上传本人照片。', 'photo-must': '本考试要求先上传本人照片才能提交报名：您还没有上传照片。',
      'photo-back': '返回继续报名',
      'photo-loading': '正在加载照片…', uploading: '正在上传…',
      'proofs-h': '证明材料', 'proofs-none': '还没有上传证明材料。', 'proofs-count': '已上传 {n} 份，最多 {max} 份。',
      'proofs-req': 'PDF、JPEG 或 PNG，每份不超过 5 MB；PDF 不能加密，不能含脚本或附件；图片会重新压缩保存。',
      'proof-label': '材料名称（证明什么，如“学历证书”）', 'proof-file': '选择文件', 'proof-send': '上传材料',
      'proof-done': '已上传：{label}。', 'proof-need-label': '请填写材料名称。', 'proof-pick': '请先选择文件。',
      'proof-uploaded': '上传于 {at}', download: '下载',
      'proofs-list': '已上传的证明材料',
      'ticket-h': '准考证', 'ticket-lead': '考前规定时间内可以下载准考证，自己用 A4 纸打印。准考证上写有考试时间、考点和座位号。',
      'ticket-get': '下载准考证', 'ticket-get-for': '下载准考证：{exam}', 'ticket-loading': '正在下载准考证…',
      'ticket-done': '准考证已下载（文件名：{file}）。', 'ticket-print': '请用 A4 纸打印，考试时带上准考证和本人身份证原件。',
      'ticket-closed': '现在不能下载准考证：准考证只能在打印时间内下载。',
      'ticket-window': '准考证打印时间：{from} 至 {to}', 'ticket-tz': '（北京时间）',
      'ticket-none': '考场座位还没有公布，暂时没有准考证。座位公布后，请在打印时间内再来下载。',
      'ticket-unpaid': '缴费成功后，才能在考前规定时间内下载准考证。',
      'corr-h': '准考证信息更正', 'corr-open': '准考证信息有误？申请更正',
      'corr-why-CORRECTION_NO_TICKET': '更正针对准考证信息：该报名尚无已公布的考场座位，暂时不能申请更正。',
      'corr-why-CORRECTION_TOO_LATE': '准考证信息更正须在考前申请，现在已不能申请。',
      'corr-lead': '准考证上的姓名、证件号码或照片有误的，请在考试开始前（{date}）申请更正，并上传证明材料。考区考试机构核查后作出决定，结果显示在这里；不予更正的，会说明理由。考场和座位由编排确定，不能申请更正。',
      'corr-lead-nodate': '准考证上的姓名、证件号码或照片有误的，请在考试开始前申请更正，并上传证明材料。考区考试机构核查后作出决定，结果显示在这里；不予更正的，会说明理由。考场和座位由编排确定，不能申请更正。',
      'corr-changes': '要更正的内容（至少填一项）', 'corr-name': '正确的姓名', 'corr-name-now': '准考证上现在是：{v}',
      'corr-id': '正确的证件号码', 'corr-id-now': '现在是：{v}', 'corr-photo': '新照片',
      'corr-proofs': '证明材料（可以一次选多份）', 'corr-proofs-hint': '如户口簿、身份证、单位证明。PDF、JPEG 或 PNG，每份不超过 5 MB。',
      'corr-label': '材料名称（选填，如“户口簿”）', 'corr-statement': '情况说明（哪里有误，正确的应是什么）',
      'corr-send': '提交更正申请', 'corr-need-change': '请至少填写一项要更正的内容：姓名、证件号码或新照片。',
      'corr-need-proof': '请选择证明材料文件。', 'corr-need-statement': '请填写情况说明。',
      'corr-uploading': '正在上传文件（{i}/{n}）…', 'corr-sending': '正在提交…',
      'corr-sent': '更正申请已提交，请等待考区考试机构处理，结果会显示在这里。',
      'corr-pending-note': '您的更正申请正在等待考区考试机构处理；处理完之前不能再提交新的申请。',
      'corr-list': '更正申请记录', 'cst-pending': '待处理', 'cst-approved': '已同意更正', 'cst-refused': '不予更正',
      'corr-asked': '{at} 提交', 'corr-by-unit': '单位申请：{unit}', 'corr-by-counter': '考试机构窗口录入',
      'corr-f-name': '姓名', 'corr-f-id': '证件号码', 'corr-f-photo': '照片', 'corr-to': '更正为',
      'corr-new-photo': '申请换成新照片', 'corr-photo-alt': '申请更换的新照片', 'corr-statement-was': '情况说明：',
      'corr-proofs-was': '证明材料：', 'corr-proof-n': '材料 {n}', 'corr-proof-file': '更正证明材料-{n}',
      'corr-waiting': '考区考试机构正在核查，处理结果会显示在这里。',
      'corr-approved': '已同意更正', 'corr-decided-at': '（{at} 处理）', 'corr-note': '处理意见：',
      'corr-approved-next': '您的信息已经更正，之前下载的准考证作废。请在准考证打印时间内重新下载并打印。',
      'corr-refused': '不予更正', 'corr-reasons': '理由：', 'corr-refused-next': '补齐材料或情况有变的，可以重新申请。',
    },
    en: {
      brand: 'Candidates', title: 'Register online', home: 'How registration works', skip: 'Skip to content',
      steps: ['Sign up / log in', 'Profile', 'Choose', 'Pledge and submit', 'Pay', 'Status'],
      login: 'Log in', signup: 'Sign up', 'login-h': 'I have an account', 'signup-h': 'I am new here',
      id_type: 'Document type', id_number: 'Document number', name: 'Name', phone: 'Mobile phone', email: 'E-mail (optional)',
      password: 'Password (8 characters or more)', 'password-login': 'Password',
      resident_id: 'Resident ID card', social_security: 'Social security card', foreigner_pr: 'Foreigner permanent-residence card', other: 'Other document',
      'claim-h': 'Someone else registered my document: file a claim', statement: 'What happened', 'new-password': 'New password once the claim is upheld',
      'claim-send': 'File the claim', 'claim-sent': 'Claim filed (number {id}). Bring your original ID card to the exam agency; once verified, log in with the new password.',
      'profile-h': 'Profile', 'profile-lead': 'Eligibility is checked against this. Document numbers show only their ends.',
      political_status: 'Political status', household_region: 'Household registration region code (6 digits)', work_years: 'Years of work',
      grassroots_years: 'Years of grassroots work', grassroots_project: 'I served in a grassroots project',
      birth_date: 'Birth date', education: 'Education', 'add-edu': 'Add an education record', 'remove-edu': 'Remove this record',
      level: 'Level', degree: 'Degree', major_code: 'Major code (6 digits, e.g. 020201K)', major: 'Major', school: 'School',
      graduated_on: 'Graduated on', save: 'Save and continue', saved: 'Saved.', choose: 'Choose',
      cpc_member: 'CPC member', cpc_probationary: 'CPC probationary member', cyl_member: 'CYL member', democratic_party: 'Democratic party',
      non_party: 'Non-party', masses: 'Ordinary citizen',
      secondary: 'Secondary', junior_college: 'Junior college', bachelor: 'Bachelor', master: 'Master', doctorate: 'Doctorate',
      none: 'No degree', 'deg-bachelor': 'Bachelor', 'deg-master': 'Master', 'deg-doctorate': 'Doctorate',
      'exams-h': 'Exams open for registration', 'no-exams': 'No exam is open for registration now.', pick: 'Choose this exam',
      window: 'Registration', closes: 'Closes in {d} days {h} hours', closed: 'Registration has closed', 'not-open': 'Registration has not opened',
      subjects: 'Subjects', fee: 'Fee ¥{yuan}', conditions: 'Conditions', 'no-conditions': 'As each position requires',
      'pos-h': 'Choose a position', q: 'Keyword (position, department, place)', category: 'Category', major_filter: 'My major code',
      edu_filter: 'My education', search: 'Search', 'pos-none': 'No position matches.', 'pick-pos': 'Apply for this position',
      quota: '{n} to recruit', 'subj-h': 'Choose subjects', next: 'Next', back: 'Back',
      'pledge-h': 'Integrity pledge', route: 'How to register', 'route-pledge': 'Notice and pledge: read and sign',
      'route-proof': 'Provide proof materials instead', accept: 'I have read the notice; the information I gave is true, accurate and valid, and I accept the liability for a false pledge.',
      submit: 'Submit', submitted: 'Registration submitted.', unmet: 'You do not meet these conditions:', chosen: 'Chosen: {what}',
      'status-h': 'My registrations', 'no-regs': 'No registration yet.', paid: 'Paid', unpaid: 'Not paid', pay: 'Pay',
      'pay-done': 'Paid.', withdraw: 'Withdraw the pledge', 'withdraw-reason': 'Reason', 'withdraw-send': 'Withdraw',
      'review-reason': 'Review: {r}', route_pledge: 'Pledge', route_proof: 'Proof materials',
      st_submitted: 'Awaiting review', st_approved: 'Approved', st_rejected: 'Rejected', st_void: 'Void', st_cancelled: 'Cancelled',
      logout: 'Log out', offline: 'Cannot reach the server; check the network and retry.', fix: 'Please correct the marked fields.',
      'change-pos': 'Rejected: before the deadline you may apply for another position (go back to Choose).',
      'photo-h': 'Photo', 'photo-none': 'No photo yet', 'photo-alt': 'Registration photo of {name}',
      'photo-req': 'Requirements: JPEG or PNG, at most 2 MB, an upright ID-style portrait of at least 240×320 pixels; the system re-compresses it when saving.',
      'photo-file': 'Photo file', 'photo-send': 'Upload photo', 'photo-done': 'Photo uploaded ({w}×{h} pixels).',
      'photo-pick': 'Choose a photo file first.', 'photo-warn': 'Your photo is used for the eligibility review and on the admission ticket: please upload it first.',
      'photo-go': 'Upload a photo', 'photo-loading': 'Loading the photo…', uploading: 'Uploading…',
      'photo-needed': 'This exam requires your photo before you submit.', 'photo-must': 'This exam requires your photo before you can submit, and you have not uploaded one yet.',
      'photo-back': 'Back to your registration',
      'proofs-h': 'Proof materials', 'proofs-none': 'No proof material uploaded yet.', 'proofs-count': '{n} uploaded, at most {max}.',
      'proofs-req': 'PDF, JPEG or PNG, at most 5 MB each; a PDF must not be encrypted or carry scripts or attachments; images are re-compressed when saved.',
      'proof-label': 'What it proves (e.g. "Degree certificate")', 'proof-file': 'File', 'proof-send': 'Upload',
      'proof-done': 'Uploaded: {label}.', 'proof-need-label': 'Say what the file proves.', 'proof-pick': 'Choose a file first.',
      'proof-uploaded': 'uploaded {at}', download: 'Download',
      'proofs-list': 'Uploaded proof materials',
      'ticket-h': 'Admission ticket', 'ticket-lead': 'Shortly before the exam you can download your admission ticket and print it yourself on A4 paper. It shows when and where you sit, and your seat.',
      'ticket-get': 'Download the ticket', 'ticket-get-for': 'Download the ticket: {exam}', 'ticket-loading': 'Downloading the ticket…',
      'ticket-done': 'The ticket is downloaded (file: {file}).', 'ticket-print': 'Print it on A4 paper and bring it to the exam with your ID card.',
      'ticket-closed': 'The ticket cannot be downloaded now: tickets can only be downloaded during the printing period.',
      'ticket-window': 'Printing period: {from} to {to}', 'ticket-tz': ' (China time)',
      'ticket-none': 'The exam seats have not been published yet, so there is no ticket yet. Once they are, come back during the printing period.',
      'ticket-unpaid': 'Once the fee is paid, the ticket can be downloaded shortly before the exam.',
      'corr-h': 'Correcting the ticket', 'corr-open': 'Something wrong on the ticket? Ask for a correction',
      'corr-why-CORRECTION_NO_TICKET': 'A correction is asked for an admission ticket: this registration has no published seat yet, so none can be asked now.',
      'corr-why-CORRECTION_TOO_LATE': 'Corrections are asked before the exam: it is too late now.',
      'corr-lead': 'If the name, the document number or the photo on the ticket is wrong, ask for a correction before the exam begins ({date}) and upload proof. The exam-area agency looks into it and decides; the decision shows here, and a refusal gives its reasons. The exam room and seat come from the seating and cannot be corrected.',
      'corr-lead-nodate': 'If the name, the document number or the photo on the ticket is wrong, ask for a correction before the exam begins and upload proof. The exam-area agency looks into it and decides; the decision shows here, and a refusal gives its reasons. The exam room and seat come from the seating and cannot be corrected.',
      'corr-changes': 'What to correct (at least one)', 'corr-name': 'Correct name', 'corr-name-now': 'The ticket now says: {v}',
      'corr-id': 'Correct document number', 'corr-id-now': 'Now: {v}', 'corr-photo': 'New photo',
      'corr-proofs': 'Proof (you may choose several files)', 'corr-proofs-hint': 'E.g. household register, ID card, a letter from your unit. PDF, JPEG or PNG, at most 5 MB each.',
      'corr-label': 'What the proof is (optional, e.g. "Household register")', 'corr-statement': 'Statement (what is wrong and what is right)',
      'corr-send': 'Ask for the correction', 'corr-need-change': 'Fill in at least one thing to correct: the name, the document number or a new photo.',
      'corr-need-proof': 'Choose the proof files.', 'corr-need-statement': 'Write the statement.',
      'corr-uploading': 'Uploading files ({i}/{n})…', 'corr-sending': 'Sending…',
      'corr-sent': 'Your request is sent. The exam-area agency will decide; the decision will show here.',
      'corr-pending-note': 'Your request is waiting for the exam-area agency; you can ask again once it is decided.',
      'corr-list': 'Correction requests', 'cst-pending': 'Pending', 'cst-approved': 'Corrected', 'cst-refused': 'Refused',
      'corr-asked': 'asked {at}', 'corr-by-unit': 'asked by the unit: {unit}', 'corr-by-counter': 'entered at the agency counter',
      'corr-f-name': 'Name', 'corr-f-id': 'Document number', 'corr-f-photo': 'Photo', 'corr-to': 'corrected to',
      'corr-new-photo': 'a new photo', 'corr-photo-alt': 'The new photo asked for', 'corr-statement-was': 'Statement: ',
      'corr-proofs-was': 'Proof: ', 'corr-proof-n': 'file {n}', 'corr-proof-file': 'correction-proof-{n}',
      'corr-waiting': 'The exam-area agency is looking into it; the decision will show here.',
      'corr-approved': 'Corrected', 'corr-decided-at': ' (decided {at})', 'corr-note': 'Note: ',
      'corr-approved-next': 'Your record is corrected and a ticket downloaded before is void: download and print it again during the printing period.',
      'corr-refused': 'Refused', 'corr-reasons': 'Reasons: ', 'corr-refused-next': 'With more proof, or if things change, you may ask again.',
    },
  };
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!TEXT[lang]) lang = 'zh-CN';
  const t = (k, vars) => String(TEXT[lang][k] ?? TEXT['zh-CN'][k] ?? k).replace(/\{(\w+)\}/g, (_, v) => (vars && vars[v] !== undefined ? vars[v] : ''));
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

  const state = { token: sessionStorage.getItem('kw_cand') || '', exam: null, position: null, subjects: [], step: 0 };
  async function api(method, path, body, extra) {
    const headers = Object.assign({ 'Accept-Language': lang }, extra || {});
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    // A file (Blob) goes as the body itself, its type in Content-Type (extra or the file's).
    const raw = body instanceof Blob;
    if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
    if (raw && !headers['Content-Type']) headers['Content-Type'] = fileType(body);
    let r;
    try {
      r = await fetch(path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
    } catch (e) {
      return { status: 0, json: { error: { code: 'OFFLINE', message: t('offline') } } };
    }
    let json = null;
    try { json = await r.json(); } catch (e) { json = null; }
    if (r.status === 401 && state.token && path !== '/api/v1/session') { state.token = ''; sessionStorage.removeItem('kw_cand'); go(0); }
    return { status: r.status, json };
  }
  // A file's type: the browser's, else guessed from its name (the server checks the content).
  function fileType(f) {
    if (f.type) return f.type;
    const n = (f.name || '').toLowerCase();
    if (/\.jpe?g$/.test(n)) return 'image/jpeg';
    if (/\.png$/.test(n)) return 'image/png';
    if (/\.pdf$/.test(n)) return 'application/pdf';
    return 'application/octet-stream';
  }
  // Bytes behind the bearer token (an <img src> or a plain link cannot send it): a Blob, or
  // the error body.
  async function fetchBlob(path) {
    const headers = { 'Accept-Language': lang };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    try {
      const r = await fetch(path, { headers, credentials: 'same-origin' });
      if (r.ok) return { status: r.status, blob: await r.blob() };
      let json = null;
      try { json = await r.json(); } catch (e) { json = null; }
      return { status: r.status, json };
    } catch (e) {
      return { status: 0, json: { error: { code: 'OFFLINE', message: t('offline') } } };
    }
  }
  // The CSP allows data: images, not blob: ones.
  const dataURL = (blob) => new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(fr.result);
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(blob);
  });
  // Save a fetched file under its name (a same-origin blob: URL, only navigated to).
  async function download(path, name, out) {
    const res = await fetchBlob(path);
    if (!res.blob) return showError(res, null, out);
    saveBlob(res.blob, name);
  }
  function saveBlob(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  const fileSize = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB');
  const fileKind = (mt) => ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' })[mt] || mt;
  function flash(msg, ok) {
    $('flash').replaceChildren(msg ? h('div', { class: ok ? 'alert ok' : 'alert' }, msg) : '');
  }
  // An error body: its message, each unmet condition, and each field's problem beside it;
  // in the page's flash, or in `where` (a live region beside the form it concerns).
  function showError(res, form, where) {
    const e = (res.json && res.json.error) || { message: t('offline') };
    const box = h('div', { class: 'alert', role: 'alert' }, e.message || e.code);
    const d = e.details || {};
    if (Array.isArray(d.unmet)) box.append(h('ul', {}, d.unmet.map((u) => h('li', {}, u.message || u.code))));
    if (Array.isArray(d.fields) && form) {
      for (const f of d.fields) {
        const input = form.querySelector('[name="' + CSS.escape(f.field) + '"]');
        const err = input && input.closest('.field') && input.closest('.field').querySelector('.err');
        if (input) input.setAttribute('aria-invalid', 'true');
        if (err) err.textContent = f.message || f.problem;
        else box.append(h('div', {}, (f.field || '') + '：' + (f.message || f.problem)));
      }
    }
    (where || $('flash')).replaceChildren(box);
    box.scrollIntoView({ block: 'nearest' });
  }
  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    form.querySelectorAll('.err').forEach((x) => { x.textContent = ''; });
  }
  let uid = 0;
  function field(label, input, hint) {
    const id = 'f' + (++uid);
    input.id = id;
    const errId = id + '-err';
    input.setAttribute('aria-describedby', errId);
    return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('span', { class: 'hint' }, hint) : null,
      h('span', { class: 'err', id: errId }));
  }
  const input = (name, attrs) => h('input', Object.assign({ name }, attrs || {}));
  function select(name, values, current, labelOf, empty) {
    const s = h('select', { name });
    if (empty) s.append(h('option', { value: '' }, t('choose')));
    for (const v of values) s.append(h('option', { value: v, selected: v === current ? true : null }, labelOf ? labelOf(v) : t(v)));
    return s;
  }
  const ID_TYPES = ['resident_id', 'social_security', 'foreigner_pr', 'other'];
  const LEVELS = ['secondary', 'junior_college', 'bachelor', 'master', 'doctorate'];
  const DEGREES = ['none', 'bachelor', 'master', 'doctorate'];
  const POLITICAL = ['cpc_member', 'cpc_probationary', 'cyl_member', 'democratic_party', 'non_party', 'masses'];
  const cst = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '');

  function renderSteps() {
    $('steps').replaceChildren(...TEXT[lang].steps.map((s, i) => h('li', { 'aria-current': i === state.step ? 'step' : null, class: i < state.step ? 'done' : null }, (i + 1) + '. ' + s)));
  }
  function go(step) {
    state.step = step;
    flash('');
    renderSteps();
    [viewAccount, viewProfile, viewChoose, viewPledge, viewStatus, viewStatus][step]();
    window.scrollTo(0, 0);
  }

  // ---- 1. sign up or log in ----
  function viewAccount() {
    const login = h('form', { novalidate: true, 'aria-labelledby': 'login-h' },
      h('h2', { id: 'login-h' }, t('login-h')),
      field(t('id_type'), select('id_type', ID_TYPES, 'resident_id')),
      field(t('id_number'), input('id_number', { autocomplete: 'username', required: true, maxlength: 40 })),
      field(t('password-login'), input('password', { type: 'password', autocomplete: 'current-password', required: true })),
      h('button', { class: 'btn primary', type: 'submit' }, t('login')));
    login.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(login);
      const f = new FormData(login);
      const res = await api('POST', '/api/v1/session', { id_type: f.get('id_type'), id_number: f.get('id_number'), password: f.get('password') });
      if (res.status !== 201) return showError(res, login);
      state.token = res.json.token;
      sessionStorage.setItem('kw_cand', state.token);
      // A returning candidate with registrations lands on their status (payment, ticket);
      // a new one on the profile.
      const mine = await api('GET', '/api/v1/registrations');
      go(mine.status === 200 && mine.json.items.length ? 5 : 1);
    });
    const signup = h('form', { novalidate: true, 'aria-labelledby': 'signup-h' },
      h('h2', { id: 'signup-h' }, t('signup-h')),
      field(t('id_type'), select('id_type', ID_TYPES, 'resident_id')),
      field(t('id_number'), input('id_number', { required: true, maxlength: 40, autocomplete: 'off' })),
      field(t('name'), input('name', { required: true, maxlength: 50, autocomplete: 'name' })),
      field(t('phone'), input('phone', { type: 'tel', required: true, maxlength: 20, autocomplete: 'tel' })),
      field(t('email'), input('email', { type: 'email', maxlength: 100, autocomplete: 'email' })),
      field(t('password'), input('password', { type: 'password', required: true, minlength: 8, autocomplete: 'new-password' })),
      h('button', { class: 'btn primary', type: 'submit' }, t('signup')));
    const claimBox = h('div', { hidden: true });
    signup.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(signup);
      const f = Object.fromEntries(new FormData(signup));
      if (!f.email) delete f.email;
      const res = await api('POST', '/api/v1/candidates', f);
      if (res.status === 409 && res.json.error.code === 'IDENTITY_TAKEN') {
        showError(res, signup);
        claimBox.hidden = false;
        claimBox.replaceChildren(claimForm(f));
        return;
      }
      if (res.status !== 201) return showError(res, signup);
      const lr = await api('POST', '/api/v1/session', { id_type: f.id_type, id_number: f.id_number, password: f.password });
      if (lr.status !== 201) return showError(lr, signup);
      state.token = lr.json.token;
      sessionStorage.setItem('kw_cand', state.token);
      go(1);
    });
    $('view').replaceChildren(h('div', { class: 'card' }, login), h('div', { class: 'card' }, signup, claimBox));
  }
  function claimForm(f) {
    const form = h('form', { novalidate: true }, h('h3', {}, t('claim-h')),
      field(t('statement'), h('textarea', { name: 'statement', required: true, maxlength: 2000 })),
      field(t('new-password'), input('password', { type: 'password', required: true, minlength: 8 })),
      h('button', { class: 'btn', type: 'submit' }, t('claim-send')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const g = new FormData(form);
      const res = await api('POST', '/api/v1/identity_claims', { id_type: f.id_type, id_number: f.id_number, name: f.name, phone: f.phone, statement: g.get('statement'), password: g.get('password') });
      if (res.status !== 201) return showError(res, form);
      flash(t('claim-sent', { id: res.json.id }), true);
      form.replaceChildren();
    });
    return form;
  }

  // ---- 2. the profile ----
  async function viewProfile() {
    const res = await api('GET', '/api/v1/candidates/me');
    if (res.status !== 200) return showError(res);
    const p = res.json;
    const eduBox = h('div', {});
    const addEdu = (e) => {
      const i = eduBox.children.length;
      const row = h('fieldset', { class: 'edu' }, h('legend', {}, t('education') + ' ' + (i + 1)),
        field(t('level'), select('education[' + i + '].level', LEVELS, e.level, null, true)),
        field(t('degree'), select('education[' + i + '].degree', DEGREES, e.degree, (v) => t(v === 'none' ? 'none' : 'deg-' + v), true)),
        field(t('major_code'), input('education[' + i + '].major_code', { value: e.major_code || '', maxlength: 7, inputmode: 'text' })),
        field(t('major'), input('education[' + i + '].major', { value: e.major || '', maxlength: 100 })),
        field(t('school'), input('education[' + i + '].school', { value: e.school || '', maxlength: 100 })),
        field(t('graduated_on'), input('education[' + i + '].graduated_on', { type: 'date', value: e.graduated_on || '' })),
        h('button', { class: 'btn', type: 'button', onclick: () => { row.remove(); } }, t('remove-edu')));
      eduBox.append(row);
    };
    (p.education.length ? p.education : [{}]).forEach(addEdu);
    const form = h('form', { novalidate: true },
      h('p', { class: 'hint' }, t('profile-lead')),
      h('p', {}, p.name + ' · ' + p.id_number + (p.birth_date ? ' · ' + p.birth_date : '')),
      p.birth_date ? null : field(t('birth_date'), input('birth_date', { type: 'date' })),
      field(t('political_status'), select('political_status', POLITICAL, p.political_status, null, true)),
      field(t('household_region'), input('household_region', { value: p.household_region || '', inputmode: 'numeric', maxlength: 6 })),
      field(t('work_years'), input('work_years', { type: 'number', min: 0, max: 60, value: p.work_years })),
      field(t('grassroots_years'), input('grassroots_years', { type: 'number', min: 0, max: 60, value: p.grassroots_years })),
      h('div', { class: 'field' }, h('label', {}, h('input', { type: 'checkbox', name: 'grassroots_project', checked: p.grassroots_project ? true : null }), ' ', t('grassroots_project'))),
      h('h3', {}, t('education')), eduBox,
      h('div', { class: 'row' }, h('button', { class: 'btn', type: 'button', onclick: () => addEdu({}) }, t('add-edu')),
        h('button', { class: 'btn primary', type: 'submit' }, t('save'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const g = new FormData(form);
      const body = {
        political_status: g.get('political_status') || null,
        household_region: g.get('household_region') || null,
        work_years: Number(g.get('work_years') || 0),
        grassroots_years: Number(g.get('grassroots_years') || 0),
        grassroots_project: g.get('grassroots_project') !== null,
        education: [...eduBox.querySelectorAll('fieldset')].map((fs) => {
          const o = {};
          fs.querySelectorAll('[name]').forEach((x) => { if (x.value) o[x.name.replace(/^education\[\d+\]\./, '')] = x.value; });
          return o;
        }).filter((o) => Object.keys(o).length),
      };
      // renumber names so the server's field paths match the rows shown
      [...eduBox.querySelectorAll('fieldset')].forEach((fs, i) => fs.querySelectorAll('[name]').forEach((x) => { x.name = x.name.replace(/^education\[\d+\]/, 'education[' + i + ']'); }));
      if (g.get('birth_date')) body.birth_date = g.get('birth_date');
      const r = await api('PATCH', '/api/v1/candidates/me', body);
      if (r.status !== 200) return showError(r, form);
      go(2);
    });
    $('view').replaceChildren(photoCard(p), h('div', { class: 'card' }, h('h2', {}, t('profile-h')), form), logoutRow());
  }
  // REG-4: the candidate's photo — the one stored (or none), the requirements, a replacement.
  // Not a <form>: the profile's own submit button stays the page's only one.
  function photoCard(p) {
    const shown = h('div', { class: 'photo' });
    const msg = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const show = async (info) => {
      if (!info) return shown.replaceChildren(h('p', { class: 'photo-none' }, t('photo-none')));
      shown.replaceChildren(h('p', { class: 'hint' }, t('photo-loading')));
      const res = await fetchBlob('/api/v1/candidates/me/photo');
      if (!res.blob) return shown.replaceChildren(h('p', { class: 'photo-none' }, t('photo-none')));
      shown.replaceChildren(h('img', { src: await dataURL(res.blob), alt: t('photo-alt', { name: p.name }), width: info.width, height: info.height }));
    };
    const file = h('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png' });
    const send = h('button', { class: 'btn primary', type: 'button' }, t('photo-send'));
    const box = h('div', { class: 'upload', role: 'group', 'aria-labelledby': 'photo-h' },
      h('p', { class: 'hint', id: 'photo-req' }, t('photo-req')), field(t('photo-file'), file), send);
    file.setAttribute('aria-describedby', file.getAttribute('aria-describedby') + ' photo-req');
    send.addEventListener('click', async () => {
      clearErrors(box);
      msg.replaceChildren();
      const f = file.files[0];
      if (!f) {
        file.setAttribute('aria-invalid', 'true');
        box.querySelector('.err').textContent = t('photo-pick');
        file.focus();
        return;
      }
      send.disabled = true;
      msg.replaceChildren(h('p', { class: 'hint' }, t('uploading')));
      const r = await api('PUT', '/api/v1/candidates/me/photo', f);
      send.disabled = false;
      if (r.status !== 200) {
        file.setAttribute('aria-invalid', 'true');
        return showError(r, null, msg);
      }
      file.value = '';
      await show(r.json);
      msg.replaceChildren(h('div', { class: 'alert ok' }, t('photo-done', { w: r.json.width, h: r.json.height })));
      if (state.resume && state.exam) msg.append(h('p', {}, h('button', { class: 'btn primary', type: 'button', onclick: () => go(3) }, t('photo-back'))));
    });
    show(p.photo);
    return h('div', { class: 'card' }, h('h2', { id: 'photo-h' }, t('photo-h')), h('div', { class: 'photo-row' }, shown, box), msg);
  }
  function logoutRow() {
    return h('p', {}, h('button', { class: 'btn', type: 'button', onclick: async () => {
      await api('DELETE', '/api/v1/session');
      state.token = '';
      sessionStorage.removeItem('kw_cand');
      go(0);
    } }, t('logout')), ' ', h('button', { class: 'btn', type: 'button', onclick: () => go(4) }, t('status-h')));
  }

  // ---- 3. choose an exam, then a position or subjects ----
  async function viewChoose() {
    const res = await api('GET', '/api/v1/public/exams');
    if (res.status !== 200) return showError(res);
    const items = res.json.items;
    const list = h('ul', { class: 'list' }, items.length ? items.map((e) => h('li', {},
      h('h3', {}, e.name), h('div', { class: 'hint' }, e.organiser + ' · ' + t('window') + '：' + cst(e.reg_opens_at) + ' – ' + cst(e.reg_closes_at)),
      h('button', { class: 'btn primary', type: 'button', onclick: () => showExam(e.id) }, t('pick')))) : h('li', {}, t('no-exams')));
    $('view').replaceChildren(h('div', { class: 'card' }, h('h2', {}, t('exams-h')), list), logoutRow());
  }
  function countdown(closes, opens) {
    const now = Date.now(), c = new Date(closes).getTime();
    if (opens && new Date(opens).getTime() > now) return t('not-open');
    if (c <= now) return t('closed');
    const hrs = Math.floor((c - now) / 3600000);
    return t('closes', { d: Math.floor(hrs / 24), h: hrs % 24 });
  }
  async function showExam(id) {
    const res = await api('GET', '/api/v1/public/exams/' + id);
    if (res.status !== 200) return showError(res);
    const e = res.json;
    state.exam = e;
    state.position = null;
    state.subjects = [];
    const civil = e.kind === 'civil_service';
    const cond = Object.keys(e.conditions || {});
    const head = h('div', { class: 'card' }, h('h2', {}, e.name),
      h('p', {}, t('window') + '：' + cst(e.reg_opens_at) + ' – ' + cst(e.reg_closes_at) + ' ', h('span', { class: 'countdown' }, countdown(e.reg_closes_at, e.reg_opens_at))),
      e.registration_places ? h('p', { class: 'hint' }, e.registration_places) : null,
      e.photo_required ? h('p', { class: 'hint photo-needed' }, t('photo-needed')) : null,
      h('h3', {}, t('subjects')),
      h('ul', {}, e.subjects.map((s) => h('li', {}, s.code + ' ' + s.name + (s.fee_cents ? '（' + t('fee', { yuan: (s.fee_cents / 100).toFixed(2) }) + '）' : '')))),
      h('h3', {}, t('conditions')), h('p', {}, cond.length ? cond.map((k) => k + '=' + JSON.stringify(e.conditions[k])).join('；') : t('no-conditions')),
      (e.warnings || []).length ? h('p', { class: 'hint' }, e.warnings.map((w) => w.code).join(' ')) : null);
    const pick = h('div', { class: 'card' });
    if (civil) {
      const form = h('form', { novalidate: true, role: 'search' }, h('h2', {}, t('pos-h')),
        field(t('q'), input('q', { maxlength: 50 })),
        field(t('edu_filter'), select('education', LEVELS, '', null, true)),
        field(t('major_filter'), input('major', { maxlength: 7 })),
        h('button', { class: 'btn primary', type: 'submit' }, t('search')));
      const results = h('ul', { class: 'list', 'aria-live': 'polite' });
      const search = async () => {
        const q = new URLSearchParams();
        for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
        q.set('limit', '50');
        const r = await api('GET', '/api/v1/public/exams/' + id + '/positions?' + q);
        if (r.status !== 200) return showError(r, form);
        results.replaceChildren(...(r.json.items.length ? r.json.items.map((p) => h('li', {},
          h('h3', {}, p.code + ' ' + p.name), h('div', { class: 'hint' }, (p.recruiter_name || '') + ' · ' + (p.work_location || '') + ' · ' + t('quota', { n: p.quota })),
          h('button', { class: 'btn primary', type: 'button', onclick: () => { state.position = p; go(3); } }, t('pick-pos')))) : [h('li', {}, t('pos-none'))]));
      };
      form.addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
      pick.append(form, results);
      search();
    } else {
      const form = h('form', { novalidate: true }, h('h2', {}, t('subj-h')),
        e.subjects.map((s) => h('div', { class: 'field' }, h('label', {}, h('input', { type: 'checkbox', name: 'subject', value: s.code }), ' ' + s.code + ' ' + s.name))),
        h('button', { class: 'btn primary', type: 'submit' }, t('next')));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        state.subjects = new FormData(form).getAll('subject');
        go(3);
      });
      pick.append(form);
    }
    $('view').replaceChildren(head, pick, h('p', {}, h('button', { class: 'btn', type: 'button', onclick: () => go(2) }, t('back'))));
  }

  // ---- 4. the pledge (or proof), then submit ----
  function viewPledge() {
    const e = state.exam;
    if (!e) return go(2);
    const p = e.pledge || { items: [] };
    const what = state.position ? state.position.code + ' ' + state.position.name : state.subjects.join('、');
    const form = h('form', { novalidate: true },
      h('p', {}, t('chosen', { what: e.name + ' · ' + what })),
      h('div', { class: 'pledge', tabindex: '0', 'aria-label': p.title }, h('h3', {}, p.title), h('p', {}, p.body),
        h('dl', {}, p.items.map((it) => [h('dt', {}, it.label), h('dd', {}, it.text)]))),
      h('fieldset', {}, h('legend', {}, t('route')),
        h('label', { class: 'field' }, h('span', {}, h('input', { type: 'radio', name: 'route', value: 'pledge', checked: true }), ' ' + t('route-pledge'))),
        h('label', { class: 'field' }, h('span', {}, h('input', { type: 'radio', name: 'route', value: 'proof' }), ' ' + t('route-proof')))),
      h('div', { class: 'field' }, h('label', {}, h('input', { type: 'checkbox', name: 'pledge_accepted' }), ' ' + t('accept')), h('span', { class: 'err' })),
      h('div', { class: 'row' }, h('button', { class: 'btn', type: 'button', onclick: () => showExam(e.id).then(() => { state.step = 2; renderSteps(); }) }, t('back')),
        h('button', { class: 'btn primary', type: 'submit' }, t('submit'))));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const g = new FormData(form);
      const body = { exam_id: e.id, route: g.get('route') };
      if (state.position) body.position_id = state.position.id;
      else body.subjects = state.subjects;
      if (body.route === 'pledge') {
        body.pledge_version = p.version;
        body.pledge_accepted = g.get('pledge_accepted') !== null;
      }
      const r = await api('POST', '/api/v1/registrations', body);
      if (r.status !== 201 && r.status !== 200) {
        showError(r, form);
        // REG-4: the server's own words, and the way to the photo.
        const box = $('flash').querySelector('.alert');
        if (box && r.json && r.json.error && r.json.error.code === 'PHOTO_REQUIRED') box.append(' ', toPhoto());
        return;
      }
      state.resume = false;
      go(4);
      flash(t('submitted'), true);
    });
    // REG-4: where the exam requires a photo, the candidate without one is told before
    // pressing submit; otherwise only advised.
    const toPhoto = () => h('button', { class: 'btn', type: 'button', onclick: () => { state.resume = true; go(1); } }, t('photo-go'));
    const warn = h('div', { class: 'notice' + (e.photo_required ? ' must' : ''), id: 'photo-warn', role: 'note', hidden: true },
      h('span', {}, t(e.photo_required ? 'photo-must' : 'photo-warn')), ' ', toPhoto());
    $('view').replaceChildren(h('div', { class: 'card' }, h('h2', {}, t('pledge-h')), warn, form));
    api('GET', '/api/v1/candidates/me').then((r) => {
      if (r.status !== 200 || r.json.photo) return;
      warn.hidden = false;
      if (e.photo_required) form.querySelector('button[type=submit]').setAttribute('aria-describedby', 'photo-warn');
    });
  }

  // ---- 5/6. status, payment, withdrawal ----
  async function viewStatus() {
    const res = await api('GET', '/api/v1/registrations');
    if (res.status !== 200) return showError(res);
    const items = res.json.items;
    const list = h('ul', { class: 'list' }, items.length ? items.map((r) => {
      const li = h('li', {}, h('h3', {}, r.exam_name),
        h('div', {}, r.position_code ? r.position_code + ' ' + r.position_name : (r.subjects || []).join('、')),
        h('div', {}, h('span', { class: 'badge ' + r.status }, t('st_' + r.status)), ' ', t('route_' + r.route), ' · ', r.paid ? t('paid') : t('unpaid')),
        r.review_reason ? h('p', {}, t('review-reason', { r: r.review_reason })) : null,
        r.status === 'rejected' && r.position_id ? h('p', { class: 'hint' }, t('change-pos')) : null);
      const actions = h('div', { class: 'row' });
      if (!r.paid && (r.status === 'approved' || r.status === 'submitted')) {
        actions.append(h('button', { class: 'btn primary', type: 'button', onclick: async () => {
          const key = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
          const o = await api('POST', '/api/v1/registrations/' + r.id + '/payments', { provider: 'test' }, { 'Idempotency-Key': key });
          if (o.status !== 201 && o.status !== 200) return showError(o);
          const pr = await api('POST', '/api/v1/payments/' + o.json.id + '/test_pay');
          if (pr.status !== 200) return showError(pr);
          await viewStatus();
          flash(t('pay-done'), true);
        } }, t('pay')));
      }
      if (r.route === 'pledge' && r.status !== 'cancelled') {
        const wf = h('form', { novalidate: true, hidden: true }, field(t('withdraw-reason'), h('textarea', { name: 'reason', maxlength: 500 })),
          h('button', { class: 'btn', type: 'submit' }, t('withdraw-send')));
        wf.addEventListener('submit', async (ev) => {
          ev.preventDefault();
          clearErrors(wf);
          const w = await api('POST', '/api/v1/registrations/' + r.id + '/pledge_withdrawal', { reason: new FormData(wf).get('reason') });
          if (w.status !== 200) return showError(w, wf);
          viewStatus();
        });
        actions.append(h('button', { class: 'btn', type: 'button', onclick: () => { wf.hidden = !wf.hidden; } }, t('withdraw')));
        li.append(actions, wf);
      } else {
        li.append(actions);
      }
      if (r.route === 'proof') li.append(proofBox(r));
      if (r.status === 'approved' || r.status === 'submitted') li.append(ticketBox(r));
      if (r.paid && (r.status === 'approved' || r.status === 'submitted')) li.append(correctionBox(r));
      return li;
    }) : h('li', {}, t('no-regs')));
    $('view').replaceChildren(h('div', { class: 'card' }, h('h2', {}, t('status-h')), list),
      // VIO-8: notices and decisions of violation cases, with the right to reply (mycases.js)
      window.kwMyCases ? window.kwMyCases({ lang, h, api, fetchBlob, saveBlob, showError }) : null,
      h('p', {}, h('button', { class: 'btn', type: 'button', onclick: () => go(2) }, t('exams-h')), ' ',
        h('button', { class: 'btn', type: 'button', onclick: () => go(1) }, t('profile-h'))), logoutRow());
  }

  // REG-2: a proof-route registration's files — listed (each downloadable), and while it
  // awaits review or after a rejection, more uploaded with what each proves.
  function proofBox(r) {
    const open = r.status === 'submitted' || r.status === 'rejected';
    const hid = 'proofs-h-' + r.id;
    const count = h('p', { class: 'hint' });
    const list = h('ul', { class: 'files', 'aria-label': t('proofs-list') });
    const msg = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const base = '/api/v1/registrations/' + r.id + '/proofs';
    const refresh = async () => {
      const res = await api('GET', base);
      if (res.status !== 200) return showError(res, null, msg);
      const items = res.json.items;
      count.textContent = items.length ? t('proofs-count', { n: items.length, max: res.json.max }) : t('proofs-none');
      list.replaceChildren(...items.map((f) => {
        const name = f.label.replace(/[\\/:*?"<>|]/g, '_') + (f.media_type === 'application/pdf' ? '.pdf' : '.jpg');
        const path = base + '/' + f.id;
        return h('li', {}, h('span', { class: 'file-label' }, f.label), ' ',
          h('span', { class: 'hint' }, fileKind(f.media_type) + ' · ' + fileSize(f.size) + ' · ' + t('proof-uploaded', { at: cst(f.created_at) })), ' ',
          h('a', { href: path, download: name, 'aria-label': t('download') + '：' + f.label, onclick: (ev) => { ev.preventDefault(); download(path, name, msg); } }, t('download')));
      }));
    };
    const box = h('section', { class: 'proofs', 'aria-labelledby': hid }, h('h4', { id: hid }, t('proofs-h')), count, list);
    if (open) {
      const label = input('label', { required: true, maxlength: 60, autocomplete: 'off' });
      const file = h('input', { type: 'file', name: 'file', accept: '.pdf,image/jpeg,image/png' });
      const send = h('button', { class: 'btn primary', type: 'submit' }, t('proof-send'));
      const form = h('form', { novalidate: true, class: 'upload', 'aria-labelledby': hid },
        h('p', { class: 'hint' }, t('proofs-req')), field(t('proof-label'), label), field(t('proof-file'), file), send);
      const refuse = (el, text) => {
        el.setAttribute('aria-invalid', 'true');
        el.closest('.field').querySelector('.err').textContent = text;
        el.focus();
      };
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearErrors(form);
        msg.replaceChildren();
        const what = label.value.trim();
        const f = file.files[0];
        if (!what) return refuse(label, t('proof-need-label'));
        if (!f) return refuse(file, t('proof-pick'));
        send.disabled = true;
        msg.replaceChildren(h('p', { class: 'hint' }, t('uploading')));
        const res = await api('POST', base + '?label=' + encodeURIComponent(what), f);
        send.disabled = false;
        if (res.status !== 201) return showError(res, form, msg);
        form.reset();
        await refresh();
        msg.replaceChildren(h('div', { class: 'alert ok' }, t('proof-done', { label: res.json.label })));
      });
      box.append(form);
    }
    box.append(msg);
    refresh();
    return box;
  }

  // TKT-2: the admission ticket of a registration — downloaded (a PDF saved as
  // 准考证-<exam code>.pdf) inside its printing period; outside it the period in China time,
  // before the seats are published a plain word that there is none yet.
  const examCodes = {};
  async function examCode(r) {
    if (!(r.exam_id in examCodes)) {
      const x = await api('GET', '/api/v1/public/exams/' + r.exam_id);
      examCodes[r.exam_id] = x.status === 200 && x.json && x.json.code ? x.json.code : r.exam_name;
    }
    return String(examCodes[r.exam_id]).replace(/[\\/:*?"<>|\s]+/g, '_');
  }
  // An RFC 3339 instant as China time, minute precision; an end of day as the day's 24:00.
  function chinaTime(iso, end) {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso || '';
    let d = new Date(ms + 8 * 3600000);
    let hh = d.getUTCHours();
    const mm = d.getUTCMinutes();
    if (end && hh === 0 && mm === 0) {
      d = new Date(d.getTime() - 86400000);
      hh = 24;
    }
    const p2 = (n) => String(n).padStart(2, '0');
    return d.getUTCFullYear() + '-' + p2(d.getUTCMonth() + 1) + '-' + p2(d.getUTCDate()) + ' ' + p2(hh) + ':' + p2(mm);
  }
  // A text whose {placeholders} are nodes that never break inside (a date, a file name): a
  // phone wraps between them, not at a hyphen within.
  function tNodes(k, vars) {
    const nodes = [];
    String(TEXT[lang][k] ?? TEXT['zh-CN'][k] ?? k).split(/(\{\w+\})/).forEach((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part && nodes.push(part);
      const v = vars[m[1]];
      const el = v instanceof Node ? v : h('span', {}, String(v ?? ''));
      el.style.whiteSpace = 'nowrap';
      nodes.push(el);
    });
    return nodes;
  }
  function ticketBox(r) {
    const hid = 'ticket-h-' + r.id;
    const msg = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const box = h('section', { class: 'proofs ticket', 'aria-labelledby': hid }, h('h4', { id: hid }, t('ticket-h')));
    if (!r.paid) {
      box.append(h('p', { class: 'hint' }, t('ticket-unpaid')));
      return box;
    }
    const lead = h('p', { class: 'hint', id: hid + '-lead' }, t('ticket-lead'));
    const btn = h('button', { class: 'btn primary', type: 'button', 'aria-label': t('ticket-get-for', { exam: r.exam_name }),
      'aria-describedby': hid + '-lead' }, t('ticket-get'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      msg.replaceChildren(h('p', { class: 'hint' }, t('ticket-loading')));
      const [res, code] = await Promise.all([fetchBlob('/api/v1/registrations/' + r.id + '/ticket'), examCode(r)]);
      btn.disabled = false;
      if (res.blob) {
        const name = '准考证-' + code + '.pdf';
        saveBlob(res.blob, name);
        msg.replaceChildren(h('div', { class: 'alert ok' }, tNodes('ticket-done', { file: name }), h('br'), h('strong', {}, t('ticket-print'))));
        return;
      }
      const e = (res.json && res.json.error) || {};
      const d = e.details || {};
      if (res.status === 403 && e.code === 'TICKET_WINDOW_CLOSED' && d.opens_at && d.closes_at) {
        const from = h('time', { datetime: d.opens_at }, chinaTime(d.opens_at));
        const to = h('time', { datetime: d.closes_at }, chinaTime(d.closes_at, true));
        msg.replaceChildren(h('div', { class: 'notice', role: 'alert' }, h('div', {}, h('p', {}, t('ticket-closed')),
          h('p', {}, h('strong', {}, tNodes('ticket-window', { from, to })), t('ticket-tz')))));
        return;
      }
      if (res.status === 409 && e.code === 'TICKET_NOT_AVAILABLE') {
        msg.replaceChildren(h('div', { class: 'notice', role: 'alert' }, h('p', {}, t('ticket-none'))));
        return;
      }
      showError(res, null, msg);
    });
    box.append(lead, h('div', { class: 'row' }, btn), msg);
    return box;
  }

  // TKT-3 (AH 19): a correction of what the ticket prints — the name, the identity number,
  // the photo — asked before the exam, with proof, from the exam-area agency, which decides.
  // Each request is listed with its state; a refusal shows its reasons. The form is offered
  // once the exam's seats are published (the registration does not say whether it has a
  // seat itself: one paid after publication is told so by the server, CORRECTION_NO_TICKET),
  // and not while a request waits (one at a time).
  const corrExams = {};
  function corrExam(id) {
    if (!(id in corrExams)) {
      corrExams[id] = Promise.all([api('GET', '/api/v1/public/exams/' + id), api('GET', '/api/v1/public/exams/' + id + '/seating')])
        .then(([e, s]) => {
          if (e.status !== 200 || s.status !== 200) delete corrExams[id];
          return { date: e.status === 200 ? e.json.exam_date : '', seated: s.status === 200 && (s.json.runs || []).some((x) => x.status === 'published') };
        });
    }
    return corrExams[id];
  }
  const maskId = (v) => (v && v.length > 10 ? v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4) : v || '');
  // A field with its hint read out with it (aria-describedby).
  function hintedField(label, el, hint) {
    const box = field(label, el, hint);
    const hs = box.querySelector('.hint');
    if (hs) {
      hs.id = el.id + '-hint';
      el.setAttribute('aria-describedby', hs.id + ' ' + el.getAttribute('aria-describedby'));
    }
    return box;
  }
  function markField(el, text) {
    el.setAttribute('aria-invalid', 'true');
    const err = el.closest('.field') && el.closest('.field').querySelector('.err');
    if (err) err.textContent = text;
  }
  async function saveCorrFile(path, n, out) {
    const res = await fetchBlob(path);
    if (!res.blob) return showError(res, null, out);
    const ext = { 'application/pdf': '.pdf', 'image/png': '.png' }[res.blob.type] || '.jpg';
    saveBlob(res.blob, t('corr-proof-file', { n }) + ext);
  }

  function corrItem(c, out) {
    const was = c.previous || {};
    const to = c.changes || {};
    const change = (label, from, into) => [h('dt', {}, label), h('dd', {}, h('span', { class: 'was' }, from || '—'),
      h('span', { 'aria-hidden': 'true' }, ' → '), h('span', { class: 'vh' }, ' ' + t('corr-to') + ' '), h('strong', {}, into))];
    const rows = [];
    if (to.name) rows.push(change(t('corr-f-name'), was.name, to.name));
    if (to.id_number) rows.push(change(t('corr-f-id'), maskId(was.id_number), maskId(to.id_number)));
    if (c.photo_url) {
      const dd = h('dd', {}, t('corr-new-photo'));
      rows.push(h('dt', {}, t('corr-f-photo')), dd);
      fetchBlob(c.photo_url).then(async (res) => {
        if (res.blob) dd.append(h('img', { class: 'corr-photo', src: await dataURL(res.blob), alt: t('corr-photo-alt') }));
      });
    }
    const by = c.applicant === 'unit' ? t('corr-by-unit', { unit: c.applicant_unit || '' }) : c.entered_by ? t('corr-by-counter') : null;
    let decision;
    if (c.status === 'pending') {
      decision = h('p', { class: 'hint' }, t('corr-waiting'));
    } else if (c.status === 'approved') {
      decision = h('div', { class: 'alert ok decision' }, h('p', {}, h('strong', {}, t('corr-approved')), t('corr-decided-at', { at: cst(c.decided_at) })),
        c.decision_reason ? h('p', {}, t('corr-note'), c.decision_reason) : null, h('p', {}, t('corr-approved-next')));
    } else {
      decision = h('div', { class: 'alert decision refused' }, h('p', {}, h('strong', {}, t('corr-refused')), t('corr-decided-at', { at: cst(c.decided_at) })),
        h('p', { class: 'reasons' }, h('strong', {}, t('corr-reasons')), c.decision_reason || ''), h('p', { class: 'hint' }, t('corr-refused-next')));
    }
    const proofs = (c.proofs || []).map((p, i) => [i ? '、' : '', h('a', { href: p.url, onclick: (ev) => { ev.preventDefault(); saveCorrFile(p.url, i + 1, out); } },
      p.label || t('corr-proof-n', { n: i + 1 }))]);
    return h('li', { class: 'corr c-' + c.status },
      h('p', { class: 'corr-head' }, h('span', { class: 'badge c-' + c.status }, t('cst-' + c.status)), ' ',
        h('span', { class: 'hint' }, t('corr-asked', { at: cst(c.created_at) }), by ? ' · ' + by : '')),
      h('dl', { class: 'corr-changes' }, rows),
      h('p', { class: 'corr-statement' }, h('span', { class: 'hint' }, t('corr-statement-was')), c.statement),
      proofs.length ? h('p', { class: 'corr-proofs' }, h('span', { class: 'hint' }, t('corr-proofs-was')), proofs) : null,
      decision);
  }

  function corrForm(r, date, done) {
    const base = '/api/v1/registrations/' + r.id;
    const name = input('changes.name', { maxlength: 50, autocomplete: 'off' });
    const idno = input('changes.id_number', { maxlength: 18, autocomplete: 'off', spellcheck: 'false' });
    const photo = h('input', { type: 'file', name: 'changes.photo_file', accept: 'image/jpeg,image/png' });
    const proofs = h('input', { type: 'file', name: 'proof_files', accept: '.pdf,application/pdf,image/jpeg,image/png', multiple: true });
    const label = input('label', { maxlength: 60, autocomplete: 'off' });
    const statement = h('textarea', { name: 'statement', maxlength: 1000 });
    const send = h('button', { class: 'btn primary', type: 'submit' }, t('corr-send'));
    const msg = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const changes = h('fieldset', { class: 'field', name: 'changes' }, h('legend', {}, t('corr-changes')), h('span', { class: 'err' }),
      hintedField(t('corr-name'), name, t('corr-name-now', { v: r.candidate_name || '' })),
      hintedField(t('corr-id'), idno, t('corr-id-now', { v: r.id_number || '' })),
      hintedField(t('corr-photo'), photo, t('photo-req')));
    const form = h('form', { novalidate: true, class: 'corr-form' },
      h('p', { class: 'hint' }, date ? tNodes('corr-lead', { date }) : t('corr-lead-nodate')), changes,
      hintedField(t('corr-proofs'), proofs, t('corr-proofs-hint')), field(t('corr-label'), label),
      field(t('corr-statement'), statement), send, msg);
    // A file sent once is not sent again when the request is corrected and resent.
    const uploaded = new Map();
    // No published seat of its own (paid after publication), or the exam has begun: the
    // server's words take the form's place.
    const closedBy = (res) => {
      const e = (res.json && res.json.error) || {};
      if (e.code !== 'CORRECTION_NO_TICKET' && e.code !== 'CORRECTION_TOO_LATE') return false;
      const note = h('div', { class: 'notice corr-closed', role: 'alert' }, h('p', {}, e.message));
      (form.closest('details') || form).replaceWith(note);
      return true;
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      msg.replaceChildren();
      const newName = name.value.trim();
      const newId = idno.value.trim();
      const ph = photo.files[0];
      const files = [...proofs.files];
      const said = statement.value.trim();
      const bad = [];
      if (!newName && !newId && !ph) bad.push([changes, t('corr-need-change'), name]);
      if (!files.length) bad.push([proofs, t('corr-need-proof')]);
      if (!said) bad.push([statement, t('corr-need-statement')]);
      if (bad.length) {
        bad.forEach(([el, text]) => markField(el, text));
        return (bad[0][2] || bad[0][0]).focus();
      }
      const todo = (ph && !uploaded.has(ph) ? 1 : 0) + files.filter((f) => !uploaded.has(f)).length;
      let nth = 0;
      const up = async (f, kind, what, el) => {
        if (uploaded.has(f)) return uploaded.get(f);
        msg.replaceChildren(h('p', { class: 'hint' }, t('corr-uploading', { i: ++nth, n: todo })));
        const res = await api('POST', base + '/correction_files?kind=' + kind + (what ? '&label=' + encodeURIComponent(what) : ''), f);
        if (res.status !== 201) {
          if (closedBy(res)) return null;
          markField(el, (res.json && res.json.error && res.json.error.message) || t('offline'));
          showError(res, form, msg);
          return null;
        }
        uploaded.set(f, res.json.id);
        return res.json.id;
      };
      send.disabled = true;
      try {
        const body = { changes: {}, statement: said, proof_files: [] };
        if (newName) body.changes.name = newName;
        if (newId) body.changes.id_number = newId;
        if (ph) {
          body.changes.photo_file = await up(ph, 'photo', null, photo);
          if (!body.changes.photo_file) return;
        }
        const what = label.value.trim();
        for (const [i, f] of files.entries()) {
          const l = what ? (files.length > 1 ? what + '（' + (i + 1) + '）' : what) : f.name.replace(/\.[^.]*$/, '').slice(0, 60) || 'proof';
          const id = await up(f, 'proof', l, proofs);
          if (!id) return;
          body.proof_files.push(id);
        }
        msg.replaceChildren(h('p', { class: 'hint' }, t('corr-sending')));
        const res = await api('POST', base + '/ticket_corrections', body);
        if (res.status !== 201) return closedBy(res) || showError(res, form, msg);
        done(t('corr-sent'));
      } finally {
        send.disabled = false;
      }
    });
    return form;
  }

  function correctionBox(r) {
    const hid = 'corr-h-' + r.id;
    const list = h('ul', { class: 'corrections', 'aria-label': t('corr-list') });
    const slot = h('div', {});
    const msg = h('div', { class: 'upload-msg', role: 'status', 'aria-live': 'polite' });
    const box = h('section', { class: 'proofs correction', 'aria-labelledby': hid, hidden: true }, h('h4', { id: hid }, t('corr-h')), msg, list, slot);
    const refresh = async (said) => {
      const [res, ex] = await Promise.all([api('GET', '/api/v1/registrations/' + r.id + '/ticket_corrections'), corrExam(r.exam_id)]);
      if (res.status !== 200) {
        box.hidden = false;
        return showError(res, null, msg);
      }
      // The server says whether one may be asked now (a published seat, before the exam)
      // and, when not, why: said here in place of the form once the exam is seated.
      const { items, askable, not_askable: why } = res.json;
      const closed = !askable && ex.seated && why && TEXT[lang]['corr-why-' + why];
      box.hidden = !items.length && !askable && !closed;
      list.hidden = !items.length;
      list.replaceChildren(...items.map((c) => corrItem(c, msg)));
      if (items.some((c) => c.status === 'pending')) slot.replaceChildren(h('p', { class: 'notice corr-wait' }, t('corr-pending-note')));
      else if (askable) slot.replaceChildren(h('details', { class: 'corr-apply' }, h('summary', {}, t('corr-open')), corrForm(r, ex.date, refresh)));
      else if (closed) slot.replaceChildren(h('div', { class: 'notice corr-closed', role: 'alert' }, h('p', {}, t('corr-why-' + why))));
      else slot.replaceChildren();
      msg.replaceChildren(said ? h('div', { class: 'alert ok' }, said) : '');
      if (said) msg.scrollIntoView({ block: 'nearest' });
    };
    refresh();
    return box;
  }

  function render() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' · kaowu';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    go(state.token ? (state.step || 4) : 0);
  }
  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    lang = b.dataset.lang;
    document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    render();
  }));
  render();
})();
