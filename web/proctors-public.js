// The public record of the proctor lotteries (SEAT-2), no login:
// /proctors-public.html?exam=ID_OR_CODE lists every draw of the exam — per sitting or for the
// exam day — with its times, the size of the pool and the exclusions counted by reason (no
// one is named), the inputs digest, the commitment, the revealed seed and the result digest;
// the inputs file to download (staff by number only); two checks done here in the browser
// (SHA-256 of the seed against the commitment, SHA-256 of the inputs file against the inputs
// digest); and the `kaowu proctor verify` command, filled in with the draw's values, that
// re-runs it. Without ?exam it lists the exams.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '监考抽签公示', notices: '考试公告', 'seating-link': '考场编排公示', loading: '加载中…', title: '监考抽签公示',
      exams: '监考抽签公示', pick: '选择一项考试，查看它的监考人员抽签记录：', 'no-exams': '目前没有已发布的考试。', back: '全部考试',
      lead: '监考人员由系统按统一规则随机抽取，无人工指定。抽签前公布考场和可抽人员的摘要（输入摘要）以及随机种子的承诺值；抽签后公布随机种子和抽签结果摘要。与考生有回避关系的人员不参加抽签。任何人都可以用下面的数据复核。',
      'no-draws': '该考试尚未进行监考抽签。', 'not-found': '找不到这项考试。',
      'draw-day': '考试当天抽签', 'draw-sitting': '第 {n} 场考前抽签', 'draw-sitting-at': '第 {n} 场（{at}）考前抽签', again: '（第 {n} 次）',
      status: '状态', 's-committed': '已承诺，待抽签', 's-drawn': '已抽签',
      'committed-at': '承诺时间', 'drawn-at': '抽签时间', rule: '抽签规则',
      'rule-text': '每个考场至少 {per_room} 名监考员（机考考场至少 1 名具备机考能力），每个考点 1 名主考，每个考点每层 {roving} 名流动监考',
      places: '考场', 'places-text': '考区 {a} 个，考点 {c} 个，考场 {r} 个（其中机考考场 {k} 个）',
      pool: '可抽人员', 'pool-text': '主考 {chief} 名，监考员 {proctor} 名（其中具备机考能力 {cbt} 名），流动监考 {roving} 名',
      excluded: '未参加抽签', 'excluded-none': '无', sep: '，',
      'x-conflict': '回避 {n} 名', 'x-not_trained': '未经培训 {n} 名', 'x-volunteer': '志愿者 {n} 名',
      'x-social_recruit': '社会招聘人员 {n} 名', 'x-inactive': '已停用 {n} 名',
      'inputs-digest': '输入摘要', commitment: '承诺值', seed: '随机种子', 'not-revealed': '尚未公布',
      'result-digest': '抽签结果摘要', 'not-drawn': '尚未抽签',
      'inputs-file': '下载输入文件（{file}）', 'inputs-note': '输入文件不含姓名、人员编号和证件号码，人员只以序号出现。',
      checks: '浏览器核验', 'c-seed': '随机种子的 SHA-256 与承诺值一致', 'c-seed-bad': '随机种子的 SHA-256 与承诺值不一致',
      'c-seed-wait': '随机种子尚未公布，抽签后即可核验', 'c-inputs': '输入文件的 SHA-256 与输入摘要一致',
      'c-inputs-bad': '输入文件的 SHA-256 与输入摘要不一致', 'c-inputs-todo': '输入文件与输入摘要：尚未核验',
      'c-inputs-go': '下载并核验输入文件', 'c-busy': '正在计算…', 'c-failed': '下载失败：{msg}',
      'c-unsupported': '此浏览器不能在本页计算 SHA-256（需要 HTTPS 连接）。请用下面的命令核验。',
      'mark-pass': '通过', 'mark-fail': '不通过', 'mark-wait': '待核验',
      how: '如何核验', 'how-1': '下载本次抽签的输入文件，保存为 {file}；',
      'how-2': '在装有 kaowu 的电脑上，于该文件所在的目录运行：',
      'how-3': '显示“核验通过”即说明：种子与承诺值相符，输入文件没有被改动，按统一规则重新抽签的结果与公布的一致。加上 --out 文件名 可得到完整的抽签结果（人员以序号表示）。',
      'how-wait': '随机种子公布后即可用 kaowu proctor verify 核验。', copy: '复制命令', copied: '已复制。',
      'cst-note': '时间均为北京时间。',
    },
    en: {
      brand: 'Proctor lottery record', notices: 'Exam notices', 'seating-link': 'Seating record', loading: 'Loading…', title: 'Proctor lottery record',
      exams: 'Proctor lottery records', pick: 'Choose an exam to see its proctor draws:', 'no-exams': 'No exam is published.', back: 'All exams',
      lead: 'Proctors are drawn at random under one unified rule; nobody is placed by hand. Before the draw the digest of the rooms and the eligible staff (the inputs digest) and the commitment of a random seed are published; after it the seed and the digest of the result. Staff with a conflict of interest with a candidate are not in the draw. Anyone can check it below.',
      'no-draws': 'No proctors have been drawn for this exam yet.', 'not-found': 'No such exam.',
      'draw-day': 'Exam-day draw', 'draw-sitting': 'Draw before sitting {n}', 'draw-sitting-at': 'Draw before sitting {n} ({at})', again: ' (no. {n})',
      status: 'Status', 's-committed': 'Committed, not yet drawn', 's-drawn': 'Drawn',
      'committed-at': 'Committed', 'drawn-at': 'Drawn', rule: 'Rule',
      'rule-text': 'At least {per_room} proctors to an exam room (one CBT-capable in a computer-based room), one chief examiner per centre, {roving} roving proctor(s) per floor of each centre',
      places: 'Places', 'places-text': '{a} exam area(s), {c} centre(s), {r} exam room(s) ({k} computer-based)',
      pool: 'Eligible staff', 'pool-text': '{chief} chief examiner(s), {proctor} proctor(s) ({cbt} CBT-capable), {roving} roving proctor(s)',
      excluded: 'Not in the draw', 'excluded-none': 'none', sep: ', ',
      'x-conflict': '{n} by recusal', 'x-not_trained': '{n} not trained', 'x-volunteer': '{n} volunteer(s)',
      'x-social_recruit': '{n} socially recruited', 'x-inactive': '{n} inactive',
      'inputs-digest': 'Inputs digest', commitment: 'Commitment', seed: 'Seed', 'not-revealed': 'not yet revealed',
      'result-digest': 'Result digest', 'not-drawn': 'not drawn yet',
      'inputs-file': 'Download the inputs file ({file})', 'inputs-note': 'The inputs file holds no names, staff numbers or document numbers; staff appear by a number in the file only.',
      checks: 'Checked in this browser', 'c-seed': 'The SHA-256 of the seed equals the commitment', 'c-seed-bad': 'The SHA-256 of the seed does NOT equal the commitment',
      'c-seed-wait': 'The seed is not yet revealed; it can be checked after the draw', 'c-inputs': 'The SHA-256 of the inputs file equals the inputs digest',
      'c-inputs-bad': 'The SHA-256 of the inputs file does NOT equal the inputs digest', 'c-inputs-todo': 'Inputs file against the inputs digest: not checked yet',
      'c-inputs-go': 'Download and check the inputs file', 'c-busy': 'Computing…', 'c-failed': 'Download failed: {msg}',
      'c-unsupported': 'This browser cannot compute SHA-256 on this page (it needs HTTPS). Use the command below.',
      'mark-pass': 'passed', 'mark-fail': 'failed', 'mark-wait': 'not checked',
      how: 'How to verify', 'how-1': 'Download this draw\'s inputs file and save it as {file};',
      'how-2': 'on a computer with kaowu, in the file\'s folder, run:',
      'how-3': '"verified" means the seed matches its commitment, the inputs file is unchanged, and the unified rule re-run gives the published result. Add --out FILE for the whole assignment (staff by number).',
      'how-wait': 'Once the seed is revealed, kaowu proctor verify checks the draw.', copy: 'Copy the command', copied: 'Copied.',
      'cst-note': 'Times are China time.',
    },
  };
  const K = kwPublic(TEXT);
  const { t, h, cst, get, view, hex } = K;
  const fileOf = (d) => `proctors-${d.id}-inputs.txt`;
  const inputsURL = (d) => '/api/v1/public/proctor_draws/' + d.id + '/inputs';
  let times = [];

  function title(d, again) {
    const n = d.sitting;
    const base = !n ? t('draw-day') : times[n - 1] ? t('draw-sitting-at', { n, at: cst(times[n - 1], false) }) : t('draw-sitting', { n });
    return base + (again > 1 ? t('again', { n: again }) : '');
  }
  function excludedText(x) {
    const parts = ['conflict', 'not_trained', 'volunteer', 'social_recruit', 'inactive'].filter((k) => x && x[k])
      .map((k) => t('x-' + k, { n: x[k] }));
    return parts.length ? parts.join(t('sep')) : t('excluded-none');
  }

  function drawCard(d, again, newest) {
    const rule = d.rule || {};
    const inp = d.inputs;
    const facts = K.facts([
      ['status', h('span', { class: 'badge s-' + (d.status === 'drawn' ? 'published' : 'committed') }, t('s-' + d.status))],
      ['committed-at', cst(d.committed_at)], ['drawn-at', cst(d.drawn_at)],
      ['rule', rule.per_room ? t('rule-text', { per_room: rule.per_room, roving: rule.roving_per_floor }) : null],
      ['places', inp ? t('places-text', { a: inp.areas, c: inp.centres, r: inp.rooms, k: inp.cbt_rooms }) : null],
      ['pool', inp ? t('pool-text', { chief: inp.pool.chief, proctor: inp.pool.proctor, cbt: inp.pool.cbt_capable, roving: inp.pool.roving }) : null],
      ['excluded', excludedText(d.excluded)],
      ['inputs-digest', hex(d.inputs_digest)], ['commitment', hex(d.commitment)],
      ['seed', d.seed ? hex(d.seed) : h('span', { class: 'hint' }, t('not-revealed'))],
      ['result-digest', d.result_digest ? hex(d.result_digest) : h('span', { class: 'hint' }, t('not-drawn'))],
    ], ['rule', 'places', 'pool', 'excluded', 'inputs-digest', 'commitment', 'seed', 'result-digest']);
    return K.card({
      id: 'draw-' + d.id, attrs: { class: 'card pub-run pub-draw', 'data-draw': d.id, 'data-status': d.status, 'data-sitting': d.sitting },
      heading: title(d, again), facts, seed: d.seed, commitment: d.commitment, inputsDigest: d.inputs_digest,
      url: inputsURL(d), file: fileOf(d), command: 'kaowu proctor verify',
      result: d.result_digest ? ['--result-digest', d.result_digest] : null, done: t('how-3'), open: newest,
    });
  }


  async function one(exam) {
    const [r, all] = await Promise.all([get('/api/v1/public/exams/' + encodeURIComponent(exam) + '/proctor_draws'), get('/api/v1/public/exams')]);
    if (r.status !== 200) return K.failed(r);
    // The sittings' times, from the exam's notice.
    const e = ((all.json && all.json.items) || []).find((x) => x.code === r.json.exam || String(x.id) === exam);
    times = [];
    if (e) {
      const n = await get('/api/v1/public/exams/' + e.id);
      if (n.status === 200) times = [...new Set((n.json.subjects || []).map((s) => s.starts_at).filter((x) => x))].sort((a, b) => new Date(a) - new Date(b));
    }
    const draws = r.json.draws || [];
    const head = [h('p', {}, h('a', { href: '/proctors-public.html' }, '← ' + t('back'))),
      h('h1', {}, r.json.exam_name || t('title')), h('p', { class: 'hint' }, r.json.exam), h('p', { class: 'pub-lead' }, t('lead'))];
    if (!draws.length) { view().replaceChildren(...head, h('p', { class: 'card', id: 'no-draws' }, t('no-draws'))); return; }
    // The newest first; a sitting drawn again (a new seating run) numbered in order.
    const seen = {};
    const cards = draws.map((d, i) => {
      seen[d.sitting] = (seen[d.sitting] || 0) + 1;
      return drawCard(d, seen[d.sitting], i === draws.length - 1);
    });
    view().replaceChildren(...head, ...cards.reverse());
  }

  K.start('/proctors-public.html', one);
})();
