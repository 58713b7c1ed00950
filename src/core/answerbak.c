/* The answer-data backup file (core/answerbak.h). */
#include "core/answerbak.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void kw_answerbak_sha256(const void *d, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, d, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int kw_answerbak_manifest_digest(const json_t *manifest, char out[65])
{
	char *s = json_dumps(manifest, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return -1;
	kw_answerbak_sha256(s, strlen(s), out);
	free(s);
	return 0;
}

int kw_answerbak_line(const char *p, size_t n, int64_t *reg)
{
	size_t tabs = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\t')
			tabs++;
		else if (p[i] == '\n' || p[i] == '\0')
			return -1;
	}
	if (tabs != 3 || n == 0 || p[0] < '1' || p[0] > '9')
		return -1;
	int64_t v = 0;
	size_t i = 0;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	if (i >= n || p[i] != '\t')
		return -1;
	*reg = v;
	return 0;
}

static void problem(json_t *problems, const char *what, int64_t block, int64_t line,
                    const char *note)
{
	if (json_array_size(problems) >= KW_ANSWERBAK_MAX_PROBLEMS)
		return;
	json_t *p = json_pack("{s:s, s:s}", "problem", what, "note", note);
	if (block)
		json_object_set_new(p, "block_id", json_integer(block));
	if (line)
		json_object_set_new(p, "line", json_integer(line));
	json_array_append_new(problems, p);
}

static int is_hex64(const json_t *v)
{
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int64_t pos_int(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
}

/* The shape of the manifest's batch list: 0, or -1 (problem listed). */
static int batches_shape(const json_t *list, json_t *problems)
{
	size_t i, j;
	const json_t *b, *c;
	json_array_foreach(list, i, b)
	{
		if (!json_is_object(b) || pos_int(b, "block_id") <= 0 ||
		    pos_int(b, "import_id") <= 0 || pos_int(b, "sheets") < 0 ||
		    !json_is_string(json_object_get(b, "subject")) ||
		    pos_int(b, "first_registration") < 0 || pos_int(b, "last_registration") < 0 ||
		    !is_hex64(json_object_get(b, "sha256"))) {
			problem(problems, "format", 0, 0, "a batch of the manifest is malformed");
			return -1;
		}
		for (j = 0; j < i && (c = json_array_get(list, j)); j++)
			if (pos_int(c, "block_id") == pos_int(b, "block_id")) {
				problem(problems, "format", pos_int(b, "block_id"), 0,
				        "a batch is listed twice in the manifest");
				return -1;
			}
	}
	return 0;
}

/* One body against its batch of the manifest: digest, lines, sheets. */
static void body_check(const json_t *mb, const char *body, size_t n, json_t *problems)
{
	int64_t block = pos_int(mb, "block_id");
	char sha[65];
	kw_answerbak_sha256(body, n, sha);
	if (strcmp(sha, json_string_value(json_object_get(mb, "sha256"))) != 0)
		problem(problems, "batch_digest", block, 0,
		        "the batch's SHA-256 differs from the manifest's: its content changed");
	int64_t lines = 0, first = pos_int(mb, "first_registration"),
	        last = pos_int(mb, "last_registration");
	const char *p = body, *end = body + n;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		int64_t reg = 0;
		lines++;
		if (!e) {
			problem(problems, "batch_line", block, lines, "the last line has no LF");
			break;
		}
		if (kw_answerbak_line(p, (size_t)(e - p), &reg))
			problem(problems, "batch_line", block, lines,
			        "not \"registration_id TAB ticket_no TAB form TAB answers\"");
		else if (reg < first || reg > last)
			problem(problems, "batch_line", block, lines,
			        "a registration outside the batch's range");
		p = e + 1;
	}
	if (lines != pos_int(mb, "sheets"))
		problem(problems, "batch_sheets", block, 0,
		        "the batch holds another number of sheets than the manifest says");
}

int kw_answerbak_check(const char *data, size_t n, json_t **doc, json_t *problems)
{
	json_error_t je;
	*doc = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
	if (!*doc) {
		problem(problems, "unreadable", 0, je.line > 0 ? je.line : 0,
		        "the file is not JSON (changed or cut?)");
		return -1;
	}
	const json_t *d = *doc, *m = json_object_get(d, "manifest"),
	             *mb = json_object_get(m, "batches"), *fb = json_object_get(d, "batches"),
	             *counts = json_object_get(m, "counts"), *im = json_object_get(m, "imports");
	const char *fmt = json_string_value(json_object_get(d, "format"));
	if (!json_is_object(d) || !fmt || strcmp(fmt, KW_ANSWERBAK_FORMAT) != 0 ||
	    !json_is_object(m) || !json_is_array(mb) || !json_is_array(fb) || !json_is_array(im) ||
	    !json_is_object(counts) || pos_int(json_object_get(m, "exam"), "id") <= 0 ||
	    !is_hex64(json_object_get(d, "digest"))) {
		problem(problems, "format", 0, 0,
		        "not a kaowu answer backup (" KW_ANSWERBAK_FORMAT ")");
		return -1;
	}
	if (batches_shape(mb, problems))
		return -1;
	char dg[65];
	if (kw_answerbak_manifest_digest(m, dg) ||
	    strcmp(dg, json_string_value(json_object_get(d, "digest"))) != 0)
		problem(problems, "manifest_digest", 0, 0,
		        "the manifest's digest differs from the one the file names: the manifest "
		        "changed");
	size_t i, j;
	const json_t *b, *f;
	int64_t sheets = 0;
	json_array_foreach(mb, i, b)
	{
		int64_t block = pos_int(b, "block_id");
		sheets += pos_int(b, "sheets");
		const json_t *hit = NULL;
		json_array_foreach(fb, j, f) if (pos_int(f, "block_id") == block) hit = f;
		const json_t *body = json_object_get(hit, "body");
		if (!json_is_string(body))
			problem(problems, "batch_missing", block, 0,
			        "the manifest lists a batch the file does not hold");
		else
			body_check(b, json_string_value(body), json_string_length(body), problems);
	}
	json_array_foreach(fb, j, f)
	{
		int64_t block = pos_int(f, "block_id");
		int listed = 0;
		json_array_foreach(mb, i, b) listed |= pos_int(b, "block_id") == block;
		if (!listed)
			problem(problems, "batch_extra", block > 0 ? block : 0, 0,
			        "the file holds a batch the manifest does not list");
	}
	if (pos_int(counts, "batches") != (int64_t)json_array_size(mb) ||
	    pos_int(counts, "imports") != (int64_t)json_array_size(im) ||
	    pos_int(counts, "sheets") != sheets)
		problem(problems, "counts", 0, 0, "the manifest's counts do not add up");
	return 0;
}
