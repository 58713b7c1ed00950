/*
 * kaowu proctor verify: an auditor's re-run of a proctor lottery (SEAT-2) from what the
 * public page gives — the draw's inputs file and its revealed seed (docs/proctors.md). It
 * recomputes the assignment, checks the seed against its commitment and the digests against
 * those published, and can write the assignment out. Needs no database; names no one: staff
 * are the numbers the inputs file gives them.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/draw.h"
#include "core/proctor.h"

/* The whole of path ("-": stdin), at most max bytes; NULL when unreadable or larger. */
static char *slurp(const char *path, size_t max, size_t *n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0, k;
	char *b = kw_xmalloc(cap);
	while ((k = fread(b + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap) {
			if (cap >= max) {
				free(b);
				b = NULL;
				break;
			}
			cap *= 2;
			b = kw_xrealloc(b, cap);
		}
	}
	if (b && ferror(f)) {
		free(b);
		b = NULL;
	}
	if (f != stdin)
		fclose(f);
	*n = len;
	return b;
}

/* One check's line: ✔ or ✘; returns 1 when it failed. */
static int check(int en, const char *what_zh, const char *what_en, const char *want,
                 const char *got)
{
	int ok = strcmp(want, got) == 0;
	printf("%s %s: %s\n", ok ? "✔" : "✘", en ? what_en : what_zh,
	       ok ? got : (en ? "MISMATCH" : "不一致"));
	if (!ok)
		printf("    %s %s\n    %s %s\n", en ? "published:" : "公布值：", want,
		       en ? "computed: " : "计算值：", got);
	return !ok;
}

static void print_shorts(int en, const struct kw_proctor_inputs *in,
                         const struct kw_proctor_result *r)
{
	static const char *const zh[] = {"主考", "监考员", "流动监考"};
	for (size_t i = 0; i < r->nshorts; i++) {
		const struct kw_proctor_short *x = &r->shorts[i];
		const struct kw_proctor_centre *ce = &in->centres[x->centre];
		char where[64] = "";
		if (x->room >= 0)
			snprintf(where, sizeof where, en ? " room %u" : " 第%u考场",
			         in->rooms[x->room].number);
		else if (x->duty == KW_DUTY_ROVING)
			snprintf(where, sizeof where, en ? " floor %d" : " %d 层", x->floor);
		printf(en ? "  %s %s%s: %s%s short %u of %u\n"
		          : "  %s %s%s：%s%s 缺 %u 名（需 %u 名）\n",
		       in->areas[ce->area], ce->code, where,
		       en ? kw_proctor_duty_name(x->duty) : zh[x->duty],
		       x->cbt ? (en ? " (CBT-capable)" : "（会操作机考）") : "",
		       x->needed - x->available, x->needed);
	}
}

int cmd_proctor(int argc, char **argv)
{
	int en = kw_cli_en();
	const char *inputs = NULL, *seed_hex = NULL, *commitment = NULL, *in_digest = NULL,
	           *result_digest = NULL, *out = NULL;
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return kw_cli_usage("proctor", en ? "the subcommand is verify" : "子命令为 verify");
	for (int i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--inputs") == 0              ? &inputs
		                    : strcmp(argv[i], "--seed") == 0              ? &seed_hex
		                    : strcmp(argv[i], "--commitment") == 0        ? &commitment
		                    : strcmp(argv[i], "--inputs-digest") == 0     ? &in_digest
		                    : strcmp(argv[i], "--result-digest") == 0     ? &result_digest
		                    : strcmp(argv[i], "--assignment-digest") == 0 ? &result_digest
		                    : strcmp(argv[i], "--out") == 0               ? &out
		                                                                  : NULL;
		if (!slot || i + 1 >= argc)
			return kw_cli_usage("proctor", en ? "unknown option or missing value"
			                                  : "未知选项或缺少取值");
		*slot = argv[++i];
	}
	if (!inputs || !seed_hex)
		return kw_cli_usage("proctor", en ? "--inputs FILE and --seed HEX are required"
		                                  : "必须给出 --inputs 文件和 --seed 种子");
	struct kw_err err = KW_ERR_INIT;
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (kw_draw_seed_parse(seed_hex, strlen(seed_hex), seed, &err)) {
		kw_cli_fail("proctor", &err);
		kw_err_release(&err);
		return KW_EXIT_USAGE;
	}
	size_t n = 0;
	char *text = slurp(inputs, (size_t)1 << 30, &n);
	if (!text) {
		fprintf(stderr,
		        en ? "kaowu proctor: cannot read %s\n" : "kaowu proctor：无法读取 %s\n",
		        inputs);
		return KW_EXIT_FAIL;
	}
	int bad = 0;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)text, n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (in_digest)
		bad |= check(en, "输入文件摘要", "inputs digest", in_digest, hex);
	else
		printf("%s: %s\n", en ? "inputs digest" : "输入文件摘要", hex);
	if (commitment) {
		char c[65];
		kw_draw_commit(seed, c, NULL);
		bad |= check(en, "种子承诺值", "seed commitment", commitment, c);
	}
	struct kw_proctor_parsed p;
	memset(&p, 0, sizeof p);
	int rc = kw_proctor_inputs_parse(text, n, &p, &err);
	free(text);
	if (rc) {
		kw_cli_fail("proctor", &err);
		kw_err_release(&err);
		return KW_EXIT_FAIL;
	}
	struct kw_proctor_result r;
	rc = kw_proctor_draw(&p.in, seed, &r, &err);
	sodium_memzero(seed, sizeof seed);
	if (rc) {
		kw_cli_fail("proctor", &err);
		if (rc == KW_ERULE)
			print_shorts(en, &p.in, &r);
		kw_err_release(&err);
		kw_proctor_result_release(&r);
		kw_proctor_parsed_release(&p);
		return KW_EXIT_FAIL;
	}
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	char digest[65];
	rc = kw_proctor_result_write(&p.in, &r, out ? &b : NULL, digest);
	if (rc) {
		fprintf(stderr, en ? "kaowu proctor: the assignment cannot be written\n"
		                   : "kaowu proctor：无法写出抽签结果\n");
		bad = 1;
	} else {
		int count[3] = {0, 0, 0};
		for (size_t i = 0; i < r.n; i++)
			count[r.v[i].duty]++;
		printf(en ? "exam %s, sitting %d: %zu rooms, %zu staff in the pool; drawn: %d "
		            "chief "
		            "examiners, %d proctors, %d roving proctors\n"
		          : "考试 %s，场次 %d：考场 %zu 个，可抽人员 %zu 名；抽中主考 %d "
		            "名、监考员 %d "
		            "名、流动监考 %d 名\n",
		       p.in.exam, p.in.sitting, p.in.nrooms, p.in.nstaff, count[0], count[1],
		       count[2]);
		if (result_digest)
			bad |= check(en, "抽签结果摘要", "result digest", result_digest, digest);
		else
			printf("%s: %s\n", en ? "result digest" : "抽签结果摘要", digest);
	}
	if (!rc && out) {
		FILE *f = fopen(out, "wb");
		if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
			fprintf(stderr,
			        en ? "kaowu proctor: cannot write %s\n"
			           : "kaowu proctor：无法写入 %s\n",
			        out);
			bad = 1;
		}
	}
	kw_buf_release(&b);
	kw_proctor_result_release(&r);
	kw_proctor_parsed_release(&p);
	if (bad) {
		printf(en ? "NOT verified\n" : "核验未通过\n");
		return KW_EXIT_FAIL;
	}
	printf(en ? "verified\n" : "核验通过\n");
	return KW_EXIT_OK;
}
