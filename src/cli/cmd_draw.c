/*
 * kaowu draw: the committed-then-revealed seeds of docs/draws.md, for whoever must check a
 * draw — a new seed and its commitment, the commitment of a revealed seed, a check of one
 * against the other, and the shuffle a seed gives for a purpose.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/draw.h"

static int parse_seed(const char *hex, uint8_t seed[KW_DRAW_SEED_BYTES])
{
	struct kw_err err = KW_ERR_INIT;
	int rc = kw_draw_seed_parse(hex, strlen(hex), seed, &err);
	if (rc)
		kw_cli_fail("draw", &err);
	kw_err_release(&err);
	return rc;
}

int cmd_draw(int argc, char **argv)
{
	int en = kw_cli_en();
	const char *sub = argc > 1 ? argv[1] : "";
	uint8_t seed[KW_DRAW_SEED_BYTES];
	char hex[65], commit[65];
	struct kw_err err = KW_ERR_INIT;
	if (strcmp(sub, "new") == 0 && argc == 2) {
		if (kw_draw_seed_new(seed, &err) || kw_draw_commit(seed, commit, &err))
			return kw_cli_fail("draw", &err);
		kw_draw_seed_hex(seed, hex);
		printf(en ? "seed (keep secret until the draw is done): %s\ncommitment (publish "
		            "before the draw): %s\n"
		          : "种子（抽签完成前保密）：%s\n承诺值（抽签前公布）：%s\n",
		       hex, commit);
		return KW_EXIT_OK;
	}
	if (strcmp(sub, "commit") == 0 && argc == 3) {
		if (parse_seed(argv[2], seed))
			return KW_EXIT_USAGE;
		if (kw_draw_commit(seed, commit, &err))
			return kw_cli_fail("draw", &err);
		printf("%s\n", commit);
		return KW_EXIT_OK;
	}
	if (strcmp(sub, "verify") == 0 && argc == 4) {
		if (parse_seed(argv[2], seed))
			return KW_EXIT_USAGE;
		if (!kw_draw_verify(seed, argv[3])) {
			fprintf(stderr, en ? "kaowu draw: the seed does NOT match the commitment\n"
			                   : "kaowu draw：种子与公布的承诺值不符\n");
			return KW_EXIT_FAIL;
		}
		printf(en ? "the seed matches the commitment\n" : "种子与公布的承诺值相符\n");
		return KW_EXIT_OK;
	}
	if (strcmp(sub, "shuffle") == 0 && argc == 5) {
		char *end;
		long n = strtol(argv[4], &end, 10);
		if (parse_seed(argv[2], seed))
			return KW_EXIT_USAGE;
		if (!*argv[3] || *end || n < 1 || n > 1000000)
			return kw_cli_usage("draw",
			                    en ? "shuffle wants a purpose and N from 1 to 1000000"
			                       : "shuffle 需要用途和 1 到 1000000 之间的 N");
		struct kw_draw_stream s;
		if (kw_draw_stream_init(&s, seed, argv[3], &err))
			return kw_cli_fail("draw", &err);
		uint32_t *perm = malloc((size_t)n * sizeof *perm);
		if (!perm) {
			kw_draw_stream_release(&s);
			return KW_EXIT_FAIL;
		}
		kw_draw_shuffle(&s, (size_t)n, perm);
		for (long i = 0; i < n; i++)
			printf("%u%c", perm[i], i + 1 < n ? ' ' : '\n');
		free(perm);
		kw_draw_stream_release(&s);
		return KW_EXIT_OK;
	}
	return kw_cli_usage(
	        "draw", en ? "expected: new | commit SEED | verify SEED COMMITMENT | "
	                     "shuffle SEED PURPOSE N"
	                   : "应为：new | commit 种子 | verify 种子 承诺值 | shuffle 种子 用途 N");
}
