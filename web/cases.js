// Violation cases for staff (SPEC VIO-0 … VIO-9; VH 18-21; Order No. 31): the list of the
// cases the user reaches (filters: exam, status), a case opened from a registration, and one
// case's workspace — the on-the-spot record with the cited act of its catalogue (and the
// catalogue's version), the signatures, the evidence and other papers, the deadlines, the
// timeline, and the form of the next step only: the notice, the statement and defence entered
// from a letter, its review, the decision (by one of the user's units), service, appeals, a
// revocation with its papers and its approval by a second person, or dropping the case; beside
// the notice and the decision, a preview of the document's draft (its text in place and its
// PDF), and, folded, the other consequences (the employer told, a recruitment cancelled, a
// referral to the judicial organs or another authority), each an event of the timeline. The
// session is the console's (the kw_session cookie, X-CSRF-Token on writes); the server decides
// who may do what and when, and every refusal is shown in its words beside the form.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '违纪违规案件', title: '违纪违规案件', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'to-console': '返回工作台', 'to-archive': '诚信档案库查询', 'to-list': '返回案件列表',
      'error-code': '（{code}）', confirm: '确认', cancel: '取消', 'reason-label': '理由', 'need-reason': '请写明理由。',
      working: '正在提交…', uploading: '正在上传文件（{i}/{n}）…',
      lead: '考生违纪违规的处理：立案（考场记录、阅卷异常、审核发现、举报或甄别）→ 现场记录至少两名工作人员签名并附证据 → 告知拟处理决定及陈述申辩权利 → 陈述申辩期满并复核 → 有权单位作出处理决定（决定书编号，效果由系统执行）→ 送达 → 复议、诉讼。',
      // the list
      'list-h': '案件', exam: '考试', 'all-exams': '全部考试', status: '状态', 'all-status': '全部状态', show: '查看',
      'list-none': '没有符合条件的案件。', 'list-n': '共 {n} 件', 'more': '显示更多',
      'col-no': '案件', 'col-person': '考生', 'col-exam': '考试', 'col-act': '违纪违规行为', 'col-status': '状态', 'col-due': '期限', 'col-updated': '更新于',
      'due-defence': '陈述申辩至 {d}', 'due-review': '复议至 {d}',
      // statuses
      's-open': '已立案，待告知', 's-notified': '已告知，陈述申辩', 's-decided': '已作出决定', 's-served': '决定书已送达', 's-revoked': '决定已撤销', 's-dropped': '已撤案',
      // outsiders (VIO-11, VH 23): no penalty from kaowu; the case ends by referral
      's-referred': '已移送', 'party-outsider': '其他人员', 'party-badge': '考生和工作人员以外的其他人员',
      'out-h': '其他人员立案', 'out-lead': '考生和工作人员以外的其他人员（如未报名的替考者、场外传递答案者、组织作弊者）有干扰考试秩序等行为的，依据有关法律法规处理（《公务员录用违规违纪行为处理办法》第二十三条）：本系统不对其告知、决定或限制报考，现场记录（至少两名工作人员签名）并附证据后，移送有关机关，并跟踪回复。',
      'out-exam': '考试', 'out-name': '姓名', 'out-idtype': '证件类型（选填）', 'out-idno': '证件号码（选填）', 'out-role': '行为人身份',
      'out-linked': '关联的考生案件编号（选填，如被替考的考生）', 'need-exam': '请选择考试。', 'need-name': '请填写姓名。',
      'role-stand_in': '替考者', 'role-outside_help': '场外协助作弊者', 'role-organiser': '组织作弊者', 'role-other': '其他',
      'id-resident_id': '居民身份证', 'id-social_security': '社会保障卡', 'id-foreigner_pr': '外国人永久居留身份证', 'id-other': '其他证件',
      'out-meta': '{exam} · 证件号码 {idno} · 立案单位 {unit} · {at} 立案', 'no-idno': '未登记',
      'f-role': '行为人身份', 'f-linked': '关联的考生案件', 'f-outsiders': '关联的其他人员案件', 'linked-line': '#{id} · {name} · {status}',
      'out-no-penalty': '当事人不是考生：不告知、不作处理决定、不限制报考、不记入诚信档案；现场记录完成后移送有关机关，并跟踪回复。',
      'ref-h': '移送与回复', 'ref-none': '尚未移送。', 'ref-line': '{kind}：{to} · {on}', 'ref-due': '回复期限 {d}', 'ref-waiting': '待回复',
      'ref-replied': '{d} 回复：', 'ref-due-label': '回复期限（选填）', 'reply-h': '登记回复', 'reply-on': '回复日期', 'reply-text': '回复内容',
      'reply-send': '登记回复', 'reply-ok': '已登记回复。', 'need-reply': '请填写回复内容。', 'referred-note': '本案已移送，尚可补充移送或登记回复。',
      'ev-referral_reply': '登记移送回复', 'ev-outsider_linked': '关联其他人员案件',
      // opening
      'open-h': '立案', 'open-lead': '依据考场记录、阅卷异常、审核发现、举报或甄别，对一个报名立案。适用的处理规定由考试类别决定：公务员录用考试适用《公务员录用违规违纪行为处理办法》，专业技术人员资格考试适用人社部令第31号。',
      'reg-id': '报名号', 'reg-lookup': '{name} · {id} · {exam}', 'reg-unknown': '无法显示这个报名：{msg}',
      'reg-cat': '适用：{cat}（{version} 版）', 'reg-no-cat': '这类考试没有适用的违纪违规行为目录，不能立案。',
      source: '案件来源', 'source-ref': '来源编号或说明（选填，如“第012考场记录”）', stage: '发生环节', subject: '科目或场次（选填）',
      entry: '所引条款（违纪违规行为）', 'entry-none': '暂不引用（告知前须引用）', 'entry-first': '先填写报名号，再选择条款。',
      facts: '违纪违规事实', 'occurred-at': '发生时间（北京时间）', place: '地点（选填）', actions: '现场处置（选填）',
      'open-send': '立案', 'need-reg': '请填写报名号。', 'need-facts': '请写明违纪违规事实。', 'need-time': '请填写发生时间。',
      'opened': '已立案：案件 #{id}。',
      'src-room_record': '考场记录', 'src-marking_anomaly': '阅卷异常', 'src-review_finding': '审核发现', 'src-report': '举报', 'src-screening': '甄别',
      'st-registration': '报名', 'st-exam': '考试', 'st-marking': '阅卷', 'st-physical_exam': '体检', 'st-vetting': '考察',
      'st-fitness_psych_test': '体能测评或心理测评', 'st-order': '考试（录用）工作秩序', 'st-certification': '证书申领',
      // one case
      'case-h': '案件 #{id} · {name}', 'case-meta': '{exam} · 证件号码 {idno} · 立案单位 {unit} · {at} 立案',
      'record-h': '现场记录', 'f-source': '来源', 'f-stage': '环节', 'f-subject': '科目或场次', 'f-when': '发生时间', 'f-place': '地点',
      'f-facts': '事实', 'f-actions': '现场处置', 'f-entry': '所引条款', 'f-penalty': '拟处理', 'f-deciders': '有权决定的单位', 'f-catalogue': '处理规定',
      'no-entry': '尚未引用条款', 'cat-version': '{name}（{version} 版，本案按此版本处理）',
      'sig-h': '签名', 'sig-count': '已签名 {n} 人，现场记录至少需 {min} 名工作人员签名。', 'sig-ok': '签名人数已够。',
      'sig-none': '还没有人签名。', 'sig-note': '身份（选填，如“监考员”）', 'sign': '在现场记录上签名', 'signed-by-me': '您已签名。', 'signed': '已签名。',
      'files-h': '证据与材料', 'files-none': '还没有材料。', 'file-kind': '材料类别', 'file-label': '材料名称（如“现场照片”）', 'file-file': '文件（PDF、JPEG 或 PNG）',
      'file-send': '上传材料', 'need-label': '请填写材料名称。', 'need-file': '请选择文件。', 'file-done': '已上传：{label}。',
      'k-evidence': '证据', 'k-defence': '陈述申辩材料', 'k-change': '变更依据', 'k-appeal': '复议诉讼材料', 'k-notice': '告知书', 'k-letter': '处理决定书',
      'file-meta': '{kind} · {size} · {at}',
      'dl-h': '期限', 'dl-notice': '告知书送达', 'dl-defence': '陈述申辩截止', 'dl-decision': '处理决定日期', 'dl-receipt': '决定书送达',
      'dl-review': '申请行政复议截止', 'dl-lawsuit': '提起行政诉讼截止', 'dl-before': '告知书送达后开始计算陈述申辩期限（{days} 个工作日）。',
      'dl-days': '（{days} 个工作日，节假日顺延）', 'dl-waived': '考生已放弃陈述申辩', 'provisional': '暂定',
      'provisional-note': '暂定：该年度的节假日安排尚未载入，期限按自然日计算，载入后可能顺延。',
      'dl-review-note': '自送达之日起 60 日内', 'dl-lawsuit-note': '自送达之日起 6 个月内',
      'next-h': '下一步', 'done-revoked': '处理决定已撤销，其效果已全部消除。', 'done-dropped': '本案已撤案，未作处理决定。',
      // notify
      'notify-h': '告知拟处理决定', 'notify-lead': '告知考生拟作出的处理决定及其事实、理由和依据，以及陈述和申辩的权利；系统生成编号的告知书（PDF）并在考生服务平台发送消息。',
      'check-sig': '现场记录签名 {n}/{min}', 'check-ev': '证据材料 {n} 份', 'check-entry': '已引用条款',
      method: '送达方式', 'receipt-date': '考生收到告知书的日期（留空为今天）', 'notice-facts': '告知书写明的事实',
      'notify-send': '发出告知书', 'notified-ok': '告知书已发出（{number}），陈述申辩期限至 {due}。',
      'm-direct': '直接送达', 'm-entrusted': '委托送达', 'm-post': '邮寄送达', 'm-public_notice': '公告送达', 'm-portal': '考生服务平台',
      // defence
      'defence-h': '陈述和申辩', 'defence-none': '考生尚未提出陈述和申辩。', 'defence-at': '{at} 提出', 'defence-waived': '考生已书面放弃陈述和申辩。',
      'defence-enter': '录入考生书面提交的陈述和申辩', 'defence-text': '陈述和申辩内容', 'defence-waive': '考生书面表示放弃陈述和申辩',
      'defence-send': '录入', 'defence-ok': '陈述和申辩已录入。', 'need-defence': '请填写陈述和申辩内容，或选择考生放弃。',
      // review
      'review-h': '复核陈述和申辩', 'review-label': '复核意见', 'review-send': '提交复核意见', 'review-ok': '复核意见已记录，可以作出处理决定。',
      'need-review': '请填写复核意见。', 'reviewed': '复核意见（{at}）：',
      // decide
      'decide-h': '作出处理决定', 'decide-lead': '拟处理：{penalty}（{citation}）。决定后系统生成编号的处理决定书（PDF），并立即执行其效果。',
      'decide-unit': '作出决定的单位', 'decide-unit-hint': '可选您有权限的单位；须为处理规定列明的单位且级别不低于要求：{deciders}。',
      'decide-send': '作出处理决定', 'decide-confirm': '作出处理决定后，将生成编号的处理决定书并立即生效：{consequence}。此后只能依法定程序撤销。确定以“{unit}”的名义作出决定吗？',
      'decided-ok': '已作出处理决定（{number}）。', 'decide-wait': '陈述申辩期限至 {due}；期限届满（或考生书面放弃）前不能作出决定。', 'archive-into': '记入{archive}', 'no-units': '您没有可以作出决定的单位。',
      // the decision
      'decision-h': '处理决定', 'notice-card': '告知与陈述申辩', 'dec-number': '决定书编号', 'dec-date': '决定日期', 'dec-unit': '决定单位', 'dec-penalty': '处理', 'dec-letter': '处理决定书（PDF）',
      'notice-pdf': '陈述申辩告知书（PDF）', 'effects-h': '已执行的效果', 'eff-reversed': '已于 {at} 消除',
      'e-registration_cancelled': '取消本次考试资格（报名已取消）', 'e-registration_void': '报名无效', 'e-zero_subject': '该科目成绩为零分',
      'e-void_subject': '该科目成绩无效', 'e-void_sitting': '该场次成绩无效', 'e-sitting_ended': '终止该场考试', 'e-process_ended': '终止录用程序',
      'e-certificate_void': '证书无效', 'e-archive': '记入诚信档案库', 'eff-archive-link': '查看档案',
      // serve
      'serve-h': '登记送达', 'serve-lead': '登记处理决定书的送达方式和考生收到的日期；复议（60 日）和诉讼（6 个月）期限自收到之日起算。',
      'serve-date': '收到日期', 'serve-send': '登记送达', 'served-ok': '已登记送达，复议期限至 {review}，诉讼期限至 {lawsuit}。', 'served-note': '处理决定书已送达。考生申请行政复议或提起行政诉讼的，在这里登记；复议、诉讼撤销决定或有新的证据的，申请撤销处理决定。', 'need-date': '请填写日期。',
      // appeals
      'appeals-h': '复议和诉讼', 'appeals-none': '没有复议或诉讼记录。', 'appeal-add': '登记复议或诉讼', 'appeal-kind': '类别',
      'a-review': '行政复议', 'a-lawsuit': '行政诉讼', 'appeal-filed': '提起日期', 'appeal-body': '复议机关或法院', 'appeal-outcome': '结果',
      'appeal-outcome-date': '结果日期（选填）', 'appeal-note': '备注（选填）', 'appeal-send': '登记', 'appeal-ok': '已登记。',
      'o-pending': '审理中', 'o-upheld': '维持', 'o-revoked': '撤销', 'o-changed': '变更', 'o-withdrawn': '撤回',
      'appeal-line': '{kind} · {filed} 提起 · {body} · {outcome}',
      // changes
      'change-h': '申请撤销处理决定', 'change-lead': '撤销处理决定须有新的确凿证据或法定依据（如复议决定书、判决书），须先上传材料；由另一位工作人员审批，批准后撤销全部效果、诚信档案库记录即时撤销。',
      'change-grounds': '撤销的依据和理由', 'change-files': '依据材料（可以选多份）', 'change-label': '材料名称（如“行政复议决定书”）',
      'change-have': '已上传的依据材料', 'change-send': '提交撤销申请', 'change-ok': '撤销申请已提交，等待另一位工作人员审批。',
      'need-grounds': '请写明依据和理由。', 'changes-h': '变更记录',
      'pending-h': '待审批的撤销申请', 'pending-by': '申请 #{id} · {at} 由 {who} 提出', 'pending-mine': '这是您提出的申请，须由另一位工作人员审批。',
      'approve': '批准撤销', 'refuse': '不批准', 'approve-confirm': '批准后将撤销处理决定 {number}：恢复考生的报名，诚信档案库中的记录即时撤销，所有效果一并消除，并通知考生。确定批准吗？',
      'refuse-confirm': '不批准这项撤销申请？请写明理由。', 'approved-ok': '已批准，处理决定已撤销。', 'refused-ok': '已不批准撤销申请。',
      'c-pending': '待审批', 'c-approved': '已批准', 'c-refused': '不批准', 'change-line': '撤销申请 #{id} · {status} · {at}',
      'change-files-list': '依据材料：', 'checker': '审批意见：',
      // drop
      'drop-open': '撤案（经核查不构成违纪违规）', 'drop-reason': '撤案理由', 'drop-send': '撤案', 'drop-confirm': '撤案后本案结束，不作处理决定。确定撤案吗？',
      'dropped-ok': '已撤案。', 'need-drop': '请写明撤案理由。',
      // timeline
      'time-h': '时间线', 'ev-open': '立案', 'ev-notify': '发出告知书', 'ev-defence': '陈述和申辩', 'ev-review': '复核陈述和申辩', 'ev-decide': '作出处理决定',
      'ev-serve': '登记送达', 'ev-appeal': '登记复议或诉讼', 'ev-change_request': '申请撤销处理决定', 'ev-revoke': '批准撤销，决定已撤销', 'ev-change_refused': '不批准撤销申请',
      'ev-drop': '撤案', 'ev-sign': '签名', 'ev-file': '上传材料', 'by-candidate': '考生', 'ev-waived': '（放弃）', 'ev-by-staff': '（工作人员录入）',
      'not-found': '找不到这个案件，或您无权查看。',
      'lv-national': '国家级', 'lv-provincial': '省级', 'lv-prefecture': '设区的市级', 'lv-county': '县级',
      'dk-civil_service_authority': '公务员主管部门', 'dk-recruiter': '招录机关', 'dk-organising_agency': '考试组织机构', 'dk-authority': '人力资源社会保障行政部门',
      'dk-min': '（{level}以上）',
      // drafts
      'draft-notice': '预览告知书草稿', 'draft-letter': '预览处理决定书草稿',
      'draft-mark': '草稿：尚未签发，不发生效力；编号在签发时给出。以下是按今天的情况生成的文本。',
      'draft-watermark': '草稿', 'draft-pdf-notice': '告知书草稿（PDF）', 'draft-pdf-letter': '处理决定书草稿（PDF）',
      // other consequences
      'cq-open': '其他后续处理（通知所在单位、移送等）',
      'cq-lead': '登记依规采取的其他处理，每项记入时间线：考生为国家公职人员的，将违规违纪行为和处理结果通报所在单位；试用期间查明的，取消录用；涉嫌违法犯罪的，移送司法机关；报考者以外的人员参与的，移送有关主管部门。',
      'cq-later': '通报所在单位和取消录用须在作出处理决定后登记；现在可以登记移送。',
      'cq-kind': '处理类别', 'cq-on': '日期（不能晚于今天）', 'cq-note': '备注（选填，如函号、移送材料）', 'cq-send': '登记', 'cq-ok': '已登记，记入时间线。',
      'need-to': '请填写对方单位的名称。',
      'cqk-employer_notified': '通报所在单位（考生为国家公职人员）', 'cqk-recruitment_cancelled': '取消录用（试用期间查明）',
      'cqk-referred_judicial': '移送司法机关（涉嫌违法犯罪）', 'cqk-referred_authority': '移送有关主管部门（报考者以外的人员参与）',
      'cq-to-employer_notified': '所在单位', 'cq-to-recruitment_cancelled': '取消录用的招录机关',
      'cq-to-referred_judicial': '接收移送的司法机关', 'cq-to-referred_authority': '接收移送的主管部门',
      'cq-employer_notified': '已函告所在单位：{to}', 'cq-recruitment_cancelled': '已取消录用：{to}',
      'cq-referred_judicial': '已移送司法机关：{to}', 'cq-referred_authority': '已移送有关主管部门：{to}', 'cq-date': '日期 {d}',
      'ev-consequence': '其他后续处理：{to}',
    },
    en: {
      brand: 'Violation cases', title: 'Violation cases', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'to-console': 'Back to the console', 'to-archive': 'Integrity archive', 'to-list': 'Back to the cases',
      'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel', 'reason-label': 'Reasons', 'need-reason': 'Give the reasons.',
      working: 'Sending…', uploading: 'Uploading files ({i}/{n})…',
      lead: 'Handling a candidate\'s violation: open a case (room record, marking anomaly, review finding, report or screening) → the on-the-spot record signed by at least two staff, with evidence → notice of the intended decision and of the right to state and defend → the period ends and the defence is reviewed → a competent unit decides (a numbered letter; kaowu applies its effects) → service → review and lawsuit.',
      'list-h': 'Cases', exam: 'Exam', 'all-exams': 'All exams', status: 'Status', 'all-status': 'Any status', show: 'Show',
      'list-none': 'No case matches.', 'list-n': '{n} in all', more: 'Show more',
      'col-no': 'Case', 'col-person': 'Candidate', 'col-exam': 'Exam', 'col-act': 'Act', 'col-status': 'Status', 'col-due': 'Deadline', 'col-updated': 'Updated',
      'due-defence': 'defence until {d}', 'due-review': 'review until {d}',
      's-open': 'Open, not yet notified', 's-notified': 'Notified, defence period', 's-decided': 'Decided', 's-served': 'Letter served', 's-revoked': 'Decision revoked', 's-dropped': 'Dropped',
      's-referred': 'Referred', 'party-outsider': 'Outsider', 'party-badge': 'Neither candidate nor staff',
      'out-h': 'Open an outsider\'s case', 'out-lead': 'People who are neither candidates nor staff (a stand-in who is not registered, someone passing answers from outside, an organiser of cheating) are dealt with under the relevant laws (VH art. 23): kaowu gives them no notice, decision or ban. Record the facts with at least two staff signatures and the evidence, refer the case to the competent authority and track its reply.',
      'out-exam': 'Exam', 'out-name': 'Name', 'out-idtype': 'Document type (optional)', 'out-idno': 'Document number (optional)', 'out-role': 'What the person did',
      'out-linked': 'Linked candidate case number (optional, e.g. the candidate who was sat for)', 'need-exam': 'Choose the exam.', 'need-name': 'Enter the name.',
      'role-stand_in': 'Stand-in', 'role-outside_help': 'Helping from outside', 'role-organiser': 'Organiser of cheating', 'role-other': 'Other',
      'id-resident_id': 'Resident ID card', 'id-social_security': 'Social security card', 'id-foreigner_pr': 'Foreigner permanent residence card', 'id-other': 'Other document',
      'out-meta': '{exam} · document {idno} · opened by {unit} · {at}', 'no-idno': 'not recorded',
      'f-role': 'What the person did', 'f-linked': 'Linked candidate case', 'f-outsiders': 'Linked outsider cases', 'linked-line': '#{id} · {name} · {status}',
      'out-no-penalty': 'The party is not a candidate: no notice, no decision, no ban, no archive entry. Once the record is complete, refer the case to the competent authority and track the reply.',
      'ref-h': 'Referrals and replies', 'ref-none': 'Not referred yet.', 'ref-line': '{kind}: {to} · {on}', 'ref-due': 'reply due {d}', 'ref-waiting': 'awaiting reply',
      'ref-replied': 'Replied {d}: ', 'ref-due-label': 'Reply due (optional)', 'reply-h': 'Record the reply', 'reply-on': 'Reply date', 'reply-text': 'What the reply says',
      'reply-send': 'Record the reply', 'reply-ok': 'The reply is recorded.', 'need-reply': 'Enter what the reply says.', 'referred-note': 'This case is referred; you may refer it further or record replies.',
      'ev-referral_reply': 'Reply to a referral recorded', 'ev-outsider_linked': 'Outsider case linked',
      'open-h': 'Open a case', 'open-lead': 'From a room record, a marking anomaly, a review finding, a report or a screening, open a case about one registration. The exam\'s kind decides the rules: civil-service recruitment exams are handled under the civil-service recruitment Measures, professional qualification exams under MOHRSS Order No. 31.',
      'reg-id': 'Registration number', 'reg-lookup': '{name} · {id} · {exam}', 'reg-unknown': 'This registration cannot be shown: {msg}',
      'reg-cat': 'Handled under: {cat} (version {version})', 'reg-no-cat': 'No violation catalogue applies to exams of this kind: no case can be opened.',
      source: 'Source', 'source-ref': 'Source reference (optional, e.g. "Room 012 record")', stage: 'Stage', subject: 'Subject or sitting (optional)',
      entry: 'Act cited', 'entry-none': 'None yet (needed before the notice)', 'entry-first': 'Enter the registration number first, then choose the act.',
      facts: 'Facts', 'occurred-at': 'When it happened (China time)', place: 'Place (optional)', actions: 'Action taken on the spot (optional)',
      'open-send': 'Open the case', 'need-reg': 'Enter the registration number.', 'need-facts': 'State the facts.', 'need-time': 'Enter when it happened.',
      opened: 'Case #{id} opened.',
      'src-room_record': 'Room record', 'src-marking_anomaly': 'Marking anomaly', 'src-review_finding': 'Review finding', 'src-report': 'Report', 'src-screening': 'Screening',
      'st-registration': 'Registration', 'st-exam': 'Exam', 'st-marking': 'Marking', 'st-physical_exam': 'Physical examination', 'st-vetting': 'Vetting',
      'st-fitness_psych_test': 'Fitness or psychological test', 'st-order': 'Order of the exam (recruitment) work', 'st-certification': 'Certificate application',
      'case-h': 'Case #{id} · {name}', 'case-meta': '{exam} · document {idno} · opened by {unit} · {at}',
      'record-h': 'On-the-spot record', 'f-source': 'Source', 'f-stage': 'Stage', 'f-subject': 'Subject or sitting', 'f-when': 'When', 'f-place': 'Place',
      'f-facts': 'Facts', 'f-actions': 'Action taken', 'f-entry': 'Act cited', 'f-penalty': 'Intended penalty', 'f-deciders': 'Who may decide', 'f-catalogue': 'Rules',
      'no-entry': 'No act cited yet', 'cat-version': '{name} (version {version}, kept for this case)',
      'sig-h': 'Signatures', 'sig-count': '{n} signed; the record needs at least {min} staff signatures.', 'sig-ok': 'Enough signatures.',
      'sig-none': 'Nobody has signed yet.', 'sig-note': 'Capacity (optional, e.g. "Proctor")', sign: 'Sign the record', 'signed-by-me': 'You have signed.', signed: 'Signed.',
      'files-h': 'Evidence and papers', 'files-none': 'No papers yet.', 'file-kind': 'Kind', 'file-label': 'What it is (e.g. "Photo taken in the room")', 'file-file': 'File (PDF, JPEG or PNG)',
      'file-send': 'Upload', 'need-label': 'Say what the file is.', 'need-file': 'Choose a file.', 'file-done': 'Uploaded: {label}.',
      'k-evidence': 'Evidence', 'k-defence': 'Defence papers', 'k-change': 'Grounds for a change', 'k-appeal': 'Review or lawsuit papers', 'k-notice': 'Notice', 'k-letter': 'Decision letter',
      'file-meta': '{kind} · {size} · {at}',
      'dl-h': 'Deadlines', 'dl-notice': 'Notice received', 'dl-defence': 'Defence period ends', 'dl-decision': 'Decision date', 'dl-receipt': 'Letter received',
      'dl-review': 'Administrative review until', 'dl-lawsuit': 'Lawsuit until', 'dl-before': 'The defence period ({days} working days) runs from the day the notice is received.',
      'dl-days': ' ({days} working days on the holiday calendar)', 'dl-waived': 'The candidate waived the defence', provisional: 'provisional',
      'provisional-note': 'Provisional: that year\'s holiday calendar is not loaded yet; counted in calendar days, it may move once it is.',
      'dl-review-note': '60 days from receipt', 'dl-lawsuit-note': '6 months from receipt',
      'next-h': 'Next step', 'done-revoked': 'The decision is revoked and all its effects are undone.', 'done-dropped': 'The case was dropped without a decision.',
      'notify-h': 'Notify the intended decision', 'notify-lead': 'Tell the candidate the intended decision with its facts, reasons and basis, and of the right to state and defend; kaowu writes a numbered notice (PDF) and sends a message to the candidate\'s portal.',
      'check-sig': 'Signatures {n}/{min}', 'check-ev': '{n} evidence files', 'check-entry': 'An act is cited',
      method: 'Service', 'receipt-date': 'Day the candidate received the notice (empty: today)', 'notice-facts': 'Facts as the notice states them',
      'notify-send': 'Send the notice', 'notified-ok': 'Notice sent ({number}); the defence period runs until {due}.',
      'm-direct': 'Direct delivery', 'm-entrusted': 'Entrusted delivery', 'm-post': 'Post', 'm-public_notice': 'Public notice', 'm-portal': 'Candidate portal',
      'defence-h': 'Statement and defence', 'defence-none': 'The candidate has not stated or defended yet.', 'defence-at': 'made {at}', 'defence-waived': 'The candidate waived the statement and defence in writing.',
      'defence-enter': 'Enter a statement and defence the candidate gave in writing', 'defence-text': 'Statement and defence', 'defence-waive': 'The candidate waived it in writing',
      'defence-send': 'Enter', 'defence-ok': 'The statement and defence are recorded.', 'need-defence': 'Write the statement and defence, or tick the waiver.',
      'review-h': 'Review the statement and defence', 'review-label': 'Review', 'review-send': 'Record the review', 'review-ok': 'Review recorded; the case can be decided.',
      'need-review': 'Write the review.', reviewed: 'Review ({at}): ',
      'decide-h': 'Decide', 'decide-lead': 'Intended: {penalty} ({citation}). Deciding writes the numbered decision letter (PDF) and applies its effects at once.',
      'decide-unit': 'Deciding unit', 'decide-unit-hint': 'One of your units; it must be one the rules name, at their level or above: {deciders}.',
      'decide-send': 'Decide', 'decide-confirm': 'Deciding writes the numbered letter and takes effect at once: {consequence}. Only the legal procedure can revoke it afterwards. Decide in the name of "{unit}"?',
      'decided-ok': 'Decided ({number}).', 'decide-wait': 'The defence period runs until {due}; no decision before it ends (unless the candidate waived it in writing).', 'archive-into': 'recorded in the {archive}', 'no-units': 'You hold no unit that may decide.',
      'decision-h': 'Decision', 'notice-card': 'Notice and defence', 'dec-number': 'Letter number', 'dec-date': 'Decision date', 'dec-unit': 'Deciding unit', 'dec-penalty': 'Penalty', 'dec-letter': 'Decision letter (PDF)',
      'notice-pdf': 'Notice of the right to state and defend (PDF)', 'effects-h': 'Effects applied', 'eff-reversed': 'undone {at}',
      'e-registration_cancelled': 'Eligibility for this exam cancelled (registration cancelled)', 'e-registration_void': 'Registration void', 'e-zero_subject': 'Zero for the subject',
      'e-void_subject': 'The subject\'s result void', 'e-void_sitting': 'The sitting\'s result void', 'e-sitting_ended': 'The sitting ended', 'e-process_ended': 'Recruitment process ended',
      'e-certificate_void': 'Certificate void', 'e-archive': 'Recorded in the integrity archive', 'eff-archive-link': 'see the archive',
      'serve-h': 'Record the service', 'serve-lead': 'How the decision letter was served and the day the candidate received it; the review (60 days) and lawsuit (6 months) periods run from that day.',
      'serve-date': 'Day received', 'serve-send': 'Record the service', 'served-ok': 'Service recorded: review until {review}, lawsuit until {lawsuit}.', 'served-note': 'The letter is served. Record here a review or lawsuit the candidate brings; when one revokes the decision, or new evidence appears, ask to revoke it.', 'need-date': 'Enter the day.',
      'appeals-h': 'Review and lawsuit', 'appeals-none': 'No review or lawsuit recorded.', 'appeal-add': 'Record a review or lawsuit', 'appeal-kind': 'Kind',
      'a-review': 'Administrative review', 'a-lawsuit': 'Lawsuit', 'appeal-filed': 'Filed on', 'appeal-body': 'Review body or court', 'appeal-outcome': 'Outcome',
      'appeal-outcome-date': 'Outcome date (optional)', 'appeal-note': 'Note (optional)', 'appeal-send': 'Record', 'appeal-ok': 'Recorded.',
      'o-pending': 'pending', 'o-upheld': 'upheld', 'o-revoked': 'revoked', 'o-changed': 'changed', 'o-withdrawn': 'withdrawn',
      'appeal-line': '{kind} · filed {filed} · {body} · {outcome}',
      'change-h': 'Ask to revoke the decision', 'change-lead': 'A revocation needs new firm evidence or legal grounds (a review decision, a judgment): upload them first. Another member of staff decides; approved, every effect is undone and the archive entry leaves the archive at once.',
      'change-grounds': 'Grounds and reasons', 'change-files': 'Papers (several at once)', 'change-label': 'What they are (e.g. "Review decision")',
      'change-have': 'Papers already uploaded', 'change-send': 'Ask to revoke', 'change-ok': 'Revocation asked; another member of staff decides it.',
      'need-grounds': 'State the grounds and reasons.', 'changes-h': 'Changes',
      'pending-h': 'A revocation waits for approval', 'pending-by': 'Request #{id} · asked {at} by {who}', 'pending-mine': 'You asked for it: another member of staff decides it.',
      approve: 'Approve the revocation', refuse: 'Refuse', 'approve-confirm': 'Approving revokes decision {number}: the registration is restored, the archive entry leaves the archive at once, every effect is undone and the candidate is told. Approve?',
      'refuse-confirm': 'Refuse this revocation? Give the reasons.', 'approved-ok': 'Approved: the decision is revoked.', 'refused-ok': 'Revocation refused.',
      'c-pending': 'pending', 'c-approved': 'approved', 'c-refused': 'refused', 'change-line': 'Revocation #{id} · {status} · {at}',
      'change-files-list': 'Papers: ', checker: 'Decision note: ',
      'drop-open': 'Drop the case (no violation found)', 'drop-reason': 'Reasons for dropping', 'drop-send': 'Drop', 'drop-confirm': 'Dropping ends the case without a decision. Drop it?',
      'dropped-ok': 'Case dropped.', 'need-drop': 'Give the reasons for dropping.',
      'time-h': 'Timeline', 'ev-open': 'Opened', 'ev-notify': 'Notice sent', 'ev-defence': 'Statement and defence', 'ev-review': 'Defence reviewed', 'ev-decide': 'Decided',
      'ev-serve': 'Service recorded', 'ev-appeal': 'Review or lawsuit recorded', 'ev-change_request': 'Revocation asked', 'ev-revoke': 'Revocation approved: decision revoked', 'ev-change_refused': 'Revocation refused',
      'ev-drop': 'Dropped', 'ev-sign': 'Signed', 'ev-file': 'Uploaded', 'by-candidate': 'the candidate', 'ev-waived': ' (waived)', 'ev-by-staff': ' (entered by staff)',
      'not-found': 'No such case, or not yours to see.',
      'lv-national': 'national', 'lv-provincial': 'provincial', 'lv-prefecture': 'prefecture', 'lv-county': 'county',
      'dk-civil_service_authority': 'civil-service authority', 'dk-recruiter': 'recruiting body', 'dk-organising_agency': 'organising agency', 'dk-authority': 'human-resources authority',
      'dk-min': ' (at {level} level or above)',
      'draft-notice': 'Preview the draft notice', 'draft-letter': 'Preview the draft decision letter',
      'draft-mark': 'DRAFT: not issued and of no effect; numbered when issued. The text as it would read today (issued in Chinese).',
      'draft-watermark': 'DRAFT', 'draft-pdf-notice': 'Draft notice (PDF)', 'draft-pdf-letter': 'Draft decision letter (PDF)',
      'cq-open': 'Other consequences (employer told, referrals…)',
      'cq-lead': 'Record the other steps the rules require, each on the timeline: a candidate who is a public official has the act and the outcome reported to the employer; one found out during probation has the recruitment cancelled; a suspected crime is referred to the judicial organs; a part taken by others than candidates, to the competent authority.',
      'cq-later': 'Telling the employer and cancelling a recruitment can be recorded once the case is decided; referrals now.',
      'cq-kind': 'What', 'cq-on': 'On (not after today)', 'cq-note': 'Note (optional, e.g. the letter\'s number, the papers sent)', 'cq-send': 'Record', 'cq-ok': 'Recorded on the timeline.',
      'need-to': 'Name the body.',
      'cqk-employer_notified': 'Employer told (the candidate is a public official)', 'cqk-recruitment_cancelled': 'Recruitment cancelled (found out during probation)',
      'cqk-referred_judicial': 'Referred to the judicial organs (suspected crime)', 'cqk-referred_authority': 'Referred to the competent authority (others took part)',
      'cq-to-employer_notified': 'Employer', 'cq-to-recruitment_cancelled': 'Recruiting body that cancelled it',
      'cq-to-referred_judicial': 'Judicial organ referred to', 'cq-to-referred_authority': 'Authority referred to',
      'cq-employer_notified': 'Employer told: {to}', 'cq-recruitment_cancelled': 'Recruitment cancelled: {to}',
      'cq-referred_judicial': 'Referred to the judicial organs: {to}', 'cq-referred_authority': 'Referred to the competent authority: {to}', 'cq-date': 'on {d}',
      'ev-consequence': 'Other consequence: {to}',
    },
  };
  const STATUSES = ['open', 'notified', 'decided', 'served', 'revoked', 'dropped', 'referred'];
  const ROLES = ['stand_in', 'outside_help', 'organiser', 'other'];
  const ID_TYPES = ['resident_id', 'social_security', 'foreigner_pr', 'other'];
  const SOURCES = ['room_record', 'marking_anomaly', 'review_finding', 'report', 'screening'];
  const METHODS = ['direct', 'entrusted', 'post', 'public_notice', 'portal'];
  const CONSEQUENCES = ['employer_notified', 'recruitment_cancelled', 'referred_judicial', 'referred_authority'];
  const S = { me: null, exams: [], cats: {}, units: null, c: null, busy: false, regs: {} };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, confirmBox, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false);
  const en = () => K.lang === 'en';

  // ---- small things ----
  function zhNum(n) {
    const d = '〇一二三四五六七八九';
    if (n < 10) return d[n];
    if (n < 20) return '十' + (n % 10 ? d[n % 10] : '');
    if (n < 100) return d[Math.floor(n / 10)] + '十' + (n % 10 ? d[n % 10] : '');
    return String(n);
  }
  // An entry's article, clause and item: 第七条第一款第三项 / Art. 7(1)(3).
  function citation(e) {
    if (!e) return '';
    if (en()) return `Art. ${e.article}(${e.clause})` + (e.item ? `(${e.item})` : '');
    return e.citation_zh || `第${zhNum(e.article)}条第${zhNum(e.clause)}款` + (e.item ? `第${zhNum(e.item)}项` : '');
  }
  const mask = (v) => (v && v.length > 10 ? v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4) : v || '');
  const size = (n) => (n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB');
  const has = (v) => v !== null && v !== undefined && v !== '';
  // A catalogue (GET /api/v1/catalogues/{id}), fetched once.
  function catalogue(id) {
    if (!id) return Promise.resolve(null);
    if (!S.cats[id]) {
      S.cats[id] = api('GET', '/api/v1/catalogues/' + encodeURIComponent(id)).then((r) => {
        if (!r.ok) delete S.cats[id];
        return r.ok ? r.json : null;
      });
    }
    return S.cats[id];
  }
  const catFor = (examKind) => ({ civil_service: 'VH', qualification: 'ORDER31' })[examKind] || null;
  const entryOf = (cat, id) => (cat && id ? cat.entries.find((e) => e.id === id) || null : null);
  const stagesOf = (e) => (Array.isArray(e.stage) ? e.stage : [e.stage]);
  const penaltyText = (cat, p) => {
    const x = cat && cat.penalties && cat.penalties[p];
    return x ? (en() ? x.en : x.zh) : p || '';
  };
  const deciderText = (ds) => (ds || []).map((d) => t('dk-' + d.kind) + (d.min_level ? t('dk-min', { level: t('lv-' + d.min_level) }) : '')).join(en() ? '; ' : '；');
  // What a decision under entry e does: its penalty and, when it has one, the archive record.
  function consequence(cat, e) {
    const p = penaltyText(cat, e.penalty);
    if (!e.archive || !cat.archive) return p;
    return p + (en() ? ', ' : '，') + t('archive-into', { archive: en() ? 'integrity archive' : '诚信档案库' });
  }

  // ---- messages: the server's words; field problems beside their fields ----
  function showError(r, form, where) {
    K.showError(r, (d) => {
      const rest = [];
      for (const f of Array.isArray(d.fields) ? d.fields : []) {
        const el = form && form.querySelector('[name="' + CSS.escape(f.field) + '"]');
        if (el) markField(el, f.message || f.problem);
        else rest.push(f);
      }
      return K.fieldList(rest);
    }, where);
  }
  function markField(el, text) {
    el.setAttribute('aria-invalid', 'true');
    const f = el.closest('.field');
    const err = f && f.querySelector('.err');
    if (err) err.textContent = text;
  }
  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    form.querySelectorAll('.err').forEach((x) => { x.textContent = ''; });
  }
  let uid = 0;
  // A labelled field: its hint and its error read out with it.
  function field(label, input, hint) {
    const id = input.id || 'cf' + (++uid);
    input.id = id;
    const kids = [h('label', { for: id }, label), input];
    const desc = [];
    if (hint) { kids.push(h('span', { class: 'hint', id: id + '-hint' }, hint)); desc.push(id + '-hint'); }
    kids.push(h('span', { class: 'err', id: id + '-err' }));
    desc.push(id + '-err');
    input.setAttribute('aria-describedby', desc.join(' '));
    return h('div', { class: 'field' }, kids);
  }
  function select(name, values, labelOf, current, empty) {
    const s = h('select', { name });
    if (empty !== undefined) s.append(h('option', { value: '' }, empty));
    for (const v of values) s.append(h('option', { value: v, selected: v === current ? true : null }, labelOf(v)));
    return s;
  }
  const dateInput = (name) => h('input', { type: 'date', name });
  // A step's form: fields, the button, a live region for the server's answer. send(form, live)
  // returns the request's answer (or null when the form itself refused).
  function stepForm(cls, label, kids, button, send, opts) {
    const o = opts || {};
    const live = h('div', { class: 'step-msg', role: 'status', 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit', class: 'btn ' + (o.danger ? 'danger' : 'primary') }, button);
    const form = h('form', { class: 'step ' + cls, novalidate: true, 'aria-label': label }, kids, h('div', { class: 'row' }, btn), live);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (S.busy) return;
      clearErrors(form);
      live.replaceChildren();
      S.busy = true;
      btn.disabled = true;
      let r;
      try {
        r = await send(form, live);
      } finally {
        S.busy = false;
        btn.disabled = false;
      }
      if (!r) return;
      if (!r.ok) return showError(r, form, live);
      if (o.done) o.done(r);
    });
    return form;
  }
  const needs = (el, text) => { markField(el, text); el.focus(); return null; };

  // ---- start: who is here, then the list or a case ----
  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    route();
  }
  function route() {
    const q = new URLSearchParams(location.search);
    const id = Number(q.get('case'));
    if (id > 0) return viewCase(id);
    return viewList(q.get('exam') || '', q.get('status') || '');
  }
  const nav = (...extra) => h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')),
    h('a', { href: '/archive.html', class: 'dl-link' }, t('to-archive')), extra);

  // ================= the list and the opening form =================
  async function viewList(exam, status) {
    flash('');
    const ex = await api('GET', '/api/v1/public/exams');
    S.exams = ex.ok ? ex.json.items : [];
    const examSel = h('select', { id: 'f-exam', name: 'exam' }, h('option', { value: '' }, t('all-exams')),
      S.exams.map((e) => h('option', { value: String(e.id), selected: String(e.id) === exam ? true : null }, e.name)));
    const stSel = select('status', STATUSES, (s) => t('s-' + s), status, t('all-status'));
    stSel.id = 'f-status';
    const bar = h('form', { class: 'bar row', role: 'search', 'aria-label': t('list-h'), onsubmit: (ev) => {
      ev.preventDefault();
      const u = new URLSearchParams();
      if (examSel.value) u.set('exam', examSel.value);
      if (stSel.value) u.set('status', stSel.value);
      history.replaceState(null, '', u.toString() ? '?' + u : location.pathname);
      loadList(examSel.value, stSel.value);
    } }, h('label', { for: 'f-exam' }, t('exam')), examSel, h('label', { for: 'f-status' }, t('status')), stSel,
    h('button', { type: 'submit', class: 'btn primary' }, t('show')));
    $('view').replaceChildren(h('p', { class: 'lead' }, t('lead')), nav(),
      h('section', { class: 'card', id: 'list', 'aria-labelledby': 'list-h' }, h('h2', { id: 'list-h' }, t('list-h')), bar, h('div', { id: 'list-body' })),
      h('section', { class: 'card', id: 'open', 'aria-labelledby': 'open-h' }),
      h('section', { class: 'card', id: 'open-out', 'aria-labelledby': 'out-h' }));
    if (!ex.ok) showError(ex);
    renderOpen();
    renderOpenOutsider();
    loadList(exam, status);
  }

  async function loadList(exam, status, after, rows) {
    const box = $('list-body');
    box.setAttribute('aria-busy', 'true');
    const q = new URLSearchParams({ limit: '100' });
    if (exam) q.set('exam_id', exam);
    if (status) q.set('status', status);
    if (after) q.set('cursor', after);
    const [r] = await Promise.all([api('GET', '/api/v1/cases?' + q), catalogue('VH'), catalogue('ORDER31')]);
    box.removeAttribute('aria-busy');
    if (!r.ok) return showError(r, null, box);
    const items = (rows || []).concat(r.json.items);
    const cats = { VH: await catalogue('VH'), ORDER31: await catalogue('ORDER31') };
    if (!items.length) return box.replaceChildren(h('p', {}, t('list-none')));
    const row = (c) => {
      const e = entryOf(cats[c.catalogue], c.entry_id);
      const due = c.status === 'notified' && c.defence_due ? t('due-defence', { d: c.defence_due })
        : c.status === 'served' && c.review_due ? t('due-review', { d: c.review_due }) : '';
      return h('tr', {}, h('td', {}, h('a', { href: '?case=' + c.id }, '#' + c.id)),
        h('td', {}, c.person_name, c.party === 'outsider' ? [' ', h('span', { class: 'badge party-outsider', title: t('party-badge') }, t('party-outsider'))] : null,
          h('br'), h('span', { class: 'hint' }, c.id_number || '')),
        h('td', {}, c.exam_name),
        h('td', { class: 'act' }, e ? [citation(e), h('br'), h('span', { class: 'hint' }, en() ? e.en : e.zh)] : h('span', { class: 'hint' }, t('no-entry'))),
        h('td', {}, h('span', { class: 'badge k-' + c.status }, t('s-' + c.status))),
        h('td', { class: 'due' }, due), h('td', { class: 'when' }, cst(c.updated_at)));
    };
    const table = h('div', { class: 'wrap' }, h('table', { class: 'grid cases-list' },
      h('thead', {}, h('tr', {}, ['col-no', 'col-person', 'col-exam', 'col-act', 'col-status', 'col-due', 'col-updated'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, items.map(row))));
    const more = r.json.next_cursor ? h('button', { type: 'button', class: 'btn', onclick: () => loadList(exam, status, r.json.next_cursor, items) }, t('more')) : '';
    box.replaceChildren(h('p', { class: 'sum', id: 'list-sum' }, t('list-n', { n: items.length })), table, more);
  }

  // Opening a case from a registration: the registration looked up, the catalogue of its
  // exam's kind loaded, the stage and the act chosen from it.
  function renderOpen() {
    const box = $('open');
    const reg = h('input', { name: 'registration_id', inputmode: 'numeric', maxlength: '12', autocomplete: 'off' });
    const who = h('div', { class: 'hint reg-who', 'aria-live': 'polite' });
    const source = select('source', SOURCES, (s) => t('src-' + s), 'room_record');
    const ref = h('input', { name: 'source_ref', maxlength: '100', autocomplete: 'off' });
    const stage = h('select', { name: 'stage' });
    const subject = h('input', { name: 'subject', maxlength: '60', autocomplete: 'off' });
    const entry = h('select', { name: 'entry_id', disabled: true });
    const entryHint = h('span', { class: 'hint entry-text' }, t('entry-first'));
    const facts = h('textarea', { name: 'facts', rows: '4', maxlength: '2000' });
    const when = h('input', { name: 'occurred_at', type: 'datetime-local' });
    const place = h('input', { name: 'place', maxlength: '200', autocomplete: 'off' });
    const actions = h('textarea', { name: 'actions_taken', rows: '2', maxlength: '2000' });
    let cat = null;
    const stageNames = ['registration', 'exam', 'marking', 'physical_exam', 'vetting', 'fitness_psych_test', 'order', 'certification'];
    const fillStages = () => {
      const keep = stage.value || 'exam';
      const present = cat ? stageNames.filter((s) => cat.entries.some((e) => stagesOf(e).includes(s))) : stageNames;
      stage.replaceChildren(...present.map((s) => h('option', { value: s, selected: s === keep ? true : null }, t('st-' + s))));
      fillEntries();
    };
    const fillEntries = () => {
      const keep = entry.value;
      entry.replaceChildren(h('option', { value: '' }, t('entry-none')));
      entry.disabled = !cat;
      if (!cat) return;
      for (const e of cat.entries.filter((x) => stagesOf(x).includes(stage.value))) {
        entry.append(h('option', { value: e.id, selected: e.id === keep ? true : null }, citation(e) + ' ' + (en() ? e.en : e.zh)));
      }
      showEntry();
    };
    const showEntry = () => {
      const e = entryOf(cat, entry.value);
      entryHint.textContent = e ? t('f-penalty') + (en() ? ': ' : '：') + penaltyText(cat, e.penalty) : cat ? '' : t('entry-first');
    };
    stage.addEventListener('change', fillEntries);
    entry.addEventListener('change', showEntry);
    reg.addEventListener('change', async () => {
      const v = reg.value.trim();
      who.replaceChildren();
      cat = null;
      if (!/^\d+$/.test(v)) return fillStages();
      const r = await api('GET', '/api/v1/registrations/' + v);
      if (reg.value.trim() !== v) return;
      if (!r.ok) { who.textContent = t('reg-unknown', { msg: r.json.error.message }); return fillStages(); }
      const x = await api('GET', '/api/v1/public/exams/' + r.json.exam_id);
      const cid = x.ok ? catFor(x.json.kind) : null;
      cat = await catalogue(cid);
      if (reg.value.trim() !== v) return;
      who.replaceChildren(h('span', {}, t('reg-lookup', { name: r.json.candidate_name || '', id: r.json.id_number || '', exam: r.json.exam_name || '' })), h('br'),
        h('span', {}, cat ? t('reg-cat', { cat: en() ? cat.name_en : cat.name_zh, version: cat.version }) : t('reg-no-cat')));
      fillStages();
    });
    const regField = field(t('reg-id'), reg);
    regField.append(who);
    const entryField = field(t('entry'), entry);
    entryField.insertBefore(entryHint, entryField.querySelector('.err'));
    const form = stepForm('open-form', t('open-h'), [regField, field(t('source'), source), field(t('source-ref'), ref),
      field(t('stage'), stage), field(t('subject'), subject), entryField, field(t('facts'), facts),
      field(t('occurred-at'), when), field(t('place'), place), field(t('actions'), actions)], t('open-send'), async () => {
      if (!/^\d+$/.test(reg.value.trim())) return needs(reg, t('need-reg'));
      if (!facts.value.trim()) return needs(facts, t('need-facts'));
      if (!when.value) return needs(when, t('need-time'));
      const body = { registration_id: Number(reg.value.trim()), source: source.value, stage: stage.value, facts: facts.value.trim(),
        occurred_at: when.value + (when.value.length === 16 ? ':00' : '') + '+08:00' };
      if (ref.value.trim()) body.source_ref = ref.value.trim();
      if (subject.value.trim()) body.subject = subject.value.trim();
      if (entry.value) body.entry_id = entry.value;
      if (place.value.trim()) body.place = place.value.trim();
      if (actions.value.trim()) body.actions_taken = actions.value.trim();
      return api('POST', '/api/v1/cases', body);
    }, { done: (r) => {
      history.pushState(null, '', '?case=' + r.json.id);
      S.c = r.json;
      renderCase(t('opened', { id: r.json.id }));
    } });
    fillStages();
    box.replaceChildren(h('h2', { id: 'open-h' }, t('open-h')), h('p', { class: 'hint' }, t('open-lead')), form);
  }

  // An outsider's case (VIO-11): the exam, the person, what they did, the record.
  function renderOpenOutsider() {
    const box = $('open-out');
    const exam = h('select', { name: 'exam_id' }, h('option', { value: '' }, '—'), S.exams.map((e) => h('option', { value: String(e.id) }, e.name)));
    const name = h('input', { name: 'person_name', maxlength: '100', autocomplete: 'off' });
    const idType = select('id_type', ID_TYPES, (k) => t('id-' + k), 'resident_id');
    const idNo = h('input', { name: 'id_number', maxlength: '40', autocomplete: 'off', spellcheck: 'false' });
    const role = select('outsider_role', ROLES, (k) => t('role-' + k), 'stand_in');
    const linked = h('input', { name: 'linked_case_id', inputmode: 'numeric', maxlength: '12', autocomplete: 'off' });
    const source = select('source', SOURCES, (k) => t('src-' + k), 'room_record');
    const ref = h('input', { name: 'source_ref', maxlength: '100', autocomplete: 'off' });
    const stage = select('stage', ['exam', 'marking', 'registration', 'order'], (k) => t('st-' + k), 'exam');
    const facts = h('textarea', { name: 'facts', rows: '4', maxlength: '2000' });
    const when = h('input', { name: 'occurred_at', type: 'datetime-local' });
    const place = h('input', { name: 'place', maxlength: '200', autocomplete: 'off' });
    const actions = h('textarea', { name: 'actions_taken', rows: '2', maxlength: '2000' });
    const form = stepForm('open-out-form', t('out-h'), [field(t('out-exam'), exam), field(t('out-name'), name), field(t('out-idtype'), idType),
      field(t('out-idno'), idNo), field(t('out-role'), role), field(t('out-linked'), linked), field(t('source'), source), field(t('source-ref'), ref),
      field(t('stage'), stage), field(t('facts'), facts), field(t('occurred-at'), when), field(t('place'), place), field(t('actions'), actions)], t('open-send'), async () => {
      if (!exam.value) return needs(exam, t('need-exam'));
      if (!name.value.trim()) return needs(name, t('need-name'));
      if (!facts.value.trim()) return needs(facts, t('need-facts'));
      if (!when.value) return needs(when, t('need-time'));
      const body = { party: 'outsider', exam_id: Number(exam.value), person_name: name.value.trim(), outsider_role: role.value, source: source.value,
        stage: stage.value, facts: facts.value.trim(), occurred_at: when.value + (when.value.length === 16 ? ':00' : '') + '+08:00' };
      if (idNo.value.trim()) { body.id_type = idType.value; body.id_number = idNo.value.trim(); }
      if (/^\d+$/.test(linked.value.trim())) body.linked_case_id = Number(linked.value.trim());
      if (ref.value.trim()) body.source_ref = ref.value.trim();
      if (place.value.trim()) body.place = place.value.trim();
      if (actions.value.trim()) body.actions_taken = actions.value.trim();
      return api('POST', '/api/v1/cases', body);
    }, { done: (r) => {
      history.pushState(null, '', '?case=' + r.json.id);
      S.c = r.json;
      renderCase(t('opened', { id: r.json.id }));
    } });
    box.replaceChildren(h('h2', { id: 'out-h' }, t('out-h')), h('p', { class: 'hint' }, t('out-lead')), fold('open-out-fold', t('out-h'), form));
  }

  // ================= one case =================
  async function viewCase(id) {
    flash('');
    $('view').replaceChildren(h('p', { class: 'hint' }, t('loading')));
    const r = await api('GET', '/api/v1/cases/' + id);
    if (!r.ok) {
      $('view').replaceChildren(nav(h('a', { href: '/cases.html', class: 'dl-link' }, t('to-list'))));
      return showError(r);
    }
    S.c = r.json;
    renderCase();
  }

  async function renderCase(okMsg) {
    const c = S.c;
    const cat = await catalogue(c.catalogue);
    if (c.status === 'notified' && !S.units) {
      const u = await api('GET', '/api/v1/units');
      S.units = u.ok ? u.json.items : [];
    }
    const e = c.entry || null;
    const ce = entryOf(cat, c.entry_id);
    const head = h('header', { class: 'case-head' },
      h('h2', { id: 'case-h', tabindex: '-1' }, t('case-h', { id: c.id, name: c.person_name }), ' ', h('span', { class: 'badge k-' + c.status }, t('s-' + c.status))),
      h('p', { class: 'hint meta' }, outsider(c) ? [h('span', { class: 'badge party-outsider' }, t('party-badge')), ' · '] : null,
        t('case-meta', { exam: c.exam_name, idno: c.id_number ? mask(c.id_number) : t('no-idno'), unit: c.unit_name, at: cst(c.created_at) })));
    // an outsider's case: no defence, no decision — the referral and its replies instead
    const act = outsider(c) ? h('div', { class: 'case-act' }, next(c, cat, ce)) : h('div', { class: 'case-act' }, deadlines(c, cat), next(c, cat, ce));
    const main = outsider(c) ? h('div', { class: 'case-main' }, record(c, cat, e, ce), signatures(c), files(c), referrals(c))
      : h('div', { class: 'case-main' }, record(c, cat, e, ce), signatures(c), files(c), referrals(c), decision(c, cat), appeals(c), changes(c));
    const time = h('div', { class: 'case-time' }, timeline(c));
    $('view').replaceChildren(nav(h('a', { href: '/cases.html', class: 'dl-link', id: 'to-list' }, t('to-list'))),
      h('article', { class: 'case', 'aria-labelledby': 'case-h' }, head, h('div', { class: 'case-grid' }, act, main, time)));
    flash(okMsg || '', true);
    if (okMsg) $('case-h').focus(); // after a step, keyboard users start again at the case
  }
  // A step answered with the case: drawn again, told what happened.
  const after = (msg) => (r) => {
    S.c = r.json;
    renderCase(typeof msg === 'function' ? msg(r.json) : msg);
  };
  const dl = (pairs) => h('dl', { class: 'facts' }, pairs.filter((p) => p && has(p[1])).map(([k, v, long]) =>
    [h('dt', { class: long ? 'long' : null }, k), h('dd', { class: long ? 'long' : null }, v)]));
  const card = (id, title, ...kids) => h('section', { class: 'card', id, 'aria-labelledby': id + '-h' }, h('h3', { id: id + '-h' }, title), kids);

  const outsider = (c) => c.party === 'outsider';
  const linkTo = (x) => h('a', { href: '?case=' + x.id }, t('linked-line', { id: x.id, name: x.person_name, status: t('s-' + x.status) }));

  function record(c, cat, e, ce) {
    if (outsider(c)) {
      return card('record', t('record-h'), h('p', { class: 'notice', id: 'out-note' }, t('out-no-penalty')), dl([
        [t('f-role'), c.outsider_role ? t('role-' + c.outsider_role) : null],
        [t('f-source'), t('src-' + c.source) + (c.source_ref ? ' · ' + c.source_ref : '')],
        [t('f-stage'), t('st-' + c.stage)], [t('f-subject'), c.subject], [t('f-when'), cst(c.occurred_at)], [t('f-place'), c.place],
        [t('f-facts'), h('span', { class: 'pre' }, c.facts), true], [t('f-actions'), c.actions_taken ? h('span', { class: 'pre' }, c.actions_taken) : null, true],
        [t('f-linked'), c.linked_case ? linkTo(c.linked_case) : null, true]]));
    }
    const act = e ? h('div', { class: 'cited' }, h('p', {}, h('strong', {}, citation(e)), ' ', en() && ce ? ce.en : e.zh),
      h('p', {}, t('f-penalty'), en() ? ': ' : '：', h('strong', {}, en() ? e.penalty_en || e.penalty_zh : e.penalty_zh)),
      h('p', { class: 'hint' }, t('f-deciders'), en() ? ': ' : '：', deciderText(e.deciders))) : h('span', { class: 'hint' }, t('no-entry'));
    return card('record', t('record-h'), dl([
      [t('f-source'), t('src-' + c.source) + (c.source_ref ? ' · ' + c.source_ref : '')],
      [t('f-stage'), t('st-' + c.stage)], [t('f-subject'), c.subject], [t('f-when'), cst(c.occurred_at)], [t('f-place'), c.place],
      [t('f-facts'), h('span', { class: 'pre' }, c.facts), true], [t('f-actions'), c.actions_taken ? h('span', { class: 'pre' }, c.actions_taken) : null, true],
      [t('f-entry'), act, true],
      [t('f-outsiders'), (c.outsider_cases || []).length ? h('ul', { class: 'linked' }, c.outsider_cases.map((x) => h('li', {}, linkTo(x), ' · ', t('role-' + (x.outsider_role || 'other'))))) : null, true],
      [t('f-catalogue'), t('cat-version', { name: cat ? (en() ? cat.name_en : cat.name_zh) : c.catalogue, version: c.catalogue_version }), true]]));
  }

  function signatures(c) {
    const sigs = c.signatures || [];
    const mine = S.me && sigs.some((s) => s.user_id === S.me.id);
    const list = sigs.length ? h('ol', { class: 'sigs' }, sigs.map((s) => h('li', {}, h('strong', {}, s.name), s.role_note ? (en() ? ' (' + s.role_note + ')' : '（' + s.role_note + '）') : '', ' · ', cst(s.signed_at))))
      : h('p', { class: 'hint' }, t('sig-none'));
    const enough = sigs.length >= c.signatures_required;
    const kids = [h('p', { class: enough ? 'ok' : 'sum', id: 'sig-sum' }, t('sig-count', { n: sigs.length, min: c.signatures_required })), list];
    if (c.status === 'open' && !mine) {
      const note = h('input', { name: 'role_note', maxlength: '60', autocomplete: 'off' });
      kids.push(stepForm('sign-form', t('sign'), [field(t('sig-note'), note)], t('sign'),
        () => api('POST', '/api/v1/cases/' + c.id + '/signatures', note.value.trim() ? { role_note: note.value.trim() } : {}),
        { done: after(t('signed')) }));
    } else if (mine) kids.push(h('p', { class: 'hint' }, t('signed-by-me')));
    return card('sig', t('sig-h'), kids);
  }

  function fileLink(c, f) {
    return h('a', { href: f.url, class: 'dl-link', download: '' }, f.label || t('k-' + f.kind), f.media_type === 'application/pdf' ? ' (PDF)' : '');
  }
  function files(c) {
    const fs = c.files || [];
    const list = fs.length ? h('ul', { class: 'case-files' }, fs.map((f) => h('li', {}, h('span', { class: 'badge f-' + f.kind }, t('k-' + f.kind)), ' ', fileLink(c, f),
      h('span', { class: 'hint' }, ' ', t('file-meta', { kind: (f.media_type || '').replace('application/', '').replace('image/', '').toUpperCase(), size: size(f.size), at: cst(f.created_at) })))))
      : h('p', { class: 'hint' }, t('files-none'));
    const kinds = { open: ['evidence'], notified: ['evidence', 'defence'], decided: ['change', 'appeal'], served: ['change', 'appeal'], referred: ['evidence'] }[c.status];
    const kids = [list];
    if (kinds) {
      const kind = select('kind', kinds, (k) => t('k-' + k), kinds[0]);
      const label = h('input', { name: 'label', maxlength: '60', autocomplete: 'off' });
      const file = h('input', { type: 'file', name: 'file', accept: '.pdf,application/pdf,image/jpeg,image/png' });
      kids.push(stepForm('file-form', t('file-send'), [field(t('file-kind'), kind), field(t('file-label'), label), field(t('file-file'), file)], t('file-send'), () => {
        if (!label.value.trim()) return needs(label, t('need-label'));
        if (!file.files[0]) return needs(file, t('need-file'));
        return api('POST', `/api/v1/cases/${c.id}/files?kind=${kind.value}&label=${encodeURIComponent(label.value.trim())}`, file.files[0]);
      }, { done: async () => {
        const lab = label.value.trim();
        const r = await api('GET', '/api/v1/cases/' + c.id);
        if (r.ok) after(t('file-done', { label: lab }))(r);
      } }));
    }
    return card('files', t('files-h'), kids);
  }

  function deadlines(c, cat) {
    const days = cat && cat.procedure ? cat.procedure.defence_working_days : 5;
    const prov = () => (c.deadlines_provisional ? h('span', { class: 'badge prov' }, t('provisional')) : null);
    const pairs = [
      [t('dl-notice'), c.notice_receipt_date],
      [t('dl-defence'), c.defence_due ? [h('strong', {}, c.defence_due), h('span', { class: 'hint' }, t('dl-days', { days })), c.defence_waived ? [h('br'), t('dl-waived')] : null] : null],
      [t('dl-decision'), c.decision_date], [t('dl-receipt'), c.receipt_date],
      [t('dl-review'), c.review_due ? [h('strong', {}, c.review_due), ' ', prov(), h('br'), h('span', { class: 'hint' }, t('dl-review-note'))] : null],
      [t('dl-lawsuit'), c.lawsuit_due ? [h('strong', {}, c.lawsuit_due), ' ', prov(), h('br'), h('span', { class: 'hint' }, t('dl-lawsuit-note'))] : null],
    ];
    const kids = [];
    if (c.status === 'open') kids.push(h('p', { class: 'hint' }, t('dl-before', { days })));
    kids.push(dl(pairs));
    if (c.deadlines_provisional && c.review_due) kids.push(h('p', { class: 'hint', id: 'prov-note' }, t('provisional-note')));
    return card('deadlines', t('dl-h'), kids);
  }

  // ---- the next step: one form, chosen by the case's state ----
  function next(c, cat, ce) {
    const pending = (c.changes || []).find((x) => x.status === 'pending');
    const kids = [];
    if (outsider(c)) {
      if (c.status === 'open') kids.push(h('p', { class: 'hint' }, t('out-no-penalty')), consequenceForm(c, true), dropForm(c));
      else if (c.status === 'referred') kids.push(h('p', { class: 'hint' }, t('referred-note')), consequenceForm(c, true));
      else if (c.status === 'dropped') kids.push(h('p', { class: 'notice' }, t('done-dropped')));
    } else if (pending) kids.push(changeDecide(c, pending), consequenceForm(c));
    else if (c.status === 'open') kids.push(notifyForm(c, cat), consequenceForm(c), dropForm(c));
    else if (c.status === 'notified') {
      if (has(c.defence_text) && !c.defence_reviewed_at && !c.defence_waived) kids.push(reviewForm(c));
      else kids.push(decideForm(c, cat, ce));
      if (!has(c.defence_text) && !c.defence_waived) kids.push(defenceForm(c));
      kids.push(consequenceForm(c), dropForm(c));
    } else if (c.status === 'decided') kids.push(serveForm(c), appealForm(c), consequenceForm(c), changeForm(c));
    else if (c.status === 'served') kids.push(h('p', { class: 'hint' }, t('served-note')), appealForm(c), consequenceForm(c), changeForm(c));
    else if (c.status === 'revoked') kids.push(h('p', { class: 'alert ok' }, t('done-revoked')));
    else if (c.status === 'dropped') kids.push(h('p', { class: 'notice' }, t('done-dropped')));
    return h('section', { class: 'card next', id: 'next', 'aria-labelledby': 'next-h' }, h('h3', { id: 'next-h' }, t('next-h')), kids);
  }
  const fold = (cls, title, ...kids) => h('details', { class: 'fold ' + cls }, h('summary', {}, title), kids);
  const check = (ok, text) => h('li', { class: ok ? 'ok' : 'bad' }, text);

  function notifyForm(c, cat) {
    const sigs = (c.signatures || []).length;
    const ev = (c.files || []).filter((f) => f.kind === 'evidence').length;
    const entry = h('select', { name: 'entry_id' }, h('option', { value: '' }, t('entry-none')),
      (cat ? cat.entries.filter((e) => stagesOf(e).includes(c.stage)) : []).map((e) =>
        h('option', { value: e.id, selected: e.id === c.entry_id ? true : null }, citation(e) + ' ' + (en() ? e.en : e.zh))));
    const facts = h('textarea', { name: 'facts', rows: '3', maxlength: '2000', value: c.facts });
    const method = select('method', METHODS, (m) => t('m-' + m), 'portal');
    const date = dateInput('receipt_date');
    // the draft cites the act chosen in the form (else the case's)
    const preview = draftPreview(c, 'notice', () => (entry.value ? { entry_id: entry.value } : {}));
    entry.addEventListener('change', preview.refresh);
    return h('div', {}, h('h4', {}, t('notify-h')), h('p', { class: 'hint' }, t('notify-lead')),
      h('ul', { class: 'checks-list' }, check(sigs >= c.signatures_required, t('check-sig', { n: sigs, min: c.signatures_required })),
        check(ev > 0, t('check-ev', { n: ev })), check(!!c.entry_id, t('check-entry'))),
      stepForm('notify-form', t('notify-h'), [field(t('entry'), entry), field(t('notice-facts'), facts), field(t('method'), method), field(t('receipt-date'), date)],
        t('notify-send'), () => {
          const body = { method: method.value };
          if (entry.value) body.entry_id = entry.value;
          if (facts.value.trim() && facts.value.trim() !== c.facts) body.facts = facts.value.trim();
          if (date.value) body.receipt_date = date.value;
          return api('POST', '/api/v1/cases/' + c.id + '/notice', body);
        }, { done: after((x) => t('notified-ok', { number: x.notice_number, due: x.defence_due })) }), preview);
  }

  // A draft of the notice or of the letter (GET /api/v1/cases/{id}/drafts/{doc}): the text as
  // it would read if issued today, unnumbered and marked as a draft, shown in place when the
  // fold is opened, with a link to its PDF. params() gives the draft's query (the act or the
  // unit chosen in the step's form); refresh() draws an open preview again when they change.
  // A refusal (403 to those who may not send it, CASE_ENTRY_REQUIRED) is the server's.
  function draftPreview(c, doc, params) {
    const path = `/api/v1/cases/${c.id}/drafts/${doc}`;
    const body = h('div', { class: 'draft-box', 'aria-live': 'polite' });
    const box = h('details', { class: 'fold draft-fold ' + doc + '-draft' }, h('summary', {}, t('draft-' + doc)), body);
    let seq = 0;
    const load = async () => {
      const q = new URLSearchParams(params());
      const mine = ++seq;
      body.setAttribute('aria-busy', 'true');
      body.replaceChildren(h('p', { class: 'hint' }, t('loading')));
      const r = await api('GET', path + (q.toString() ? '?' + q : ''));
      if (mine !== seq) return; // a later choice in the form asked again
      body.removeAttribute('aria-busy');
      if (!r.ok) return showError(r, null, body);
      q.set('format', 'pdf');
      body.replaceChildren(draftText(r.json),
        h('p', {}, h('a', { href: path + '?' + q, class: 'dl-link draft-pdf', download: '' }, t('draft-pdf-' + doc))));
    };
    box.addEventListener('toggle', () => { if (box.open) load(); });
    box.refresh = () => { if (box.open) load(); };
    return box;
  }
  // A document's text laid out as the PDF lays it out (render/letter.c): the title centred,
  // the number right, the salutation, the body's paragraphs indented, the issuer and the date
  // right; across it, the draft's mark.
  function draftText(d) {
    const lines = Array.isArray(d.lines) ? d.lines : [];
    const n = lines.length;
    const cls = (i) => 'd-' + (i === 0 ? 'no' : i === 1 ? 'to' : i >= n - 2 ? 'sign' : 'body');
    return h('div', { class: 'draft-doc', lang: 'zh-CN', 'data-mark': t('draft-watermark') },
      h('p', { class: 'draft-mark', lang: K.lang }, t('draft-mark')),
      h('p', { class: 'd-title' }, d.title), lines.map((l, i) => h('p', { class: cls(i) }, l)),
      d.footer ? h('p', { class: 'd-foot' }, d.footer) : null);
  }

  function defenceForm(c) {
    const text = h('textarea', { name: 'text', rows: '4', maxlength: '5000' });
    const waive = h('input', { type: 'checkbox', name: 'waived' });
    return fold('defence-fold', t('defence-enter'), stepForm('defence-form', t('defence-enter'),
      [field(t('defence-text'), text), h('div', { class: 'field' }, h('label', { class: 'opt' }, waive, ' ', t('defence-waive')), h('span', { class: 'err' }))],
      t('defence-send'), () => {
        if (!waive.checked && !text.value.trim()) return needs(text, t('need-defence'));
        return api('POST', '/api/v1/cases/' + c.id + '/defence', waive.checked ? { waived: true } : { text: text.value.trim() });
      }, { done: after(t('defence-ok')) }));
  }

  // The statement and defence as the candidate (or staff from a letter) gave it, with its papers.
  function defenceQuote(c) {
    const papers = (c.files || []).filter((f) => f.kind === 'defence');
    return h('blockquote', { class: 'defence' }, h('p', { class: 'pre' }, c.defence_text),
      papers.length ? h('p', { class: 'papers' }, t('k-defence'), en() ? ': ' : '：', papers.map((f, i) => [i ? (en() ? ', ' : '、') : '', fileLink(c, f)])) : null,
      h('footer', { class: 'hint' }, t('defence-at', { at: cst(c.defence_at) })));
  }
  function reviewForm(c) {
    const review = h('textarea', { name: 'review', rows: '4', maxlength: '2000' });
    return h('div', {}, h('h4', {}, t('review-h')), defenceQuote(c),
      stepForm('review-form', t('review-h'), [field(t('review-label'), review)], t('review-send'), () => {
        if (!review.value.trim()) return needs(review, t('need-review'));
        return api('POST', '/api/v1/cases/' + c.id + '/defence_review', { review: review.value.trim() });
      }, { done: after(t('review-ok')) }));
  }

  function decideForm(c, cat, ce) {
    const e = c.entry;
    const units = S.units || [];
    const unit = h('select', { name: 'unit_id' }, units.map((u) => h('option', { value: String(u.id), selected: u.id === c.unit_id ? true : null },
      u.name + '（' + t('lv-' + u.level) + '）')));
    const lead = e ? t('decide-lead', { penalty: en() ? e.penalty_en : e.penalty_zh, citation: citation(e) }) : t('no-entry');
    // the draft letter in the name of the unit chosen in the form
    const preview = units.length ? draftPreview(c, 'letter', () => ({ unit_id: unit.value })) : null;
    unit.addEventListener('change', () => preview && preview.refresh());
    return h('div', {}, h('h4', {}, t('decide-h')), h('p', {}, lead),
      !c.defence_waived && c.defence_due ? h('p', { class: 'hint' }, t('decide-wait', { due: c.defence_due })) : null,
      units.length ? stepForm('decide-form', t('decide-h'), [field(t('decide-unit'), unit, t('decide-unit-hint', { deciders: e ? deciderText(e.deciders) : '' }))],
        t('decide-send'), async () => {
          const name = unit.selectedOptions[0] ? unit.selectedOptions[0].textContent : '';
          const what = ce && cat ? consequence(cat, ce) : e ? e.penalty_zh : '';
          if (!(await confirmBox(t('decide-confirm', { consequence: what, unit: name }), t('decide-send'), { danger: true }))) return null;
          return api('POST', '/api/v1/cases/' + c.id + '/decision', { unit_id: Number(unit.value) });
        }, { danger: true, done: after((x) => t('decided-ok', { number: x.decision_number })) }) : h('p', { class: 'notice' }, t('no-units')), preview);
  }

  function serveForm(c) {
    const method = select('method', METHODS, (m) => t('m-' + m), 'direct');
    const date = dateInput('receipt_date');
    return h('div', {}, h('h4', {}, t('serve-h')), h('p', { class: 'hint' }, t('serve-lead')),
      stepForm('serve-form', t('serve-h'), [field(t('method'), method), field(t('serve-date'), date)], t('serve-send'), () => {
        if (!date.value) return needs(date, t('need-date'));
        return api('POST', '/api/v1/cases/' + c.id + '/service', { method: method.value, receipt_date: date.value });
      }, { done: after((x) => t('served-ok', { review: x.review_due, lawsuit: x.lawsuit_due })) }));
  }

  function appealForm(c) {
    const kind = select('kind', ['review', 'lawsuit'], (k) => t('a-' + k), 'review');
    const filed = dateInput('filed_on');
    const body = h('input', { name: 'body', maxlength: '100', autocomplete: 'off' });
    const outcome = select('outcome', ['pending', 'upheld', 'revoked', 'changed', 'withdrawn'], (o) => t('o-' + o), 'pending');
    const odate = dateInput('outcome_date');
    const note = h('textarea', { name: 'note', rows: '2', maxlength: '2000' });
    const form = stepForm('appeal-form', t('appeal-add'), [field(t('appeal-kind'), kind), field(t('appeal-filed'), filed), field(t('appeal-body'), body),
      field(t('appeal-outcome'), outcome), field(t('appeal-outcome-date'), odate), field(t('appeal-note'), note)], t('appeal-send'), () => {
      if (!filed.value) return needs(filed, t('need-date'));
      const b = { kind: kind.value, filed_on: filed.value, outcome: outcome.value };
      if (body.value.trim()) b.body = body.value.trim();
      if (odate.value) b.outcome_date = odate.value;
      if (note.value.trim()) b.note = note.value.trim();
      return api('POST', '/api/v1/cases/' + c.id + '/appeals', b);
    }, { done: after(t('appeal-ok')) });
    return fold('appeal-fold', t('appeal-add'), form);
  }

  // A revocation: the grounds, the papers (new ones uploaded as kind "change", earlier ones
  // ticked), then the request; a second person decides it.
  function changeForm(c) {
    const grounds = h('textarea', { name: 'grounds', rows: '3', maxlength: '2000' });
    const papers = h('input', { type: 'file', name: 'evidence_files', multiple: true, accept: '.pdf,application/pdf,image/jpeg,image/png' });
    const label = h('input', { name: 'label', maxlength: '60', autocomplete: 'off' });
    const have = (c.files || []).filter((f) => f.kind === 'change');
    const boxes = have.map((f) => h('label', { class: 'opt' }, h('input', { type: 'checkbox', name: 'have', value: String(f.id), checked: true }), ' ', f.label));
    const uploaded = new Map();
    const form = stepForm('change-form', t('change-h'), [field(t('change-grounds'), grounds),
      have.length ? h('fieldset', { class: 'field' }, h('legend', {}, t('change-have')), boxes) : null,
      field(t('change-files'), papers), field(t('change-label'), label)], t('change-send'), async (f, live) => {
      if (!grounds.value.trim()) return needs(grounds, t('need-grounds'));
      const ids = [...f.querySelectorAll('[name=have]:checked')].map((x) => Number(x.value));
      const todo = [...papers.files].filter((x) => !uploaded.has(x));
      let i = 0;
      for (const file of todo) {
        live.replaceChildren(h('p', { class: 'hint' }, t('uploading', { i: ++i, n: todo.length })));
        const what = label.value.trim() || file.name.replace(/\.[^.]*$/, '').slice(0, 60) || 'change';
        const r = await api('POST', `/api/v1/cases/${c.id}/files?kind=change&label=${encodeURIComponent(todo.length > 1 && label.value.trim() ? what + '（' + i + '）' : what)}`, file);
        if (!r.ok) { markField(papers, r.json.error.message); return r; }
        uploaded.set(file, r.json.id);
      }
      live.replaceChildren();
      for (const file of papers.files) ids.push(uploaded.get(file));
      return api('POST', '/api/v1/cases/' + c.id + '/changes', { kind: 'revoke', grounds: grounds.value.trim(), evidence_files: ids });
    }, { done: after(t('change-ok')) });
    return fold('change-fold', t('change-h'), h('p', { class: 'hint' }, t('change-lead')), form);
  }

  function changeDecide(c, x) {
    const papers = (x.evidence_files || []).map((id) => (c.files || []).find((f) => f.id === id)).filter((f) => f);
    const head = [h('h4', {}, t('pending-h')), h('p', { class: 'hint' }, t('pending-by', { id: x.id, at: cst(x.created_at), who: userName(c, x.maker_id) })),
      h('p', { class: 'pre' }, x.grounds), papers.length ? h('p', {}, t('change-files-list'), papers.map((f, i) => [i ? '、' : '', fileLink(c, f)])) : null];
    if (S.me && x.maker_id === S.me.id) return h('div', { class: 'pending-change' }, head, h('p', { class: 'notice' }, t('pending-mine')));
    const live = h('div', { class: 'step-msg', role: 'status', 'aria-live': 'polite' });
    const go = async (approve) => {
      if (S.busy) return;
      live.replaceChildren();
      let body = {};
      if (approve) {
        if (!(await confirmBox(t('approve-confirm', { number: c.decision_number }), t('approve'), { danger: true }))) return;
      } else {
        const reason = await confirmBox(t('refuse-confirm'), t('refuse'), { reason: true });
        if (!reason) return;
        body = { reason };
      }
      S.busy = true;
      let r;
      try {
        r = await api('POST', `/api/v1/cases/${c.id}/changes/${x.id}/${approve ? 'approve' : 'refuse'}`, body);
      } finally {
        S.busy = false;
      }
      if (!r.ok) return showError(r, null, live);
      after(t(approve ? 'approved-ok' : 'refused-ok'))(r);
    };
    return h('div', { class: 'pending-change' }, head, h('div', { class: 'row' },
      h('button', { type: 'button', class: 'btn primary danger-fill', onclick: () => go(true) }, t('approve')),
      h('button', { type: 'button', class: 'btn', onclick: () => go(false) }, t('refuse'))), live);
  }

  // The other consequences (VH 13, 14, 23), each a recorded step: a referral at any time; the
  // employer told or the recruitment cancelled once the case is decided (the server says
  // CASE_STATE otherwise), so only those kinds the case's state allows are offered.
  function consequenceForm(c, open) {
    const decided = !outsider(c) && (c.status === 'decided' || c.status === 'served');
    const kinds = decided ? CONSEQUENCES : CONSEQUENCES.filter((k) => k.startsWith('referred_'));
    const kind = select('kind', kinds, (k) => t('cqk-' + k), kinds[0]);
    const to = h('input', { name: 'to', maxlength: '100', autocomplete: 'organization' });
    const on = dateInput('on');
    const note = h('textarea', { name: 'note', rows: '2', maxlength: '2000' });
    const due = dateInput('reply_due');
    const toField = field(t('cq-to-' + kind.value), to);
    kind.addEventListener('change', () => { toField.querySelector('label').textContent = t('cq-to-' + kind.value); });
    const form = stepForm('consequence-form', t('cq-open'), [field(t('cq-kind'), kind), toField, field(t('cq-on'), on), field(t('ref-due-label'), due), field(t('cq-note'), note)],
      t('cq-send'), () => {
        if (!to.value.trim()) return needs(to, t('need-to'));
        if (!on.value) return needs(on, t('need-date'));
        const b = { kind: kind.value, to: to.value.trim(), on: on.value };
        if (note.value.trim()) b.note = note.value.trim();
        if (due.value && kind.value.startsWith('referred_')) b.reply_due = due.value;
        return api('POST', '/api/v1/cases/' + c.id + '/consequences', b);
      }, { done: after(t('cq-ok')) });
    if (open) {
      const f = fold('consequence-fold', t('cq-open'), form);
      f.open = true;
      return f;
    }
    return fold('consequence-fold', t('cq-open'), h('p', { class: 'hint' }, t('cq-lead')), decided ? null : h('p', { class: 'hint' }, t('cq-later')), form);
  }

  // The referrals of a case (VIO-11, AH 80), each tracked to the authority's reply.
  function referrals(c) {
    const rs = c.referrals || [];
    if (!rs.length && !outsider(c)) return null;
    const items = rs.map((x) => {
      const li = h('li', { class: x.replied_on ? 'replied' : 'waiting' }, h('strong', {}, t('ref-line', { kind: t('cqk-' + x.kind), to: x.authority, on: x.referred_on })),
        x.reply_due ? h('span', { class: 'hint' }, ' · ' + t('ref-due', { d: x.reply_due })) : null,
        x.note ? [h('br'), h('span', { class: 'hint pre' }, x.note)] : null, h('br'),
        x.replied_on ? [t('ref-replied', { d: x.replied_on }), h('span', { class: 'pre' }, x.reply)] : h('span', { class: 'badge prov' }, t('ref-waiting')));
      if (!x.replied_on) {
        const on = dateInput('replied_on');
        const text = h('textarea', { name: 'reply', rows: '2', maxlength: '2000' });
        li.append(fold('reply-fold', t('reply-h'), stepForm('reply-form', t('reply-h'), [field(t('reply-on'), on), field(t('reply-text'), text)], t('reply-send'), () => {
          if (!on.value) return needs(on, t('need-date'));
          if (!text.value.trim()) return needs(text, t('need-reply'));
          return api('POST', '/api/v1/cases/' + c.id + '/referral_replies', { referral_id: x.id, replied_on: on.value, reply: text.value.trim() });
        }, { done: after(t('reply-ok')) })));
      }
      return li;
    });
    return card('referrals', t('ref-h'), rs.length ? h('ul', { class: 'referrals' }, items) : h('p', { class: 'hint' }, t('ref-none')));
  }

  function dropForm(c) {
    const reason = h('textarea', { name: 'reason', rows: '3', maxlength: '1000' });
    return fold('drop-fold', t('drop-open'), stepForm('drop-form', t('drop-open'), [field(t('drop-reason'), reason)], t('drop-send'), async () => {
      if (!reason.value.trim()) return needs(reason, t('need-drop'));
      if (!(await confirmBox(t('drop-confirm'), t('drop-send'), { danger: true }))) return null;
      return api('POST', '/api/v1/cases/' + c.id + '/drop', { reason: reason.value.trim() });
    }, { danger: true, done: after(t('dropped-ok')) }));
  }

  // The names the case's records know: signers and the actors of its events.
  function userName(c, id) {
    const s = (c.signatures || []).find((x) => x.user_id === id);
    if (s) return s.name;
    const v = (c.events || []).find((x) => x.actor_user === id && x.actor_name);
    return v ? v.actor_name : '#' + id;
  }

  function decision(c, cat) {
    if (!c.decision_number && !c.notice_number) return null;
    const notice = (c.files || []).find((f) => f.kind === 'notice');
    const letter = (c.files || []).find((f) => f.kind === 'letter');
    const kids = [];
    if (notice) kids.push(h('p', {}, h('a', { href: notice.url, class: 'dl-link', id: 'notice-link', download: '' }, t('notice-pdf')), h('span', { class: 'hint' }, ' ' + c.notice_number)));
    if (c.decision_number) {
      kids.push(dl([[t('dec-number'), h('strong', { id: 'decision-number' }, c.decision_number)], [t('dec-date'), c.decision_date],
        [t('dec-unit'), c.decider_unit_name], [t('dec-penalty'), penaltyText(cat, c.penalty)]]));
      if (letter) kids.push(h('p', {}, h('a', { href: letter.url, class: 'dl-link', id: 'letter-link', download: '' }, t('dec-letter'))));
      const effs = c.effects || [];
      if (effs.length) {
        kids.push(h('h4', {}, t('effects-h')), h('ul', { class: 'effects' }, effs.map((x) => h('li', { class: x.reversed_at ? 'reversed' : null },
          t('e-' + x.kind), x.subject ? ' · ' + x.subject : '',
          x.kind === 'archive' && x.archive_entry_id ? [' · ', h('a', { href: '/archive.html?case_id=' + c.id }, t('eff-archive-link'))] : null,
          x.reversed_at ? h('span', { class: 'hint' }, ' · ' + t('eff-reversed', { at: cst(x.reversed_at) })) : null))));
      }
    }
    if (has(c.defence_text) || c.defence_waived) {
      kids.push(h('h4', {}, t('defence-h')), c.defence_waived ? h('p', {}, t('defence-waived')) : defenceQuote(c));
      if (c.defence_review) kids.push(h('p', {}, h('strong', {}, t('reviewed', { at: cst(c.defence_reviewed_at) })), h('span', { class: 'pre' }, c.defence_review)));
    }
    return card('decision', c.decision_number ? t('decision-h') : t('notice-card'), kids);
  }

  function appeals(c) {
    const a = c.appeals || [];
    if (!a.length && c.status !== 'served' && c.status !== 'decided') return null;
    return card('appeals', t('appeals-h'), a.length ? h('ul', {}, a.map((x) => h('li', {},
      t('appeal-line', { kind: t('a-' + x.kind), filed: x.filed_on, body: x.body || '', outcome: t('o-' + (x.outcome || 'pending')) }),
      x.outcome_date ? ' · ' + x.outcome_date : '', x.note ? h('span', { class: 'hint' }, ' · ' + x.note) : null)))
      : h('p', { class: 'hint' }, t('appeals-none')));
  }

  function changes(c) {
    const x = c.changes || [];
    if (!x.length) return null;
    return card('changes', t('changes-h'), h('ul', {}, x.map((y) => h('li', {},
      t('change-line', { id: y.id, status: t('c-' + y.status), at: cst(y.decided_at || y.created_at) }), h('br'),
      h('span', { class: 'pre' }, y.grounds), y.checker_reason ? [h('br'), h('span', { class: 'hint' }, t('checker') + y.checker_reason)] : null))));
  }

  // Events, signatures and uploads, oldest first; at the same instant, in the procedure's order.
  const RANK = { open: 0, sign: 1, evidence: 2, notify: 3, notice: 3, defence: 4, 'defence-file': 4.5, review: 5, decide: 6, letter: 6,
    serve: 7, 'appeal-file': 7.5, appeal: 8, consequence: 8, 'change-file': 8.5, change_request: 9, change_refused: 10, revoke: 10, drop: 10 };
  function timeline(c) {
    const items = [];
    for (const v of c.events || []) {
      const d = v.details || {};
      let extra = '';
      if (v.kind === 'notify') extra = [d.number, d.method ? t('m-' + d.method) : '', d.defence_due ? t('due-defence', { d: d.defence_due }) : ''].filter((x) => x).join(' · ');
      else if (v.kind === 'decide') extra = [d.number, d.decision_date].filter((x) => x).join(' · ');
      else if (v.kind === 'serve') extra = [d.method ? t('m-' + d.method) : '', d.receipt_date].filter((x) => x).join(' · ');
      else if (v.kind === 'appeal') extra = [d.kind ? t('a-' + d.kind) : '', d.outcome ? t('o-' + d.outcome) : ''].filter((x) => x).join(' · ');
      else if (v.kind === 'open') extra = d.source ? t('src-' + d.source) + (d.source_ref ? ' · ' + d.source_ref : '') : '';
      else if (d.reason) extra = d.reason;
      if (v.kind === 'defence') extra = (d.waived ? t('ev-waived') : '') + (d.entered_by_staff ? t('ev-by-staff') : '');
      // another consequence, in words: 已函告所在单位：合肥市某局 · 日期 2026-12-02 · its note
      let what = t('ev-' + v.kind);
      if (v.kind === 'consequence') {
        what = t(CONSEQUENCES.includes(d.kind) ? 'cq-' + d.kind : 'ev-consequence', { to: d.to || '' });
        extra = [d.on ? t('cq-date', { d: d.on }) : '', d.note || ''].filter((x) => x).join(' · ');
      }
      items.push({ at: v.created_at, seq: RANK[v.kind] ?? 11, what, who: v.actor_candidate ? t('by-candidate') : v.actor_name, extra });
    }
    for (const s of c.signatures || []) items.push({ at: s.signed_at, seq: RANK.sign, what: t('ev-sign'), who: s.name, extra: s.role_note || '' });
    for (const f of c.files || []) {
      if (f.kind === 'notice' || f.kind === 'letter') continue;
      items.push({ at: f.created_at, seq: RANK[f.kind === 'evidence' ? 'evidence' : f.kind + '-file'] ?? 11, what: t('ev-file'), who: f.uploaded_by ? userName(c, f.uploaded_by) : t('by-candidate'), extra: t('k-' + f.kind) + ' · ' + (f.label || '') });
    }
    items.sort((a, b) => String(a.at).localeCompare(String(b.at)) || a.seq - b.seq);
    return card('timeline', t('time-h'), h('ol', { class: 'timeline' }, items.map((x) => h('li', {},
      h('time', { datetime: x.at }, cst(x.at)), ' ', h('strong', {}, x.what), x.who ? ' · ' + x.who : '', x.extra ? h('span', { class: 'hint' }, ' · ' + x.extra) : null))));
  }

  window.addEventListener('popstate', () => { if (S.me) route(); });
  K.chrome(() => route());
  start();
})();
