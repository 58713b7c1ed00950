/*
 * kaowu seat verify: an auditor's re-run of a published seating run (SEAT-1). From the
 * public inputs file and the revealed seed it recomputes the assignment, checks the seed
 * against its commitment and the digests against those published, and can write the
 * assignment out (docs/seating.md). Needs no database: only what the public page gives.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "util/clock.h"
#include "core/draw.h"
#include "core/seat.h"
#include "util/bigalloc.h"

/* The whole file (caller frees), read into one block of its size when it is a regular file. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat sb;
	size_t cap = 1 << 20, len = 0;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    (unsigned long long)sb.st_size < ((unsigned long long)1 << 33))
		cap = (size_t)sb.st_size + 1; /* + 1: the read that sees the end */
	char *b = kw_xmalloc_big(cap);
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

/* The process's CPU time (every thread), in seconds. */
static double cpu_secs(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The inputs digest, computed on a second thread while the file is parsed and seated. */
struct inputs_hash {
	const char *text;
	size_t n;
	char hex[65];
	double secs;
};

static void *hash_inputs(void *arg)
{
	struct inputs_hash *ih = arg;
	double t = (double)kw_clock_mono_us();
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)ih->text, ih->n);
	sodium_bin2hex(ih->hex, sizeof ih->hex, h, sizeof h);
	ih->secs = ((double)kw_clock_mono_us() - t) / 1e6;
	return NULL;
}

/* --out: the assignment file written as it is made; a failed write is remembered, and the
 * digest still computed. */
struct out_file {
	FILE *f;
	int failed;
};

static int out_sink(void *data, const char *bytes, size_t n)
{
	struct out_file *o = data;
	if (!o->failed && fwrite(bytes, 1, n, o->f) != n)
		o->failed = 1;
	return 0;
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
	/* --timings: read = the file into memory. Everything after it is the verification:
	 * parse, assign, the wait for the inputs digest (hashed meanwhile on a second thread,
	 * so that it costs no time when a core is free), the assignment digest (with writing
	 * --out as it is made). */
	size_t n = 0;
	double t0 = (double)kw_clock_mono_us();
	char *text = slurp(inputs, &n);
	if (!text) {
		fprintf(stderr, en ? "kaowu seat: cannot read %s\n" : "kaowu seat：无法读取 %s\n",
		        inputs);
		return KW_EXIT_FAIL;
	}
	double t1 = (double)kw_clock_mono_us(), c1 = cpu_secs();
	struct inputs_hash ih = {.text = text, .n = n};
	pthread_t hasher;
	int threaded = pthread_create(&hasher, NULL, hash_inputs, &ih) == 0;
	struct kw_seat_inputs in;
	memset(&in, 0, sizeof in);
	int rc = kw_seat_inputs_parse(text, n, &in, &err);
	double t2 = (double)kw_clock_mono_us();
	struct kw_seat_result r;
	memset(&r, 0, sizeof r);
	if (!rc)
		rc = kw_seat_assign(&in, seed, &r, &err);
	double t3 = (double)kw_clock_mono_us();
	if (threaded)
		pthread_join(hasher, NULL);
	else
		hash_inputs(&ih);
	free(text);
	int bad = 0;
	if (in_digest)
		bad |= check(en, "输入文件摘要", "inputs digest", in_digest, ih.hex);
	else
		printf("%s: %s\n", en ? "inputs digest" : "输入文件摘要", ih.hex);
	if (commitment) {
		char c[65];
		kw_draw_commit(seed, c, NULL);
		bad |= check(en, "种子承诺值", "seed commitment", commitment, c);
	}
	double t4 = (double)kw_clock_mono_us();
	if (rc) {
		fflush(stdout);
		kw_seat_result_release(&r);
		kw_seat_inputs_release(&in);
		kw_cli_fail("seat", &err);
		return KW_EXIT_FAIL;
	}
	struct out_file of = {NULL, 0};
	if (out && !(of.f = fopen(out, "wb")))
		of.failed = 1;
	char digest[65];
	rc = kw_seat_result_stream(&in, &r, of.f ? out_sink : NULL, &of, digest);
	if (of.f && fclose(of.f) != 0)
		of.failed = 1;
	double t5 = (double)kw_clock_mono_us(), c5 = cpu_secs();
	if (timings)
		fprintf(stderr,
		        "timings (s): read %.3f, verification %.3f = parse %.3f + assign %.3f + "
		        "inputs digest wait %.3f + assignment digest %.3f (CPU %.3f, all threads); "
		        "inputs digest %.3f %s\n",
		        (t1 - t0) / 1e6, (t5 - t1) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6,
		        (t4 - t3) / 1e6, (t5 - t4) / 1e6, c5 - c1, ih.secs,
		        threaded ? "on a second thread, alongside parse and assign"
		                 : "in the wait (no second thread)");
	printf("%s: %zu, %s: %zu\n", en ? "candidates seated" : "编排考生", in.ncands,
	       en ? "exam rooms" : "考场", r.nrooms);
	if (rc) {
		kw_err_set(&err, rc, "INTERNAL", NULL, "the assignment file could not be made");
		kw_cli_fail("seat", &err);
		bad = 1;
	} else if (as_digest)
		bad |= check(en, "编排结果摘要", "assignment digest", as_digest, digest);
	else
		printf("%s: %s\n", en ? "assignment digest" : "编排结果摘要", digest);
	if (!rc && out && of.failed) {
		fprintf(stderr, en ? "kaowu seat: cannot write %s\n" : "kaowu seat：无法写入 %s\n",
		        out);
		bad = 1;
	}
	kw_seat_result_release(&r);
	kw_seat_inputs_release(&in);
	if (bad) {
		printf(en ? "NOT verified\n" : "核验未通过\n");
		return KW_EXIT_FAIL;
	}
	printf(en ? "verified\n" : "核验通过\n");
	return KW_EXIT_OK;
}
