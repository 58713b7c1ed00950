/*
 * kaowu seat verify: an auditor's re-run of a published seating run (SEAT-1). From the
 * public inputs file and the revealed seed it recomputes the assignment, checks the seed
 * against its commitment and the digests against those published, and can write the
 * assignment out (docs/seating.md). Needs no database: only what the public page gives.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/clock.h"
#include "core/draw.h"
#include "core/seat.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, len = 0;
	char *b = malloc(cap);
	size_t k;
	while (b && (k = fread(b + len, 1, cap - len, f)) > 0) {
		len += k;
		if (len == cap) {
			char *nb = cap < ((size_t)1 << 33) ? realloc(b, cap * 2) : NULL;
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (f != stdin)
		fclose(f);
	*n = len;
	return b;
}

/* One check's line: "ok" or "MISMATCH"; returns 1 when it failed. */
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

int cmd_seat(int argc, char **argv)
{
	int en = kw_cli_en();
	const char *inputs = NULL, *seed_hex = NULL, *commitment = NULL, *in_digest = NULL,
	           *as_digest = NULL, *out = NULL;
	int timings = 0;
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return kw_cli_usage("seat", en ? "the subcommand is verify" : "子命令为 verify");
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--timings") == 0) {
			timings = 1;
			continue;
		}
		const char **slot = strcmp(argv[i], "--inputs") == 0              ? &inputs
		                    : strcmp(argv[i], "--seed") == 0              ? &seed_hex
		                    : strcmp(argv[i], "--commitment") == 0        ? &commitment
		                    : strcmp(argv[i], "--inputs-digest") == 0     ? &in_digest
		                    : strcmp(argv[i], "--assignment-digest") == 0 ? &as_digest
		                    : strcmp(argv[i], "--out") == 0               ? &out
		                                                                  : NULL;
		if (!slot || i + 1 >= argc)
			return kw_cli_usage("seat", en ? "unknown option or missing value"
			                               : "未知选项或缺少取值");
		*slot = argv[++i];
	}
	if (!inputs || !seed_hex)
		return kw_cli_usage("seat", en ? "--inputs FILE and --seed HEX are required"
		                               : "必须给出 --inputs 文件和 --seed 种子");
	struct kw_err err = KW_ERR_INIT;
	uint8_t seed[KW_DRAW_SEED_BYTES];
	if (kw_draw_seed_parse(seed_hex, strlen(seed_hex), seed, &err)) {
		kw_cli_fail("seat", &err);
		return KW_EXIT_USAGE;
	}
	size_t n = 0;
	double t0 = (double)kw_clock_mono_us();
	char *text = slurp(inputs, &n);
	if (!text) {
		fprintf(stderr, en ? "kaowu seat: cannot read %s\n" : "kaowu seat：无法读取 %s\n",
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
	struct kw_seat_inputs in;
	memset(&in, 0, sizeof in);
	double t1 = (double)kw_clock_mono_us();
	int rc = kw_seat_inputs_parse(text, n, &in, &err);
	double t2 = (double)kw_clock_mono_us();
	free(text);
	if (rc) {
		kw_cli_fail("seat", &err);
		return KW_EXIT_FAIL;
	}
	struct kw_seat_result r;
	rc = kw_seat_assign(&in, seed, &r, &err);
	double t3 = (double)kw_clock_mono_us();
	if (rc) {
		kw_seat_result_release(&r);
		kw_seat_inputs_release(&in);
		kw_cli_fail("seat", &err);
		return KW_EXIT_FAIL;
	}
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	char digest[65];
	rc = kw_seat_result_write(&in, &r, out ? &b : NULL, digest);
	double t4 = (double)kw_clock_mono_us();
	if (timings)
		fprintf(stderr,
		        "timings (s): read %.3f, parse+hash %.3f, assign %.3f, digest %.3f\n",
		        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
	printf("%s: %zu, %s: %zu\n", en ? "candidates seated" : "编排考生", in.ncands,
	       en ? "exam rooms" : "考场", r.nrooms);
	if (as_digest)
		bad |= check(en, "编排结果摘要", "assignment digest", as_digest, digest);
	else
		printf("%s: %s\n", en ? "assignment digest" : "编排结果摘要", digest);
	if (!rc && out) {
		FILE *f = fopen(out, "wb");
		if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
			fprintf(stderr,
			        en ? "kaowu seat: cannot write %s\n" : "kaowu seat：无法写入 %s\n",
			        out);
			bad = 1;
		}
	}
	kw_buf_release(&b);
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
	if (bad) {
		printf(en ? "NOT verified\n" : "核验未通过\n");
		return KW_EXIT_FAIL;
	}
	printf(en ? "verified\n" : "核验通过\n");
	return KW_EXIT_OK;
}
