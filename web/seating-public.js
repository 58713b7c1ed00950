// The public seating record (SEAT-1), no login: /seating-public.html?exam=ID_OR_CODE lists
// every seating run of the exam — discarded ones too — with its times, inputs digest,
// commitment, revealed seed, assignment digest and reason; the inputs file to download; two
// checks done here in the browser (SHA-256 of the seed against the commitment, SHA-256 of
// the inputs file against the inputs digest); and the `kaowu seat verify` command, filled
// in with the run's values, that re-runs the draw. Without ?exam it lists the exams.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考场编排公示', notices: '考试公告', loading: '加载中…', title: '考场编排公示',
      exams: '考场编排公示', pick: '选择一项考试，查看它的考场编排记录：', 'no-exams': '目前没有已发布的考试。', back: '全部考试',
      lead: '考生的考场和座位由系统按统一规则随机编排，无人工干预。编排前公布考生名单和考场的摘要（输入摘要）以及随机种子的承诺值；编排后公布随机种子和编排结果摘要。任何人都可以用下面的数据复核。',
      'no-runs': '该考试尚未进行考场编排。', 'not-found': '找不到这项考试。',
      'run-no': '第 {n} 次编排', status: '状态',
      's-committed': '已承诺，待编排', 's-seated': '已编排，待发布', 's-published': '已发布', 's-discarded': '已作废',
      'committed-at': '承诺时间', 'seated-at': '编排时间', 'published-at': '发布时间',
      candidates: '考生人数', rooms: '可用考场', rule: '编排规则',
      'rule-text': '每个考场最多 {capacity} 人，特殊照顾考场最多 {accommodation_capacity} 人；准考证号：{tickets}',
      'inputs-digest': '输入摘要', commitment: '承诺值', seed: '随机种子', 'not-revealed': '尚未公布',
      'assignment-digest': '编排结果摘要', 'not-drawn': '尚未编排', reason: '作废理由',
      'inputs-file': '下载输入文件（{file}）', 'inputs-note': '输入文件不含姓名和证件号码，考生只以报名序号出现。',
      checks: '浏览器核验', 'c-seed': '随机种子的 SHA-256 与承诺值一致', 'c-seed-bad': '随机种子的 SHA-256 与承诺值不一致',
      'c-seed-wait': '随机种子尚未公布，编排后即可核验', 'c-inputs': '输入文件的 SHA-256 与输入摘要一致',
      'c-inputs-bad': '输入文件的 SHA-256 与输入摘要不一致', 'c-inputs-todo': '输入文件与输入摘要：尚未核验',
      'c-inputs-go': '下载并核验输入文件', 'c-busy': '正在计算…', 'c-failed': '下载失败：{msg}',
      'c-unsupported': '此浏览器不能在本页计算 SHA-256（需要 HTTPS 连接）。请用下面的命令核验。',
      'mark-pass': '通过', 'mark-fail': '不通过', 'mark-wait': '待核验',
      how: '如何核验', 'how-1': '下载本次编排的输入文件，保存为 {file}；',
      'how-2': '在装有 kaowu 的电脑上，于该文件所在的目录运行：',
      'how-3': '显示“核验通过”即说明：种子与承诺值相符，输入文件没有被改动，按统一规则重新编排的结果与公布的一致。',
      'how-3-discarded': '本次编排已作废、未执行编排：命令核验种子与承诺值、输入文件与输入摘要。',
      'how-wait': '随机种子公布后即可用 kaowu seat verify 核验。', copy: '复制命令', copied: '已复制。',
      'cst-note': '时间均为北京时间。', digits: '（{n} 位）', 'tk-year': '年份', 'tk-area': '考区号', 'tk-centre': '考点号',
      'tk-room': '考场号', 'tk-seat': '座号',
    },
    en: {
      brand: 'Seating record', notices: 'Exam notices', loading: 'Loading…', title: 'Seating record',
      exams: 'Seating records', pick: 'Choose an exam to see its seating record:', 'no-exams': 'No exam is published.', back: 'All exams',
      lead: 'Candidates are seated at random under one unified rule, with no manual intervention. Before the draw the digest of the candidate list and rooms (the inputs digest) and the commitment of a random seed are published; after it the seed and the digest of the assignment. Anyone can check them below.',
      'no-runs': 'This exam has not been seated yet.', 'not-found': 'No such exam.',
      'run-no': 'Run {n}', status: 'Status',
      's-committed': 'Committed, not yet drawn', 's-seated': 'Drawn, not yet published', 's-published': 'Published', 's-discarded': 'Discarded',
      'committed-at': 'Committed', 'seated-at': 'Drawn', 'published-at': 'Published',
      candidates: 'Candidates', rooms: 'Rooms available', rule: 'Rule',
      'rule-text': 'At most {capacity} to a room, {accommodation_capacity} to an accommodation room; ticket numbers: {tickets}',
      'inputs-digest': 'Inputs digest', commitment: 'Commitment', seed: 'Seed', 'not-revealed': 'not yet revealed',
      'assignment-digest': 'Assignment digest', 'not-drawn': 'not drawn yet', reason: 'Reason discarded',
      'inputs-file': 'Download the inputs file ({file})', 'inputs-note': 'The inputs file holds no names or identity numbers; candidates appear by registration number only.',
      checks: 'Checked in this browser', 'c-seed': 'The SHA-256 of the seed equals the commitment', 'c-seed-bad': 'The SHA-256 of the seed does NOT equal the commitment',
      'c-seed-wait': 'The seed is not yet revealed; it can be checked after the draw', 'c-inputs': 'The SHA-256 of the inputs file equals the inputs digest',
      'c-inputs-bad': 'The SHA-256 of the inputs file does NOT equal the inputs digest', 'c-inputs-todo': 'Inputs file against the inputs digest: not checked yet',
      'c-inputs-go': 'Download and check the inputs file', 'c-busy': 'Computing…', 'c-failed': 'Download failed: {msg}',
      'c-unsupported': 'This browser cannot compute SHA-256 on this page (it needs HTTPS). Use the command below.',
      'mark-pass': 'passed', 'mark-fail': 'failed', 'mark-wait': 'not checked',
      how: 'How to verify', 'how-1': 'Download this run\'s inputs file and save it as {file};',
      'how-2': 'on a computer with kaowu, in the file\'s folder, run:',
      'how-3': '"verified" means the seed matches its commitment, the inputs file is unchanged, and the unified rule re-run gives the published assignment.',
      'how-3-discarded': 'This run was discarded before the draw: the command checks the seed against the commitment and the file against the inputs digest.',
      'how-wait': 'Once the seed is revealed, kaowu seat verify checks the run.', copy: 'Copy the command', copied: 'Copied.',
      'cst-note': 'Times are China time.', digits: ' ({n} digits)', 'tk-year': 'year', 'tk-area': 'area', 'tk-centre': 'centre',
      'tk-room': 'room', 'tk-seat': 'seat',
    },
  };
  const K = kwPublic(TEXT);
  const { t, h, cst, get, view, hex } = K;
  // The ticket-number scheme in words: "{year:2}{area:2}…" → 年份（2 位）+ 考区号（2 位）+ …
  function schemeText(s) {
    const parts = [];
    let last = 0;
    s.replace(/\{(\w+):(\d+)\}/g, (m, k, n, off) => {
      if (off > last) parts.push('“' + s.slice(last, off) + '”');
      parts.push((K.has('tk-' + k) ? t('tk-' + k) : k) + t('digits', { n }));
      last = off + m.length;
      return m;
    });
    if (last < s.length) parts.push('“' + s.slice(last) + '”');
    return parts.join(' + ');
  }
  const fileOf = (run) => `seating-${run.id}-inputs.txt`;
  const inputsURL = (run) => '/api/v1/public/seating_runs/' + run.id + '/inputs';

  function runCard(run, n, newest) {
    const rule = run.rule || {};
    const facts = K.facts([
      ['status', h('span', { class: 'badge s-' + run.status }, t('s-' + run.status))],
      ['committed-at', cst(run.committed_at)], ['seated-at', cst(run.seated_at)], ['published-at', cst(run.published_at)],
      ['candidates', String(run.candidates)], ['rooms', String(run.rooms)],
      ['rule', rule.capacity ? t('rule-text', Object.assign({ tickets: schemeText(rule.ticket_scheme || '') }, rule)) : null],
      ['inputs-digest', hex(run.inputs_digest)], ['commitment', hex(run.commitment)],
      ['seed', run.seed ? hex(run.seed) : h('span', { class: 'hint' }, t('not-revealed'))],
      ['assignment-digest', run.assignment_digest ? hex(run.assignment_digest) : h('span', { class: 'hint' }, t('not-drawn'))],
      ['reason', run.reason],
    ], ['rule', 'inputs-digest', 'commitment', 'seed', 'assignment-digest', 'reason']);
    // "How to verify" open for the newest run; folded for the earlier ones.
    return K.card({
      id: 'run-' + run.id, attrs: { class: 'card pub-run', 'data-run': run.id, 'data-status': run.status },
      heading: t('run-no', { n }), facts, seed: run.seed, commitment: run.commitment, inputsDigest: run.inputs_digest,
      url: inputsURL(run), file: fileOf(run), command: 'kaowu seat verify',
      result: run.assignment_digest ? ['--assignment-digest', run.assignment_digest] : null,
      done: run.assignment_digest ? t('how-3') : t('how-3-discarded'), open: newest,
    });
  }


  async function one(exam) {
    const r = await get('/api/v1/public/exams/' + encodeURIComponent(exam) + '/seating');
    if (r.status !== 200) return K.failed(r);
    const runs = r.json.runs || [];
    let name = r.json.exam_name;
    let code = r.json.exam || exam;
    if (!runs.length && /^\d+$/.test(exam)) {
      // No run yet: the exam's name from its notice.
      const e = await get('/api/v1/public/exams/' + exam);
      if (e.status === 200) { name = e.json.name; code = e.json.code || code; }
    }
    const head = [h('p', {}, h('a', { href: '/seating-public.html' }, '← ' + t('back'))),
      h('h1', {}, name || t('title')), h('p', { class: 'hint' }, code), h('p', { class: 'pub-lead' }, t('lead'))];
    if (!runs.length) { view().replaceChildren(...head, h('p', { class: 'card' }, t('no-runs'))); return; }
    // The newest first; numbered in the order they were committed.
    view().replaceChildren(...head, ...runs.map((run, i) => runCard(run, i + 1, i === runs.length - 1)).reverse());
  }

  K.start('/seating-public.html', one);
})();
