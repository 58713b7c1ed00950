// Objective scoring for agency staff (SPEC GRD-4, GRD-5, CUS-8, INF-5(6), SEC-2; issue 10):
// /scoring.html?exam=CODE[&subject=CODE][&run=ID][&per=N]. The exam's subjects with, per
// subject, its answer keys (form, version, master or the master's permutation, items, the
// digest — never the content: keys are 机密) and a form to load one (JSON pasted or read from
// a .json file; the server's refusal beside it, field problems next to the JSON box); the
// answer database (the imports with their witness, the sheets per subject) and the form that
// imports a scanner CSV in a witness's presence (every problem of a refused file in a table,
// nothing imported); the score runs of a subject (counts, the result digest, a note when two
// runs gave the same result) and a run's scores in a paged table, a decided case linked to its
// page; a run's cross-check recomputed and kept on record (GRD-7) with those kept before; the
// publication of the exam's scores (GRD-8, INF-4): each subject's readiness (its latest run and
// that run's latest cross-check), "prepare" after a confirmation that names what it freezes,
// the publications with their state, and for a pending one who must approve it — with the
// approve and reject buttons when the viewer's approvals list holds it (the server still
// decides: SELF_APPROVAL for the preparer). The session is the console's (the kw_session
// cookie, X-CSRF-Token on writes); the server decides who may do what and its refusals are
// shown in its words.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '客观题评分', title: '客观题评分', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '理由', 'need-reason': '请写明理由。', 'to-console': '返回工作台', 'to-cases': '违纪违规案件', 'to-reviews': '成绩复核与证书',
      lead: '按卷型载入答案标准（先载入母卷；其他卷型须与母卷按题序和选项换位后完全一致）→ 考试结束后，在另一名工作人员见证下读卡导入答卷 → 按科目评分。生效的处理决定在评分时执行，分数不能修改；同样的输入得到同样的结果摘要。',
      exam: '考试', show: '查看', 'no-exams': '没有您可以查看的考试。', 'exam-missing': '没有找到考试“{code}”，或您无权查看。',
      'cst-note': '时间均为北京时间。', none: '—', 'digest-full': '完整摘要：{d}',
      // the subjects
      'exam-date': '考试日期 {d}', 'subjects-none': '本考试还没有科目。',
      'c-subject': '科目', 'c-starts': '开考时间', 'c-keys': '答案标准', 'c-sheets': '答卷库', 'c-last': '最近评分',
      'keys-none-short': '未载入', 'sheets-n': '{n} 份', 'last-none': '尚未评分', 'last-run': '第 {n} 次 · {at}',
      'key-chip': '{form} 卷 第 {v} 版', 'master-mark': '（母卷）', 'tabs': '选择科目',
      // the answer database
      'answers-h': '答卷库（读卡结果）', 'per-subject': '各科目已入库答卷：', 'per-item': '{code} {name} {n} 份',
      'imports-h': '导入记录', 'imports-none': '还没有导入答卷。', 'i-file': '文件', 'i-sheets': '答卷数', 'i-by': '导入人',
      'i-witness': '见证人', 'i-at': '导入时间', unnamed: '（未命名文件）',
      'bk-h': '读卡数据备份（逐日备份，专人分别保管）', 'bk-none': '还没有读卡数据备份。', 'bk-id': '备份', 'bk-subject': '科目', 'bk-sheets': '答卷数',
      'bk-by': '制作人', 'bk-at': '制作时间', 'bk-keeper': '保管人', 'bk-where': '保管地点', 'bk-all': '全部科目', 'bk-waiting': '待专人保管',
      'bk-overdue': '逾期未备份：{date} 导入 {n} 份答卷，当日结束前没有交专人保管的备份。', 'bk-today': '今日（{date}）已导入 {n} 份答卷，须在今日结束前备份并交专人保管。',
      'bk-ok': '已导入的答卷均有专人保管的备份。',
      'upload-h': '导入读卡结果', 'upload-file': '读卡结果文件（CSV）',
      'upload-file-hint': '列：ticket_no（准考证号）、subject（科目代码）、form（卷型）、answers（答案串，每题一个符号：A–G 单选，多选为一个 36 进制数字，- 未作答，* 或 ? 无法识别）。',
      witness: '见证人用户名', 'witness-hint': '读卡导入须有另一名工作人员在场见证（GRD-4）：填写其用户名，不能是您本人。',
      'upload-send': '导入答卷', 'need-csv': '请选择读卡结果文件（CSV）。', 'need-witness': '请填写在场见证人的用户名。',
      'confirm-import': '导入“{file}”，见证人 {witness}。答卷入库后不能修改或删除，同一考生同一科目的答卷不能再次导入；文件中只要有一处问题，就不会导入任何答卷。确定导入吗？',
      importing: '正在导入答卷，请稍候…', imported: '已导入 {n} 份答卷（{file}）：{per}。',
      'nothing-imported': '未导入任何答卷。请按下表修改文件，然后重新导入整个文件。',
      'problems-caption': '文件中的问题（{n} 处）', 'r-line': '行号', 'r-field': '栏目', 'r-problem': '问题', 'r-note': '说明',
      'f-ticket_no': '准考证号', 'f-subject': '科目', 'f-form': '卷型', 'f-answers': '答案串',
      'p-unknown_ticket': '准考证号不存在，或不在本考试已发布的考场编排中', 'p-not_registered_for_subject': '该考生没有报考这个科目',
      'p-duplicate_in_file': '同一考生同一科目在文件中重复出现', 'p-duplicate': '该考生这个科目的答卷已在答卷库中',
      'p-answers_invalid': '答案串有误', 'p-form_without_key': '这个卷型没有答案标准', 'p-unknown_subject': '本考试没有这个科目',
      'p-no_key': '这个科目尚未载入答案标准', 'p-required': '未填写',
      // one subject: keys
      'subject-h': '科目 {code} {name}', 'keys-h': '答案标准',
      'keys-secret': '答案标准属机密：本页只列出卷型、版本、题数和摘要，不显示答案内容。',
      'keys-empty': '尚未载入答案标准。先载入母卷，再载入其他卷型。',
      'k-form': '卷型', 'k-version': '版本', 'k-kind': '母卷或换位', 'k-items': '题数', 'k-digest': '摘要', 'k-at': '载入时间',
      'form-n': '{f} 卷', 'version-n': '第 {n} 版', master: '母卷', permuted: '母卷 {m} 卷按题序、选项换位', 'permuted-any': '按母卷换位',
      'items-n': '{n} 题', 'in-use': '在用', superseded: '已有新版',
      'load-h': '载入答案标准', 'load-file': '从文件读入（.json，选填）', 'load-text': '答案标准（JSON）',
      'load-hint': '母卷如 {"form":"A","master":true,"items":[{"kind":"single","options":4,"key":"B","points":1}, …]}；其他卷型不写 master，另附 "perm":{"items":[母卷题号, …],"options":["BADC", …]}。题型：single 单选、multiple 多选、indeterminate 不定项、true_false 判断（A 对、B 错）；partial：per_option 每选对一项得分、fixed 少选得固定分。',
      'load-send': '载入答案标准', 'need-json': '请粘贴答案标准（JSON），或选择文件。', 'bad-json': '不是有效的 JSON：{msg}',
      'not-object': '答案标准应是一个 JSON 对象（以 { 开头）。', 'file-read': '已读入文件：{name}（{n} 个字符）。',
      'file-unreadable': '无法读取这个文件：{msg}', sending: '正在提交…',
      loaded: '已载入 {form} 卷第 {v} 版答案标准（{items} 题，{kind}），摘要 {digest}。',
      'server-problem': '问题：{p}', 'field-problems': '答案标准中的问题：',
      'kf-item': '第 {n} 题', 'kf-kind': '题型', 'kf-options': '选项数', 'kf-key': '答案', 'kf-points': '分值',
      'kf-partial': '部分得分方式', 'kf-partial_points': '部分得分', 'kf-form': '卷型', 'kf-master': '是否母卷', 'kf-perm': '换位表',
      'kf-items': '题目', 'kf-perm-items': '换位表 · 第 {n} 题对应的母卷题号', 'kf-perm-options': '换位表 · 第 {n} 题的选项顺序',
      // one subject: runs
      'runs-h': '评分',
      'runs-lead': '按已发布的考场编排中报考该科目的考生评分：没有答卷的记为缺考（不记零分）；生效的处理决定在评分时执行（成绩无效或零分），分数本身不能修改。每次评分都保留；同样的输入得到同样的结果摘要。',
      'run-send': '评分', running: '正在评分，请稍候…', 'runs-none': '尚未评分。',
      'n-th': '第 {n} 次', 'r-no': '次序', 'r-at': '评分时间', 'r-by': '评分人', 'r-candidates': '应考', 'r-scored': '已评分',
      'r-absent': '缺考', 'r-zeroed': '零分', 'r-cancelled': '成绩无效', 'r-digest': '结果摘要', 'r-same': '说明', 'r-open': '查看成绩', 'r-analysis': '试题分析',
      'same-as': '与第 {n} 次评分结果一致', viewing: '（正在查看）',
      ran: '第 {n} 次评分完成：应考 {c} 人，已评分 {s} 人，缺考 {a} 人，零分 {z} 人，成绩无效 {x} 人。',
      // a run's scores
      'scores-h': '第 {n} 次评分的成绩', 'keys-used': '所用答案标准', 'key-used': '{f} 卷第 {v} 版', 'run-meta': '{at} · {by}',
      'd-rules': '评分规则摘要', 'd-answers': '答卷摘要', 'd-outcomes': '处理决定摘要', 'd-result': '结果摘要',
      's-ticket': '准考证号', 's-form': '卷型', 's-status': '状态', 's-raw': '原始分', 's-final': '最终分', 's-case': '处理决定',
      'st-scored': '已评分', 'st-zero': '零分（处理决定）', 'st-cancelled': '成绩无效（处理决定）', 'st-absent': '缺考',
      'case-n': '案件 #{id}', 'scores-none': '本次评分没有考生。', prev: '上一页', next: '下一页',
      page: '第 {p} 页：第 {from}–{to} 人', per: '每页人数', 'scores-loading': '正在加载成绩…',
      'cc-running': '正在逐人重新计算…',
      'cc-clean': '复核一致：{n} 人逐人重新计算（参照评分程序），与存储的结果完全一致。',
      'cc-diff': '复核发现 {d} 处差异（{n} 人）：存储的结果与重新计算不一致，发布前须查明。',
      'cc-inputs': '本次评分之后，{what}已有变化：请重新评分。', 'cc-answers': '答卷库', 'cc-outcomes': '生效的处理决定',
      'cc-stored': '存储的结果', 'cc-recomputed': '重新计算',
      // the cross-check's findings (GRD-7): on the record, they do not block publication
      'cc-marks': '主观题评分', 'f-h': '其他发现 {n} 项（已随复核存档，不影响发布，须有人查看）', 'f-more': '仅列出前 {n} 项。',
      'f-room': '考点 {c} 考场 {r}（第 {no} 考场，{n} 人）', 'f-centre': '考点 {c}（{n} 人）',
      'f-peers-centre': '本考点其他考场', 'f-peers-exam': '全部其他考生',
      'f-mean': '{who}：平均分 {m}，{peers}为 {pm}，相差 {z} 个标准误。',
      'f-variance': '{who}：分数异常集中，标准差 {sd}，{peers}为 {psd}（p = {p}）。',
      'f-identical': '{who}：{k} 人总分同为 {v}（p = {p}）。',
      'f-mark_without_sheet': '准考证 {t}：无答题卡（缺考）却有主观题评分 {s}，未计分。',
      'f-sheet_without_mark': '准考证 {t}：有答题卡却无主观题评分，未计分。',
      'f-recorded_absent_with_sheet': '准考证 {t}：考场记录为缺考，却有答题卡。',
      'f-recorded_absent_with_mark': '准考证 {t}：考场记录为缺考，却有主观题评分。',
      'f-decision_on_absent': '准考证 {t}：案件 #{c} 决定记零分，但考生缺考。',
      'f-decision_not_seated': '报名 #{reg}：案件 #{c} 的决定涉及本科目，但考生未安排本科目座位。',
      'f-mark_not_seated': '报名 #{reg}：有主观题评分，但未安排本科目座位。',
      'f-mark_unsettled': '报名 #{reg}：评分未能按规则得出最终分。',
      'x-findings': '发现 {n} 项', 'st-anomaly': '异常（未计分）', 'parts': '客观 {o} + 主观 {s}',
      'ran-marks': '已计入经复核确认的主观题评分；异常 {n} 人（有答题卡无评分或有评分无答题卡，未计分，见复核的发现）。',
      // cross-checks on record (GRD-7)
      'cc-send': '复核并存档（逐人重新计算）', 'cc-kept': '已存档为第 {id} 号复核记录。',
      'cc-kept-h': '已存档的复核', 'cc-none': '这次评分还没有存档的复核。发布成绩前，须复核各科目最近一次评分并存档。',
      'cc-not-latest': '这不是本科目最近一次评分：发布成绩只使用各科目最近一次评分及其复核记录。',
      'x-no': '编号', 'x-at': '复核时间', 'x-by': '复核人', 'x-result': '结果', 'x-candidates': '人数', 'x-digest': '结果摘要',
      'x-clean': '一致', 'x-diff': '{d} 处差异', 'c-xc': '最近一次评分的复核',
      'xc-clean': '一致（{by}，{at}）', 'xc-diff': '{d} 处差异（{by}，{at}）', 'xc-none': '未复核',
      // publication (GRD-8, INF-4)
      'pub-h': '成绩发布',
      'pub-lead': '发布冻结各科目最近一次评分的成绩，生成考生查询记录（准考证号、身份证件号码和姓名三项相符才能查到；姓名遮挡显示）。每个科目最近一次评分须有存档的复核且结果一致，复核后答卷、答案标准和处理决定没有变动。准备发布和审批须是两个人（AB角）：审批通过前考生查不到，审批通过后替代此前发布的成绩。',
      'ready-h': '各科目准备情况', 'ready-ok': '{subject}：第 {n} 次评分，复核一致（{by}，{at}）',
      'ready-no-run': '{subject}：尚未评分', 'ready-no-xc': '{subject}：第 {n} 次评分尚未复核存档',
      'ready-diff': '{subject}：第 {n} 次评分的复核发现 {d} 处差异，须重新评分并复核',
      'ready-note': '能否发布以服务器的检查为准（包括复核之后数据是否有变动）。',
      'mark-ok': '已就绪', 'mark-no': '未就绪',
      'pub-send': '准备发布', 'pub-sending': '正在生成考生查询记录，请稍候…',
      'confirm-publish': '准备发布“{exam}”的成绩：冻结{runs}的成绩，生成考生查询记录，提交给另一人审批。审批通过后，考生即可凭准考证号、身份证件号码和姓名查询{replace}。确定准备发布吗？',
      'confirm-replace': '，并替代正在发布的第 {id} 号', 'run-of': '{code} 第 {n} 次评分', 'run-id': '{code} 评分 #{id}',
      prepared: '已准备第 {id} 号成绩发布（{n} 名考生），等待另一人审批（审批单 #{ap}）。',
      'pubs-h': '发布记录', 'pubs-none': '还没有成绩发布。',
      'p-id': '编号', 'p-status': '状态', 'p-cands': '考生', 'p-runs': '所用评分', 'p-digest': '摘要', 'p-by': '准备人',
      'p-checker': '审批人', 'p-at': '准备时间', 'p-pub-at': '发布时间', 'p-act': '操作',
      'ps-pending': '待审批', 'ps-published': '已发布', 'ps-rejected': '已驳回', 'ps-superseded': '已被替代',
      'who-approves': '须由准备人以外、有权审批成绩发布的人员（考试机构所属考试主管部门）批准。',
      'to-approvals': '到工作台“待审批事项”审批', 'approval-n': '审批单 #{id}',
      'approve-send': '批准发布', 'reject-send': '驳回',
      'confirm-approve': '批准第 {id} 号成绩发布（{n} 名考生）？批准后考生立即可以查询{replace}。',
      'confirm-reject': '驳回第 {id} 号成绩发布？这次发布的成绩不会对考生公开。请写明理由（准备人可见）。',
      'approved-pub': '第 {id} 号成绩发布已批准：考生现在可以查询。', 'rejected-pub': '第 {id} 号成绩发布已驳回。',
      'lookup-link': '考生查询页',
    },
    en: {
      brand: 'Objective scoring', title: 'Objective scoring', skip: 'Skip to the content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Give the reason.', 'to-console': 'Back to the console', 'to-cases': 'Violation cases', 'to-reviews': 'Score review and certificates',
      lead: 'Load the answer key of each paper form (the master first; every other form must be exactly the master with its items and options permuted) → after the exam, import the scanned answer cards with a second staff member as witness → score each subject. Decisions in force apply when scoring; scores are never edited, and the same inputs give the same result digest.',
      exam: 'Exam', show: 'Show', 'no-exams': 'No exam you may see.', 'exam-missing': 'No exam "{code}", or you may not see it.',
      'cst-note': 'Times are China time.', none: '—', 'digest-full': 'Full digest: {d}',
      'exam-date': 'Exam date {d}', 'subjects-none': 'The exam has no subjects yet.',
      'c-subject': 'Subject', 'c-starts': 'Starts', 'c-keys': 'Answer keys', 'c-sheets': 'Answer database', 'c-last': 'Last scored',
      'keys-none-short': 'none loaded', 'sheets-n': '{n} sheets', 'sheets-1': '1 sheet', 'last-none': 'not scored', 'last-run': 'run {n} · {at}',
      'key-chip': 'form {form} v{v}', 'master-mark': ' (master)', 'tabs': 'Choose a subject',
      'answers-h': 'Answer database (scanned cards)', 'per-subject': 'Sheets in the database:', 'per-item': '{code} {name}: {n}',
      'imports-h': 'Imports', 'imports-none': 'No answers imported yet.', 'i-file': 'File', 'i-sheets': 'Sheets', 'i-by': 'Imported by',
      'i-witness': 'Witness', 'i-at': 'Imported', unnamed: '(file without a name)',
      'bk-h': 'Answer-data backups (daily, kept apart by different people)', 'bk-none': 'No answer-data backups yet.', 'bk-id': 'Backup', 'bk-subject': 'Subject', 'bk-sheets': 'Sheets',
      'bk-by': 'Made by', 'bk-at': 'Made', 'bk-keeper': 'Keeper', 'bk-where': 'Kept at', 'bk-all': 'All subjects', 'bk-waiting': 'Awaiting a keeper',
      'bk-overdue': 'Overdue: {n} sheets imported on {date} had no backup in a keeper\'s custody by the end of that day.', 'bk-today': '{n} sheets imported today ({date}): back them up and hand the backup to a keeper before the day ends.',
      'bk-ok': 'Every imported sheet is in a backup in a keeper\'s custody.',
      'upload-h': 'Import scanner output', 'upload-file': 'Scanner output (CSV)',
      'upload-file-hint': 'Columns: ticket_no, subject (the subject code), form (the paper form), answers (one symbol per item: A–G a single option, a base-36 digit a set of options, - blank, * or ? unreadable).',
      witness: 'Witness username', 'witness-hint': 'Answer cards are read with a second staff member present (GRD-4): their username, not yours.',
      'upload-send': 'Import answers', 'need-csv': 'Choose the scanner output file (CSV).', 'need-witness': 'Give the username of the witness present.',
      'confirm-import': 'Import "{file}" with {witness} as witness. Sheets in the database are never edited or removed, and a candidate\'s sheet for a subject cannot be imported twice; if the file has any problem, nothing is imported. Import?',
      importing: 'Importing the answers…', imported: '{n} sheets imported ({file}): {per}.',
      'nothing-imported': 'Nothing was imported. Fix the file as the table says, then import the whole file again.',
      'problems-caption': 'Problems in the file ({n})', 'r-line': 'Line', 'r-field': 'Column', 'r-problem': 'Problem', 'r-note': 'Note',
      'f-ticket_no': 'Ticket number', 'f-subject': 'Subject', 'f-form': 'Paper form', 'f-answers': 'Answers',
      'p-unknown_ticket': 'No such ticket number in the exam\'s published seating', 'p-not_registered_for_subject': 'The candidate did not register for this subject',
      'p-duplicate_in_file': 'The same candidate and subject appear twice in the file', 'p-duplicate': 'This candidate\'s sheet for the subject is in the database already',
      'p-answers_invalid': 'The answer string is wrong', 'p-form_without_key': 'This paper form has no answer key', 'p-unknown_subject': 'The exam has no such subject',
      'p-no_key': 'The subject has no answer key yet', 'p-required': 'Missing',
      'subject-h': 'Subject {code} {name}', 'keys-h': 'Answer keys',
      'keys-secret': 'Answer keys are confidential: this page lists forms, versions, items and digests, never the answers.',
      'keys-empty': 'No answer key loaded. Load the master form first, then the other forms.',
      'k-form': 'Form', 'k-version': 'Version', 'k-kind': 'Master or permutation', 'k-items': 'Items', 'k-digest': 'Digest', 'k-at': 'Loaded',
      'form-n': 'Form {f}', 'version-n': 'v{n}', master: 'Master', permuted: 'Master form {m} with items and options permuted', 'permuted-any': 'Permuted master',
      'items-n': '{n} items', 'in-use': 'in use', superseded: 'superseded',
      'load-h': 'Load an answer key', 'load-file': 'Read from a file (.json, optional)', 'load-text': 'Answer key (JSON)',
      'load-hint': 'The master like {"form":"A","master":true,"items":[{"kind":"single","options":4,"key":"B","points":1}, …]}; another form without master, with "perm":{"items":[master item numbers, …],"options":["BADC", …]}. Kinds: single, multiple, indeterminate, true_false (A true, B false); partial: per_option or fixed.',
      'load-send': 'Load the key', 'need-json': 'Paste the answer key (JSON) or choose a file.', 'bad-json': 'This is not valid JSON: {msg}',
      'not-object': 'An answer key is a JSON object (it starts with {).', 'file-read': 'Read {name} ({n} characters).',
      'file-unreadable': 'Cannot read the file: {msg}', sending: 'Sending…',
      loaded: 'Form {form} key v{v} loaded ({items} items, {kind}); digest {digest}.',
      'server-problem': 'Problem: {p}', 'field-problems': 'Problems in the key:',
      'kf-item': 'item {n}', 'kf-kind': 'kind', 'kf-options': 'options', 'kf-key': 'key', 'kf-points': 'points',
      'kf-partial': 'partial credit', 'kf-partial_points': 'partial points', 'kf-form': 'form', 'kf-master': 'master', 'kf-perm': 'permutation',
      'kf-items': 'items', 'kf-perm-items': 'permutation · master item of item {n}', 'kf-perm-options': 'permutation · option order of item {n}',
      'runs-h': 'Scoring',
      'runs-lead': 'Scores the candidates seated for the subject in the published seating: no sheet is absent (never zero); decisions in force apply when scoring (cancelled or zero), the scores are never edited. Every run is kept; the same inputs give the same result digest.',
      'run-send': 'Score', running: 'Scoring…', 'runs-none': 'Not scored yet.',
      'n-th': 'Run {n}', 'r-no': 'Run', 'r-at': 'Scored', 'r-by': 'By', 'r-candidates': 'Candidates', 'r-scored': 'Scored',
      'r-absent': 'Absent', 'r-zeroed': 'Zero', 'r-cancelled': 'Cancelled', 'r-digest': 'Result digest', 'r-same': 'Note', 'r-open': 'Show scores', 'r-analysis': 'Item analysis',
      'same-as': 'Same result as run {n}', viewing: ' (shown)',
      ran: 'Run {n} done: {c} candidates, {s} scored, {a} absent, {z} zero, {x} cancelled.',
      'scores-h': 'Scores of run {n}', 'keys-used': 'Keys used', 'key-used': 'form {f} v{v}', 'run-meta': '{at} · {by}',
      'd-rules': 'Rules digest', 'd-answers': 'Answers digest', 'd-outcomes': 'Decisions digest', 'd-result': 'Result digest',
      's-ticket': 'Ticket number', 's-form': 'Form', 's-status': 'Status', 's-raw': 'Raw score', 's-final': 'Final score', 's-case': 'Decision',
      'st-scored': 'Scored', 'st-zero': 'Zero (decision)', 'st-cancelled': 'Cancelled (decision)', 'st-absent': 'Absent',
      'case-n': 'Case #{id}', 'scores-none': 'The run has no candidates.', prev: 'Previous page', next: 'Next page',
      page: 'Page {p}: candidates {from}–{to}', per: 'Per page', 'scores-loading': 'Loading the scores…',
      'cc-running': 'Recomputing each candidate…',
      'cc-clean': 'Cross-check clean: {n} candidates recomputed (with the reference scorer) give exactly the stored result.',
      'cc-diff': 'The cross-check found {d} differences ({n} candidates): the stored result and the recomputation disagree; find out why before publishing.',
      'cc-inputs': 'Since this run, {what} changed: score again.', 'cc-answers': 'the answer database', 'cc-outcomes': 'the decisions in force',
      'cc-stored': 'Stored', 'cc-recomputed': 'Recomputed',
      'cc-marks': 'the script marks', 'f-h': '{n} further findings (kept with the cross-check; they do not block publication, but someone must look at them)', 'f-more': 'The first {n} are listed.',
      'f-room': 'Centre {c} room {r} (exam room {no}, {n} candidates)', 'f-centre': 'Centre {c} ({n} candidates)',
      'f-peers-centre': 'the rest of the centre', 'f-peers-exam': 'the rest of the exam',
      'f-mean': '{who}: mean {m} against {pm} for {peers}, {z} standard errors away.',
      'f-variance': '{who}: totals abnormally alike, sd {sd} against {psd} for {peers} (p = {p}).',
      'f-identical': '{who}: {k} candidates share the total {v} (p = {p}).',
      'f-mark_without_sheet': 'Ticket {t}: no answer sheet (absent) but a script mark of {s}; not scored.',
      'f-sheet_without_mark': 'Ticket {t}: an answer sheet but no script mark; not scored.',
      'f-recorded_absent_with_sheet': 'Ticket {t}: absent per the room record, yet has an answer sheet.',
      'f-recorded_absent_with_mark': 'Ticket {t}: absent per the room record, yet has a script mark.',
      'f-decision_on_absent': 'Ticket {t}: case #{c} decided a zero, but the candidate was absent.',
      'f-decision_not_seated': 'Registration #{reg}: case #{c} decides on this subject, which the candidate is not seated for.',
      'f-mark_not_seated': 'Registration #{reg}: a script mark, but not seated for the subject.',
      'f-mark_unsettled': 'Registration #{reg}: the marks do not settle a final under the rule.',
      'x-findings': '{n} findings', 'st-anomaly': 'Anomaly (not scored)', 'parts': 'objective {o} + subjective {s}',
      'ran-marks': 'The confirmed marking\'s marks are included; {n} anomalies (a sheet without a mark or a mark without a sheet: not scored; see the cross-check\'s findings).',
      'cc-send': 'Cross-check and keep on record (recompute each candidate)', 'cc-kept': 'Kept on record as cross-check no. {id}.',
      'cc-kept-h': 'Cross-checks on record', 'cc-none': 'No cross-check of this run on record. Before publishing, cross-check the latest run of every subject and keep it.',
      'cc-not-latest': 'This is not the subject\'s latest run: a publication uses the latest run of each subject and its cross-check.',
      'x-no': 'No.', 'x-at': 'Checked', 'x-by': 'By', 'x-result': 'Result', 'x-candidates': 'Candidates', 'x-digest': 'Result digest',
      'x-clean': 'clean', 'x-diff': '{d} differences', 'c-xc': 'Cross-check of the latest run',
      'xc-clean': 'clean ({by}, {at})', 'xc-diff': '{d} differences ({by}, {at})', 'xc-none': 'not cross-checked',
      'pub-h': 'Publication of scores',
      'pub-lead': 'A publication freezes the scores of each subject\'s latest run into look-up records (found only when the ticket number, identity number and name all match; the name shown masked). The latest run of every subject needs a clean cross-check on record, with no answers, keys or decisions changed since. One person prepares, another approves (maker-checker): candidates see nothing before the approval, and the approved publication replaces the one before.',
      'ready-h': 'Subjects', 'ready-ok': '{subject}: run {n}, cross-checked clean ({by}, {at})',
      'ready-no-run': '{subject}: not scored', 'ready-no-xc': '{subject}: run {n} has no cross-check on record',
      'ready-diff': '{subject}: the cross-check of run {n} found {d} differences; score it again and cross-check it',
      'ready-note': 'The server\'s checks decide (they also see whether anything changed after a cross-check).',
      'mark-ok': 'ready', 'mark-no': 'not ready',
      'pub-send': 'Prepare the publication', 'pub-sending': 'Writing the look-up records…',
      'confirm-publish': 'Prepare the publication of the scores of "{exam}": the scores of {runs} are frozen into look-up records and sent to a second person for approval. Once approved, candidates can look them up by ticket number, identity number and name{replace}. Prepare it?',
      'confirm-replace': ', replacing publication no. {id} in force', 'run-of': '{code} run {n}', 'run-id': '{code} run #{id}',
      prepared: 'Publication no. {id} ({n} candidates) prepared; it waits for a second person\'s approval (approval #{ap}).',
      'pubs-h': 'Publications', 'pubs-none': 'No publication yet.',
      'p-id': 'No.', 'p-status': 'Status', 'p-cands': 'Candidates', 'p-runs': 'Runs', 'p-digest': 'Digest', 'p-by': 'Prepared by',
      'p-checker': 'Approved by', 'p-at': 'Prepared', 'p-pub-at': 'Published', 'p-act': 'Actions',
      'ps-pending': 'Pending', 'ps-published': 'Published', 'ps-rejected': 'Rejected', 'ps-superseded': 'Superseded',
      'who-approves': 'To be approved by someone other than the preparer who may approve publications (the authority over the exam\'s agency).',
      'to-approvals': 'Approve it under "Pending approvals" in the console', 'approval-n': 'approval #{id}',
      'approve-send': 'Approve', 'reject-send': 'Reject',
      'confirm-approve': 'Approve publication no. {id} ({n} candidates)? Candidates can look up their scores at once{replace}.',
      'confirm-reject': 'Reject publication no. {id}? Its scores are never shown to candidates. Give the reason (the preparer sees it).',
      'approved-pub': 'Publication no. {id} approved: candidates can look up their scores now.', 'rejected-pub': 'Publication no. {id} rejected.',
      'lookup-link': 'The candidates\' look-up page',
    },
  };
  const STATUS = ['scored', 'zero', 'cancelled', 'absent', 'anomaly'];
  const PER = [20, 50, 100, 500];
  const q0 = new URLSearchParams(location.search);
  const perWanted = Number(q0.get('per'));
  const S = {
    me: null, exams: [], exam: null, subjects: [], answers: null, keys: {}, runs: {}, subject: q0.get('subject') || '',
    xc: {}, pubs: null, approvals: null,
    run: Number(q0.get('run')) || 0, per: perWanted >= 1 && perWanted <= 1000 ? perWanted : 50, cursors: [0], page: 0, busy: false,
  };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false);
  const en = () => K.lang === 'en';
  const sep = () => (en() ? ', ' : '、');
  let uid = 0;

  // ---- small pieces ----
  // A digest shortened to 12 characters; the whole one read out and shown on hover.
  const hex = (d) => (d ? h('code', { class: 'hex', title: d, 'aria-label': t('digest-full', { d }) }, d.length > 12 ? d.slice(0, 12) + '…' : d) : t('none'));
  const subjectOf = (code) => S.subjects.find((s) => s.code === code);
  const subjectName = (code) => { const s = subjectOf(code); return s ? `${code} ${s.name}` : code; };
  function table(cls, caption, cols, rows) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid stack ' + cls }, caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, cols.map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', cells.cls ? { class: cells.cls } : {}, cells.map((v, i) =>
        h('td', { class: cols[i][1] || null, 'data-label': cols[i][0] }, v === '' || v === null ? null : h('span', { class: 'v' }, v))))))));
  }
  // A labelled field: its hint and its error read out with it.
  function field(label, input, hint) {
    const id = input.id || 'sf' + (++uid);
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
  const needs = (el, text) => { markField(el, text); el.focus(); return null; };
  // The server's refusal in a box: its message and code, and what the page adds from details.
  function refusal(r, box, extra) {
    K.showError(r, (d) => {
      const kids = [];
      if (typeof d.problem === 'string' && !r.json.error.message.includes(d.problem)) kids.push(h('p', { class: 'problem' }, t('server-problem', { p: d.problem })));
      if (extra) kids.push(extra(d));
      return kids;
    }, box);
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
    if (S.exam) u.set('exam', S.exam.code);
    if (S.subject) u.set('subject', S.subject);
    if (S.run) u.set('run', String(S.run));
    if (perWanted && S.per === perWanted) u.set('per', String(S.per));
    history.replaceState(null, '', '?' + u.toString());
  }

  // ---- start: who is here, the exams they reach, the one asked for ----
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

  function view(exam, refused, missing) {
    flash('');
    const kids = [h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')),
        h('a', { href: '/cases.html', class: 'dl-link' }, t('to-cases')),
        h('a', { href: '/reviews.html' + (exam ? '?exam=' + encodeURIComponent(exam.code) : ''), class: 'dl-link', id: 'to-reviews' }, t('to-reviews')))];
    if (S.exams.length) {
      const sel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: e.code }, `${e.name}（${e.code}）`)));
      if (exam) sel.value = exam.code;
      kids.push(h('form', { class: 'row bar', role: 'search', 'aria-label': t('exam'), onsubmit: (ev) => {
        ev.preventDefault();
        const e = S.exams.find((x) => x.code === sel.value);
        if (!e) return;
        if (!S.exam || e.id !== S.exam.id) { S.subject = ''; S.run = 0; S.cursors = [0]; S.page = 0; }
        view(e);
      } }, h('label', { for: 'exam' }, t('exam')), sel, h('button', { type: 'submit', class: 'btn primary' }, t('show'))));
    }
    const body = h('div', { id: 'exam-body' });
    kids.push(body);
    $('view').replaceChildren(...kids);
    if (refused) return refusal(refused, body);
    if (missing) return body.replaceChildren(h('div', { class: 'alert', role: 'alert' }, missing));
    if (!exam) return body.replaceChildren(h('p', {}, t('no-exams')));
    S.exam = exam;
    body.replaceChildren(h('section', { id: 'subjects', class: 'card', 'aria-labelledby': 'subjects-h' }, h('p', { class: 'hint' }, t('loading'))),
      h('section', { id: 'publications', class: 'card', 'aria-labelledby': 'pub-h', hidden: true }),
      h('section', { id: 'answers', class: 'card', 'aria-labelledby': 'answers-h' }),
      h('section', { id: 'subject', class: 'card', 'aria-labelledby': 'subject-h' }),
      h('section', { id: 'scores', class: 'card', 'aria-labelledby': 'scores-h', hidden: true }));
    loadExam();
  }

  // Everything about the exam: its subjects, the answer database, each subject's keys and runs.
  async function loadExam() {
    const exam = S.exam;
    const [subj, ans, bk] = await Promise.all([api('GET', '/api/v1/subjects?exam_id=' + exam.id + '&limit=100'), api('GET', '/api/v1/exams/' + exam.id + '/answers'),
      api('GET', '/api/v1/exams/' + exam.id + '/answer_backups')]);
    if (S.exam !== exam) return;
    if (!subj.ok) { refusal(subj, $('subjects')); return; }
    S.subjects = subj.json.items.slice().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    S.answers = ans;
    S.backups = bk;
    const per = await Promise.all(S.subjects.map((s) => Promise.all([
      api('GET', `/api/v1/exams/${exam.id}/subjects/${encodeURIComponent(s.code)}/keys`),
      api('GET', `/api/v1/exams/${exam.id}/subjects/${encodeURIComponent(s.code)}/score_runs`)])));
    if (S.exam !== exam) return;
    S.keys = {};
    S.runs = {};
    S.subjects.forEach((s, i) => { S.keys[s.code] = per[i][0]; S.runs[s.code] = per[i][1]; });
    if (!subjectOf(S.subject)) S.subject = S.subjects.length ? S.subjects[0].code : '';
    const runs = S.runs[S.subject];
    if (S.run && !(runs && runs.ok && runs.json.items.some((x) => x.id === S.run))) S.run = 0;
    await loadPublishing();
    if (S.exam !== exam) return;
    setUrl();
    renderSubjects();
    renderPublications();
    renderAnswers();
    renderSubject();
    renderScores();
  }

  // What publication needs: the kept cross-checks of each subject's latest run, the exam's
  // publications, and the pending approvals this viewer may decide (403: none).
  async function loadPublishing() {
    const exam = S.exam;
    const last = S.subjects.map((s) => lastRun(s.code)).filter(Boolean);
    const [pubs, aps, ...xcs] = await Promise.all([api('GET', `/api/v1/exams/${exam.id}/publications`),
      api('GET', '/api/v1/approvals?status=pending'), ...last.map((x) => api('GET', `/api/v1/score_runs/${x.id}/crosschecks`))]);
    if (S.exam !== exam) return;
    S.pubs = pubs;
    S.approvals = aps.ok ? aps.json.items : [];
    S.xc = {};
    last.forEach((x, i) => { S.xc[x.id] = xcs[i]; });
  }
  // After a cross-check or a publication step: the exam's overview and the publication panel again.
  async function refreshPublishing() {
    await loadPublishing();
    renderSubjects();
    renderPublications();
  }

  // ---- the exam's subjects at a glance ----
  const keyList = (r) => (r && r.ok ? r.json.items : []);
  const runList = (r) => (r && r.ok ? r.json.items : []);
  const lastRun = (code) => { const v = runList(S.runs[code]); return v.length ? v[v.length - 1] : null; };
  // A run's number within its subject (1 = the first), 0 when unknown.
  const runNo = (code, id) => runList(S.runs[code]).findIndex((x) => x.id === id) + 1;
  // The latest cross-check on record of a run (from S.xc), or null.
  const lastXc = (runId) => { const r = S.xc[runId]; return r && r.ok && r.json.items.length ? r.json.items[0] : null; };
  // The latest version of each form (what a run uses).
  function latest(keys) {
    const m = {};
    for (const k of keys) if (!m[k.form] || m[k.form].version < k.version) m[k.form] = k;
    return m;
  }
  function renderSubjects() {
    const box = $('subjects');
    const e = S.exam;
    const head = [h('h2', { id: 'subjects-h' }, `${e.name}（${e.code}）`),
      e.exam_date ? h('p', { class: 'hint' }, t('exam-date', { d: e.exam_date })) : null];
    if (!S.subjects.length) return box.replaceChildren(...head, h('p', {}, t('subjects-none')));
    const sheets = S.answers && S.answers.ok ? S.answers.json.subjects : [];
    const rows = S.subjects.map((s) => {
      const kr = S.keys[s.code];
      const cur = Object.values(latest(keyList(kr)));
      const keys = !kr.ok ? h('span', { class: 'hint' }, kr.json.error.message)
        : cur.length ? cur.map((k, i) => [i ? sep() : '', t('key-chip', { form: k.form, v: k.version }), k.master ? t('master-mark') : ''])
          : h('span', { class: 'flag warn' }, t('keys-none-short'));
      const sh = sheets.find((x) => x.code === s.code);
      const runs = runList(S.runs[s.code]);
      const last = runs.length ? t('last-run', { n: runs.length, at: cst(runs[runs.length - 1].created_at) }) : h('span', { class: 'hint' }, t('last-none'));
      const link = h('a', { href: '?exam=' + encodeURIComponent(e.code) + '&subject=' + encodeURIComponent(s.code), class: 'subject-link',
        'aria-current': s.code === S.subject ? 'true' : null, onclick: (ev) => { ev.preventDefault(); choose(s.code); } }, `${s.code} ${s.name}`);
      const lr = lastRun(s.code), x = lr ? lastXc(lr.id) : null;
      const xc = !lr ? t('none') : !x ? h('span', { class: 'flag warn' }, t('xc-none'))
        : h('span', { class: x.differences ? 'flag bad-text' : 'ok' }, t(x.differences ? 'xc-diff' : 'xc-clean', { d: x.differences, by: x.checked_by, at: cst(x.created_at) }));
      return [link, cst(s.starts_at) || t('none'), keys, sh ? t(sh.sheets === 1 && K.has('sheets-1') ? 'sheets-1' : 'sheets-n', { n: sh.sheets }) : t('none'), last, xc];
    });
    box.replaceChildren(...head, table('subjects-list', null,
      [[t('c-subject')], [t('c-starts')], [t('c-keys')], [t('c-sheets'), 'num'], [t('c-last')], [t('c-xc')]], rows),
    h('p', { class: 'hint' }, t('cst-note')));
  }
  function choose(code) {
    if (code === S.subject) { $('subject-h').focus(); return; }
    S.subject = code; S.run = 0; S.cursors = [0]; S.page = 0;
    setUrl();
    renderSubjects();
    renderSubject();
    renderScores();
    $('subject-h').focus();
  }

  // ---- the answer database: imports, sheets per subject, the import form ----
  function renderAnswers() {
    const box = $('answers');
    const r = S.answers;
    const kids = [h('h2', { id: 'answers-h' }, t('answers-h'))];
    const list = h('div', { id: 'imports' });
    if (!r.ok) {
      list.append(h('div', { class: 'alert', role: 'alert' }, r.json.error.message, h('span', { class: 'hint' }, t('error-code', { code: r.json.error.code }))));
    } else {
      list.append(h('p', { class: 'per-subject' }, h('b', {}, t('per-subject')), ' ',
        r.json.subjects.map((s, i) => [i ? sep() : '', h('span', { class: 'chip' }, t('per-item', { code: s.code, name: s.name, n: s.sheets }))])));
      const items = r.json.items.slice().reverse();
      list.append(h('h3', {}, t('imports-h')), items.length
        ? table('imports-list', null, [[t('i-file')], [t('i-sheets'), 'num'], [t('i-by')], [t('i-witness')], [t('i-at')]],
          items.map((x) => [[h('span', { class: 'fname' }, x.filename || t('unnamed')), ' ', hex(x.file_sha256)], String(x.sheets), x.imported_by, x.witness, cst(x.created_at)]))
        : h('p', { class: 'hint' }, t('imports-none')));
    }
    kids.push(list, backupsPart(), uploadForm());
    box.replaceChildren(...kids);
  }

  // GRD-4: the answer-data backups and the days with imports not in a backup in custody.
  function backupsPart() {
    const r = S.backups;
    const kids = [h('h3', { id: 'answer-backups-h' }, t('bk-h'))];
    if (!r || !r.ok) return h('div', { id: 'answer-backups' }, kids);
    const d = r.json;
    d.overdue.forEach((o) => kids.push(h('div', { class: 'alert', role: 'alert' }, t('bk-overdue', { date: o.date, n: o.sheets }))));
    if (d.due_today) kids.push(h('p', { class: 'hint' }, h('b', {}, t('bk-today', { date: d.due_today.date, n: d.due_today.sheets }))));
    if (!d.overdue.length && !d.due_today && d.items.length) kids.push(h('p', { class: 'hint' }, t('bk-ok')));
    kids.push(d.items.length
      ? table('backups-list', null, [[t('bk-id'), 'num'], [t('bk-subject')], [t('bk-sheets'), 'num'], [t('bk-by')], [t('bk-at')], [t('bk-keeper')], [t('bk-where')]],
        d.items.map((x) => [[String(x.id), ' ', hex(x.digest)], x.subject ? subjectName(x.subject) : t('bk-all'), String(x.sheets), x.made_by, cst(x.created_at),
          x.kept_by ? `${x.kept_by}（${cst(x.kept_at)}）` : t('bk-waiting'), x.location || t('none')]))
      : h('p', { class: 'hint' }, t('bk-none')));
    return h('div', { id: 'answer-backups', 'aria-labelledby': 'answer-backups-h' }, kids);
  }

  function uploadForm() {
    const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
    const witness = h('input', { type: 'text', name: 'witness', autocomplete: 'off', maxlength: '64', spellcheck: 'false' });
    const live = h('div', { class: 'step-msg', id: 'upload-msg', 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit', class: 'btn primary' }, t('upload-send'));
    const form = h('form', { class: 'step upload-form', novalidate: true, 'aria-labelledby': 'upload-h' },
      h('h3', { id: 'upload-h' }, t('upload-h')),
      h('div', { class: 'two' }, field(t('upload-file'), file, t('upload-file-hint')), field(t('witness'), witness, t('witness-hint'))),
      h('div', { class: 'row' }, btn), live);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (S.busy) return;
      clearErrors(form);
      live.replaceChildren();
      const f = file.files[0];
      if (!f) return needs(file, t('need-csv'));
      if (!witness.value.trim()) return needs(witness, t('need-witness'));
      // Sheets once imported are never edited or removed: say so, and who witnesses, first.
      if (!(await K.confirmBox(t('confirm-import', { file: f.name, witness: witness.value.trim() }), t('upload-send')))) return;
      S.busy = true;
      btn.disabled = true;
      working(live, t('importing'));
      let r;
      try {
        const q = new URLSearchParams({ witness: witness.value.trim(), filename: f.name });
        r = await api('POST', `/api/v1/exams/${S.exam.id}/answers?${q}`, new Blob([f], { type: 'text/csv' }));
      } finally {
        S.busy = false;
        btn.disabled = false;
      }
      if (!r.ok) {
        const code = r.json.error.code;
        if (code === 'ANSWERS_WITNESS') markField(witness, r.json.error.message);
        return refusal(r, live, (d) => (Array.isArray(d.rows) ? problemRows(d.rows) : null));
      }
      const per = Object.entries(r.json.subjects || {}).sort().map(([c, n]) => t('per-item', { code: c, name: (subjectOf(c) || {}).name || '', n })).join(sep());
      const msg = t('imported', { n: r.json.sheets, file: f.name, per });
      await loadExam();
      okFlash(msg);
      const again = $('upload-msg');
      if (again) again.replaceChildren(h('div', { class: 'alert ok' }, msg));
    });
    return form;
  }
  // IMPORT_INVALID: each problem of the file, by line, in words.
  function problemRows(rows) {
    return [h('p', { class: 'nothing' }, h('strong', {}, t('nothing-imported'))),
      table('problems', t('problems-caption', { n: rows.length }), [[t('r-line'), 'num'], [t('r-field')], [t('r-problem')], [t('r-note')]],
        rows.map((x) => [String(x.line), K.has('f-' + x.field) ? t('f-' + x.field) : x.field,
          K.has('p-' + x.problem) ? t('p-' + x.problem) : x.message || x.problem, x.note || '']))];
  }

  // ---- one subject: its keys and the key form, its runs and the button ----
  function renderSubject() {
    const box = $('subject');
    const s = subjectOf(S.subject);
    if (!s) { box.hidden = true; return box.replaceChildren(); }
    box.hidden = false;
    const tabs = S.subjects.length > 1 ? h('nav', { class: 'tabs', 'aria-label': t('tabs') }, h('ul', {}, S.subjects.map((x) => h('li', {},
      h('a', { href: '?exam=' + encodeURIComponent(S.exam.code) + '&subject=' + encodeURIComponent(x.code),
        'aria-current': x.code === S.subject ? 'page' : null, onclick: (ev) => { ev.preventDefault(); choose(x.code); } }, `${x.code} ${x.name}`))))) : null;
    box.replaceChildren(tabs, h('h2', { id: 'subject-h', tabindex: '-1' }, t('subject-h', { code: s.code, name: s.name })),
      h('div', { id: 'keys' }, keysPart(s)), h('div', { id: 'runs' }, runsPart(s)));
  }

  function keysPart(s) {
    const r = S.keys[s.code];
    const kids = [h('h3', {}, t('keys-h')), h('p', { class: 'hint secret' }, t('keys-secret'))];
    if (!r.ok) {
      kids.push(h('div', { class: 'alert', role: 'alert' }, r.json.error.message, h('span', { class: 'hint' }, t('error-code', { code: r.json.error.code }))));
    } else if (!r.json.items.length) {
      kids.push(h('p', { class: 'flag warn' }, t('keys-empty')));
    } else {
      const keys = r.json.items;
      const m = keys.find((k) => k.master);
      const cur = latest(keys);
      kids.push(table('keys-list', null, [[t('k-form')], [t('k-version')], [t('k-kind')], [t('k-items'), 'num'], [t('k-digest')], [t('k-at')]],
        keys.map((k) => {
          const row = [t('form-n', { f: k.form }), [t('version-n', { n: k.version }), ' ', cur[k.form] === k
            ? h('span', { class: 'badge in-use' }, t('in-use')) : h('span', { class: 'badge old' }, t('superseded'))],
          k.master ? h('span', { class: 'badge master' }, t('master')) : m ? t('permuted', { m: m.form }) : t('permuted-any'),
          t('items-n', { n: k.items }), hex(k.digest), cst(k.created_at)];
          if (cur[k.form] !== k) row.cls = 'old';
          return row;
        })));
    }
    kids.push(keyForm(s));
    return kids;
  }

  function keyForm(s) {
    const file = h('input', { type: 'file', name: 'keyfile', accept: '.json,application/json' });
    const text = h('textarea', { name: 'key', rows: '8', spellcheck: 'false', autocomplete: 'off', class: 'json' });
    const fileNote = h('p', { class: 'hint', 'aria-live': 'polite' });
    const probs = h('div', { class: 'key-problems', 'aria-live': 'polite' });
    const live = h('div', { class: 'step-msg', id: 'key-msg', 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit', class: 'btn primary' }, t('load-send'));
    file.addEventListener('change', async () => {
      const f = file.files[0];
      if (!f) return;
      try {
        text.value = await f.text();
        fileNote.textContent = t('file-read', { name: f.name, n: text.value.length });
      } catch (e) {
        fileNote.textContent = t('file-unreadable', { msg: String(e.message || e) });
      }
    });
    const textField = field(t('load-text'), text, t('load-hint'));
    textField.append(probs);
    const form = h('form', { class: 'step key-form', novalidate: true, 'aria-label': t('load-h') },
      field(t('load-file'), file), fileNote, textField, h('div', { class: 'row' }, btn), live);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (S.busy) return;
      clearErrors(form);
      probs.replaceChildren();
      live.replaceChildren();
      const src = text.value.trim();
      if (!src) return needs(text, t('need-json'));
      let body;
      try { body = JSON.parse(src); } catch (e) { return needs(text, t('bad-json', { msg: e.message })); }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return needs(text, t('not-object'));
      S.busy = true;
      btn.disabled = true;
      working(live, t('sending'));
      let r;
      try {
        r = await api('POST', `/api/v1/exams/${S.exam.id}/subjects/${encodeURIComponent(s.code)}/keys`, body);
      } finally {
        S.busy = false;
        btn.disabled = false;
      }
      if (!r.ok) {
        const fields = r.json.error.details && r.json.error.details.fields;
        if (Array.isArray(fields) && fields.length) {
          text.setAttribute('aria-invalid', 'true');
          probs.replaceChildren(h('p', { class: 'err-head' }, t('field-problems')),
            h('ul', { class: 'err-list' }, fields.map((f) => h('li', {}, h('b', {}, where(f.field)), ' ', h('code', {}, f.field), '：', f.message || f.problem))));
        }
        return refusal(r, live);
      }
      const k = r.json;
      const msg = t('loaded', { form: k.form, v: k.version, items: k.items, kind: k.master ? t('master') : t('permuted-any'), digest: k.digest.slice(0, 12) + '…' });
      await loadExam();
      okFlash(msg);
    });
    return h('details', { class: 'fold key-fold', open: !keyList(S.keys[s.code]).length ? true : null },
      h('summary', {}, t('load-h')), form);
  }
  // A key's field path (items[3].key, perm.options[2]) in words.
  function where(path) {
    let m = /^items\[(\d+)\]\.(\w+)$/.exec(path);
    if (m) return t('kf-item', { n: m[1] }) + ' ' + (K.has('kf-' + m[2]) ? t('kf-' + m[2]) : m[2]);
    m = /^perm\.(items|options)\[(\d+)\]$/.exec(path);
    if (m) return t(m[1] === 'items' ? 'kf-perm-items' : 'kf-perm-options', { n: m[2] });
    if (/^perm\./.test(path)) return t('kf-perm');
    return K.has('kf-' + path) ? t('kf-' + path) : path;
  }

  // The runs of the subject, numbered from 1; a run giving the result of an earlier one says so.
  function sameAs(runs, i) {
    const j = runs.findIndex((x) => x.result_digest === runs[i].result_digest);
    return j < i ? j + 1 : 0;
  }
  function runsPart(s) {
    const r = S.runs[s.code];
    const live = h('div', { class: 'step-msg', id: 'run-msg', 'aria-live': 'polite' });
    const btn = h('button', { type: 'button', class: 'btn primary', id: 'do-run', onclick: () => scoreRun(s, btn, live) }, t('run-send'));
    const kids = [h('h3', {}, t('runs-h')), h('p', { class: 'hint' }, t('runs-lead')), h('div', { class: 'row actions' }, btn), live];
    if (!r.ok) {
      kids.push(h('div', { class: 'alert', role: 'alert' }, r.json.error.message, h('span', { class: 'hint' }, t('error-code', { code: r.json.error.code }))));
      return kids;
    }
    const runs = r.json.items;
    if (!runs.length) { kids.push(h('p', {}, t('runs-none'))); return kids; }
    const rows = runs.map((x, i) => {
      const same = sameAs(runs, i);
      const open = h('button', { type: 'button', class: 'btn small', 'aria-pressed': String(x.id === S.run),
        'aria-label': t('r-open') + ' · ' + t('n-th', { n: i + 1 }), onclick: () => openRun(x.id) }, t('r-open'));
      const row = [h('b', {}, t('n-th', { n: i + 1 }), x.id === S.run ? h('span', { class: 'hint' }, t('viewing')) : null), cst(x.created_at), x.run_by,
        String(x.candidates), String(x.scored), String(x.absent), String(x.zeroed), String(x.cancelled), hex(x.result_digest),
        same ? h('span', { class: 'same' }, t('same-as', { n: same })) : '', open];
      row.cls = 'run' + (x.id === S.run ? ' current' : '');
      return row;
    }).reverse();
    kids.push(table('runs-list', null, [[t('r-no')], [t('r-at')], [t('r-by')], [t('r-candidates'), 'num'], [t('r-scored'), 'num'], [t('r-absent'), 'num'],
      [t('r-zeroed'), 'num'], [t('r-cancelled'), 'num'], [t('r-digest')], [t('r-same')], ['', 'act']], rows));
    return kids;
  }

  async function scoreRun(s, btn, live) {
    if (S.busy) return;
    S.busy = true;
    btn.disabled = true;
    working(live, t('running'));
    let r;
    try {
      r = await api('POST', `/api/v1/exams/${S.exam.id}/subjects/${encodeURIComponent(s.code)}/score_runs`);
    } finally {
      S.busy = false;
      btn.disabled = false;
    }
    if (!r.ok) return refusal(r, live);
    const x = r.json;
    S.run = x.id; S.cursors = [0]; S.page = 0;
    await loadExam();
    const runs = runList(S.runs[s.code]);
    const i = runs.findIndex((y) => y.id === x.id);
    const same = i >= 0 ? sameAs(runs, i) : 0;
    okFlash(t('ran', { n: i + 1, c: x.candidates, s: x.scored, a: x.absent, z: x.zeroed, x: x.cancelled }) + (same ? ' ' + t('same-as', { n: same }) + (en() ? '.' : '。') : '')
      + (x.marks_digest ? ' ' + t('ran-marks', { n: x.anomalies }) : ''));
  }

  function openRun(id) {
    S.run = id; S.cursors = [0]; S.page = 0;
    setUrl();
    $('runs').replaceChildren(...runsPart(subjectOf(S.subject)));
    renderScores(true);
  }

  // ---- a run's scores, a page at a time ----
  async function renderScores(focus) {
    const box = $('scores');
    const runs = runList(S.runs[S.subject]);
    const i = runs.findIndex((x) => x.id === S.run);
    if (i < 0) { box.hidden = true; return box.replaceChildren(); }
    const run = runs[i];
    box.hidden = false;
    const keysUsed = Object.entries(run.keys || {}).sort().map(([f, k], j) => [j ? sep() : '', t('key-used', { f, v: k.version }), ' ', hex(k.digest)]);
    const body = h('div', { id: 'scores-body' }, h('p', { class: 'hint' }, t('scores-loading')));
    box.replaceChildren(h('h2', { id: 'scores-h', tabindex: '-1' }, t('scores-h', { n: i + 1 }) + ' · ' + subjectName(S.subject)),
      h('p', { class: 'hint' }, t('run-meta', { at: cst(run.created_at), by: run.run_by })),
      h('p', { class: 'row links' }, h('a', { class: 'dl-link', id: 'to-analysis',
        href: `/analysis.html?exam=${encodeURIComponent(S.exam.code)}&subject=${encodeURIComponent(S.subject)}&run=${run.id}` }, t('r-analysis'))),
      h('dl', { class: 'facts' }, h('dt', {}, t('keys-used')), h('dd', {}, keysUsed),
        [['d-answers', run.answers_digest], ['d-rules', run.rules_digest], ['d-outcomes', run.outcomes_digest], ['d-result', run.result_digest]]
          .map(([k, d]) => [h('dt', { class: 'long' }, t(k)), h('dd', { class: 'long' }, h('code', { class: 'hex' }, d || t('none')))])),
      crosscheckPart(run), body);
    if (focus) $('scores-h').focus();
    await loadPage(run);
  }

  // GRD-7: the run computed again, candidate by candidate, by the server's reference scorer,
  // and kept on record (a publication needs a clean one of each subject's latest run); the
  // cross-checks kept before listed below.
  function crosscheckPart(run) {
    const out = h('div', { id: 'cc-out', 'aria-live': 'polite' });
    const kept = h('div', { id: 'cc-kept' }, h('p', { class: 'hint' }, t('loading')));
    const latest = lastRun(S.subject);
    const btn = h('button', { type: 'button', class: 'btn', id: 'do-crosscheck', onclick: async () => {
      if (S.busy) return;
      S.busy = true;
      btn.disabled = true;
      working(out, t('cc-running'));
      let r;
      try {
        r = await api('POST', `/api/v1/score_runs/${run.id}/crosschecks`);
      } finally {
        S.busy = false;
        btn.disabled = false;
      }
      if (!r.ok) return refusal(r, out);
      const x = r.json;
      const changed = [x.answers_digest.same ? null : t('cc-answers'), x.outcomes_digest.same ? null : t('cc-outcomes'),
        !x.marks_digest || x.marks_digest.same ? null : t('cc-marks')].filter(Boolean);
      const kids = [h('div', { class: x.differences ? 'alert' : 'ok', role: 'status' },
        x.differences ? t('cc-diff', { d: x.differences, n: x.candidates }) : t('cc-clean', { n: x.candidates }), ' ', t('cc-kept', { id: x.id }))];
      if (changed.length) kids.push(h('p', { class: 'hint' }, t('cc-inputs', { what: changed.join(en() ? ' and ' : '和') })));
      if (x.items.length) {
        kids.push(table('cc-list', null, [[t('cc-stored')], [t('cc-recomputed')]],
          x.items.map((d) => [h('code', {}, d.stored === null ? t('none') : d.stored), h('code', {}, d.recomputed)])));
      }
      const fs = x.findings || { count: 0, items: [] };
      if (fs.count) {
        kids.push(h('h3', {}, t('f-h', { n: fs.count })), h('ul', { class: 'findings', id: 'cc-findings' }, fs.items.map((f) => h('li', { class: 'finding f-' + f.kind }, findingText(f)))));
        if (fs.count > fs.items.length) kids.push(h('p', { class: 'hint' }, t('f-more', { n: fs.items.length })));
      }
      out.replaceChildren(...kids);
      await Promise.all([keptList(run, kept), refreshPublishing()]);
    } }, t('cc-send'));
    keptList(run, kept);
    return h('div', { class: 'crosscheck' }, latest && latest.id !== run.id ? h('p', { class: 'flag warn long' }, t('cc-not-latest')) : null,
      h('div', { class: 'row actions' }, btn), out, kept);
  }
  // A finding of the cross-check (GRD-7) in words.
  function findingText(f) {
    const num = (v) => (typeof v === 'number' ? v.toFixed(2) : String(v));
    const p = (v) => (v === 0 ? '0' : v < 0.0001 ? v.toExponential(1) : v.toPrecision(2));
    if (f.kind === 'distribution') {
      const who = f.room !== undefined ? t('f-room', { c: f.centre, r: f.room, no: f.exam_room, n: f.n }) : t('f-centre', { c: f.centre, n: f.n });
      const peers = t('f-peers-' + (f.peers.scope === 'centre' ? 'centre' : 'exam'));
      if (f.test === 'mean') return t('f-mean', { who, m: num(f.mean), pm: num(f.peers.mean), peers, z: num(f.z) });
      if (f.test === 'variance') return t('f-variance', { who, sd: num(f.sd), psd: num(f.peers.sd), peers, p: p(f.p) });
      return t('f-identical', { who, k: f.count, v: f.total, p: p(f.p) });
    }
    const key = 'f-' + f.kind;
    const text = t(key, { t: f.ticket_no || '', s: f.subjective || '', c: f.case_id || '', reg: f.registration_id || '' });
    return text === key ? f.kind : text;
  }
  // The cross-checks kept for a run, newest first.
  async function keptList(run, box) {
    const r = await api('GET', `/api/v1/score_runs/${run.id}/crosschecks`);
    if (!box.isConnected || S.run !== run.id) return;
    if (!r.ok) return refusal(r, box);
    const items = r.json.items;
    box.replaceChildren(h('h3', {}, t('cc-kept-h')), items.length
      ? table('xc-list', null, [[t('x-no'), 'num'], [t('x-at')], [t('x-by')], [t('x-result')], [t('x-candidates'), 'num'], [t('x-digest')]],
        items.map((x) => [String(x.id), cst(x.created_at), x.checked_by,
          [h('span', { class: 'badge ' + (x.differences ? 'st-cancelled' : 'st-scored') }, x.differences ? t('x-diff', { d: x.differences }) : t('x-clean')),
            x.findings ? [' ', h('span', { class: 'badge st-other' }, t('x-findings', { n: x.findings }))] : ''],
          String(x.candidates), hex(x.result_digest)]))
      : h('p', { class: 'hint' }, t('cc-none')));
  }

  // ---- publication of the exam's scores (GRD-8; maker-checker, INF-4) ----
  const PUB_STATUS = ['pending', 'published', 'rejected', 'superseded'];
  const inForce = () => (S.pubs && S.pubs.ok ? S.pubs.json.items.find((p) => p.status === 'published') : null);
  function renderPublications() {
    const box = $('publications');
    if (!box) return;
    box.hidden = false;
    const kids = [h('h2', { id: 'pub-h' }, t('pub-h')), h('p', { class: 'hint' }, t('pub-lead'))];
    const r = S.pubs;
    if (!r || !r.ok) {
      const e = (r && r.json && r.json.error) || { message: t('offline'), code: '' };
      kids.push(h('div', { class: 'alert', role: 'alert' }, e.message, e.code ? h('span', { class: 'hint' }, t('error-code', { code: e.code })) : null));
      return box.replaceChildren(...kids);
    }
    // each subject's latest run and its latest cross-check on record, in words and a mark
    const ready = S.subjects.map((s) => {
      const lr = lastRun(s.code), x = lr ? lastXc(lr.id) : null;
      const subject = `${s.code} ${s.name}`, n = lr ? runNo(s.code, lr.id) : 0;
      const ok = !!(x && !x.differences);
      const words = !lr ? t('ready-no-run', { subject }) : !x ? t('ready-no-xc', { subject, n })
        : x.differences ? t('ready-diff', { subject, n, d: x.differences }) : t('ready-ok', { subject, n, by: x.checked_by, at: cst(x.created_at) });
      return h('li', { 'data-ready': String(ok) }, h('span', { class: 'mark ' + (ok ? 'pass' : 'fail'), 'aria-hidden': 'true' }, ok ? '✔' : '✗'),
        h('span', { class: 'vh' }, t(ok ? 'mark-ok' : 'mark-no') + (en() ? ': ' : '：')), words);
    });
    const live = h('div', { class: 'step-msg', id: 'pub-msg', 'aria-live': 'polite' });
    const btn = h('button', { type: 'button', class: 'btn primary', id: 'do-publish', onclick: () => prepare(btn, live) }, t('pub-send'));
    kids.push(h('h3', {}, t('ready-h')), h('ul', { class: 'ready' }, ready), h('p', { class: 'hint' }, t('ready-note')),
      h('div', { class: 'row actions' }, btn), live, h('h3', {}, t('pubs-h')));
    const items = r.json.items;
    kids.push(items.length ? table('pubs-list', null, [[t('p-id')], [t('p-status')], [t('p-cands'), 'num'], [t('p-runs')], [t('p-digest')],
      [t('p-by')], [t('p-checker')], [t('p-at')], [t('p-pub-at')], [t('p-act')]], items.map((p) => pubRow(p, live)))
      : h('p', { class: 'hint' }, t('pubs-none')));
    box.replaceChildren(...kids);
  }
  function pubRow(p, live) {
    const st = PUB_STATUS.includes(p.status) ? p.status : null;
    const runs = (p.runs || []).map((x, i) => {
      const n = runNo(x.subject, x.run_id);
      return [i ? sep() : '', h('span', { class: 'chip' }, n ? t('run-of', { code: x.subject, n }) : t('run-id', { code: x.subject, id: x.run_id }))];
    });
    let act = '';
    if (p.status === 'pending') {
      // who must approve; the buttons when the viewer's approvals list holds it
      const mine = (S.approvals || []).some((a) => a.id === p.approval_id);
      act = [h('span', { class: 'who-approves' }, t('approval-n', { id: p.approval_id }) + ' · ' + t('who-approves')), mine
        ? h('span', { class: 'row decide' },
          h('button', { type: 'button', class: 'btn primary small', id: 'approve-' + p.id, onclick: () => decide(p, true, live) }, t('approve-send')),
          h('button', { type: 'button', class: 'btn danger small', id: 'reject-' + p.id, onclick: () => decide(p, false, live) }, t('reject-send')))
        : h('a', { href: '/console.html#/approvals', class: 'dl-link' }, t('to-approvals'))];
    } else if (p.status === 'published') {
      act = h('a', { href: '/scores.html?exam=' + encodeURIComponent(p.exam_id), class: 'dl-link lookup-link' }, t('lookup-link'));
    }
    const row = [h('b', {}, '#' + p.id), h('span', { class: 'badge ps-' + (st || 'other') }, st ? t('ps-' + st) : p.status), String(p.candidates), runs,
      hex(p.digest), p.prepared_by, p.approved_by || t('none'), cst(p.created_at), p.published_at ? cst(p.published_at) : t('none'), act];
    row.cls = 'pub ps-' + (st || 'other');
    return row;
  }
  // Prepare: the confirmation names what is frozen and what it replaces; the refusal in the
  // server's words (PUBLISH_NOT_CROSSCHECKED, PUBLISH_DIFFERENCES, PUBLISH_STALE, …).
  async function prepare(btn, live) {
    if (S.busy) return;
    live.replaceChildren();
    const now = inForce();
    const runs = S.subjects.map((s) => { const lr = lastRun(s.code); return lr ? t('run-of', { code: s.code, n: runNo(s.code, lr.id) }) : null; })
      .filter(Boolean).join(sep());
    const msg = t('confirm-publish', { exam: S.exam.name, runs: runs || t('none'), replace: now ? t('confirm-replace', { id: now.id }) : '' });
    if (!(await K.confirmBox(msg, t('pub-send')))) return;
    S.busy = true;
    btn.disabled = true;
    working(live, t('pub-sending'));
    let r;
    try {
      r = await api('POST', `/api/v1/exams/${S.exam.id}/publications`);
    } finally {
      S.busy = false;
      btn.disabled = false;
    }
    if (!r.ok) return refusal(r, live);
    const p = r.json;
    await refreshPublishing();
    okFlash(t('prepared', { id: p.id, n: p.candidates, ap: p.approval_id }));
  }
  // Approve or reject (a reason asked) a pending publication; SELF_APPROVAL and the others
  // shown in the server's words.
  async function decide(p, approve, live) {
    if (S.busy) return;
    live.replaceChildren();
    const now = inForce();
    let reason = null;
    if (approve) {
      if (!(await K.confirmBox(t('confirm-approve', { id: p.id, n: p.candidates, replace: now ? t('confirm-replace', { id: now.id }) : '' }), t('approve-send')))) return;
    } else {
      reason = await K.confirmBox(t('confirm-reject', { id: p.id }), t('reject-send'), { reason: true, danger: true });
      if (!reason) return;
    }
    S.busy = true;
    working(live, t('sending'));
    let r;
    try {
      r = await api('POST', `/api/v1/approvals/${p.approval_id}/${approve ? 'approve' : 'reject'}`, approve ? undefined : { reason });
    } finally {
      S.busy = false;
    }
    if (!r.ok) return refusal(r, live);
    await refreshPublishing();
    okFlash(t(approve ? 'approved-pub' : 'rejected-pub', { id: p.id }));
  }

  async function loadPage(run) {
    const body = $('scores-body');
    const after = S.cursors[S.page] || 0;
    const r = await api('GET', `/api/v1/score_runs/${run.id}/scores?after=${after}&limit=${S.per}`);
    if (S.run !== run.id || !$('scores-body')) return;
    if (!r.ok) return refusal(r, body);
    const items = r.json.items;
    if (r.json.next_cursor) S.cursors[S.page + 1] = Number(r.json.next_cursor);
    if (!items.length && S.page === 0) return body.replaceChildren(h('p', {}, t('scores-none')));
    const first = S.page * S.per + 1;
    const rows = items.map((x) => {
      const st = STATUS.includes(x.status) ? x.status : null;
      const row = [h('span', { class: 'ticket' }, x.ticket_no), x.form || t('none'),
        h('span', { class: 'badge st-' + (st || 'other') }, st ? t('st-' + st) : x.status),
        x.raw === null ? t('none') : (x.subjective == null ? x.raw
          : [x.raw, ' ', h('span', { class: 'hint parts' }, t('parts', { o: x.objective === null ? t('none') : x.objective, s: x.subjective }))]),
        x.final === null ? t('none') : x.final,
        x.case_id ? h('a', { href: '/cases.html?case=' + x.case_id, class: 'case-link' }, t('case-n', { id: x.case_id })) : ''];
      row.cls = 'st-' + (st || 'other');
      return row;
    });
    const perSel = h('select', { id: 'per', name: 'per' }, [...new Set([...PER, S.per])].sort((a, b) => a - b).map((n) => h('option', { value: String(n) }, String(n))));
    perSel.value = String(S.per);
    perSel.addEventListener('change', () => { S.per = Number(perSel.value); S.cursors = [0]; S.page = 0; loadPage(run); });
    const prev = h('button', { type: 'button', class: 'btn', id: 'prev', disabled: S.page === 0, onclick: () => { S.page--; loadPage(run); } }, t('prev'));
    const next = h('button', { type: 'button', class: 'btn', id: 'next', disabled: !r.json.next_cursor, onclick: () => { S.page++; loadPage(run); } }, t('next'));
    body.replaceChildren(table('scores-list', null, [[t('s-ticket')], [t('s-form')], [t('s-status')], [t('s-raw'), 'num'], [t('s-final'), 'num'], [t('s-case')]], rows),
      h('div', { class: 'row pager' }, prev, h('span', { id: 'page-note', 'aria-live': 'polite' }, t('page', { p: S.page + 1, from: first, to: first + items.length - 1 })), next,
        h('label', { for: 'per' }, t('per')), perSel));
  }

  K.chrome(() => { if (S.exam) view(S.exam); else start(); });
  start();
})();
