#include "app/bulk.h"

#include <csv.h>
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "app/audit.h"
#include "app/reg.h"
#include "core/eligibility.h"
#include "core/idno.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define CHUNK      10000 /* rows per batch audit record */
#define MAX_FIELDS 32
#define MAX_ERRORS 200

/* The import's columns, in the export's order. */
enum col {
	C_ID_TYPE,
	C_ID_NUMBER,
	C_NAME,
	C_PHONE,
	C_BIRTH_DATE,
	C_EDU_LEVEL,
	C_DEGREE,
	C_MAJOR_CODE,
	C_MAJOR,
	C_SCHOOL,
	C_GRADUATED_ON,
	C_POLITICAL,
	C_HOUSEHOLD,
	C_WORK_YEARS,
	C_GRASSROOTS_YEARS,
	C_EXAM,
	C_POSITION,
	C_SUBJECTS,
	C_ROUTE,
	C_STATUS,
	C_AREA,
	NCOLS
};
static const char *const col_names[NCOLS] = {"id_type",
                                             "id_number",
                                             "name",
                                             "phone",
                                             "birth_date",
                                             "education_level",
                                             "degree",
                                             "major_code",
                                             "major",
                                             "school",
                                             "graduated_on",
                                             "political_status",
                                             "household_region",
                                             "work_years",
                                             "grassroots_years",
                                             "exam_code",
                                             "position_code",
                                             "subjects",
                                             "route",
                                             "status",
                                             "area"};

struct exam_cache {
	char code[48];
	int64_t id;
	int civil;
	char pledge_version[32];
	char subjects[512]; /* ",01,02," */
};

struct imp {
	struct kw_tx *tx;
	const struct kw_bulk_progress *progress;
	/* the row being read */
	char *field[MAX_FIELDS];
	size_t nfield;
	int too_wide;
	int map[MAX_FIELDS]; /* header position → enum col, or -1 */
	int header_done;
	uint64_t line, rows, bytes;
	/* statements */
	struct kw_stmt *find_cand, *ins_cand, *find_pos, *ins_reg, *find_exam, *find_subj,
	        *find_area;
	char area_code[64]; /* the last area looked up, and its unit (0: not an exam area) */
	int64_t area_id;
	char now[32];
	char today[11];
	struct exam_cache exam;
	/* batches */
	struct kw_batch_row *cand_rows, *reg_rows;
	size_t ncand, nreg;
	uint64_t created, reused, registrations;
	/* problems */
	json_t *errors;
	uint64_t nerrors;
	int stop_db; /* a database error happened: later rows are only checked */
	int rc;
	struct kw_err *err;
};

static void row_problem(struct imp *m, const char *field, const char *problem)
{
	m->nerrors++;
	if (json_array_size(m->errors) < MAX_ERRORS)
		json_array_append_new(m->errors,
		                      json_pack("{s:I, s:s, s:s}", "line", (json_int_t)m->line,
		                                "field", field, "problem", problem));
}

static const char *val(struct imp *m, enum col c)
{
	for (size_t i = 0; i < m->nfield && i < MAX_FIELDS; i++)
		if (m->map[i] == (int)c)
			return m->field[i] && *m->field[i] ? m->field[i] : NULL;
	return NULL;
}

static void on_field(void *data, size_t len, void *arg)
{
	struct imp *m = arg;
	if (m->nfield >= MAX_FIELDS) {
		m->too_wide = 1;
		return;
	}
	char *s = kw_xmalloc(len + 1);
	memcpy(s, data ? data : "", len);
	s[len] = '\0';
	m->field[m->nfield++] = s;
}

static int valid_date(const char *s)
{
	int y, mo, d;
	char t;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &t) != 3 || y < 1900 ||
	    mo < 1 || mo > 12 || d < 1 || d > days[mo - 1])
		return 0;
	return !(mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int in_list(const char *v, const char *const *l)
{
	for (; v && *l; l++)
		if (strcmp(*l, v) == 0)
			return 1;
	return 0;
}

static int small_int(const char *v, int max)
{
	if (!v)
		return 0;
	char *end;
	long x = strtol(v, &end, 10);
	return *end || x < 0 || x > max ? -1 : (int)x;
}

/* The exam of a code (the last one is kept: files come grouped by exam). */
static int load_exam(struct imp *m, const char *code)
{
	if (strcmp(m->exam.code, code) == 0)
		return m->exam.id ? 0 : -1;
	memset(&m->exam, 0, sizeof m->exam);
	snprintf(m->exam.code, sizeof m->exam.code, "%s", code);
	kw_stmt_reset(m->find_exam);
	kw_stmt_bind_textz(m->find_exam, 1, code);
	int rc = kw_stmt_step(m->find_exam, m->err);
	if (rc != KW_ROW)
		return rc == KW_DONE ? -1 : (m->rc = rc, -1);
	m->exam.id = kw_stmt_column_int64(m->find_exam, 0);
	m->exam.civil = strcmp(kw_stmt_column_text(m->find_exam, 1, NULL), "civil_service") == 0;
	json_t *p = NULL;
	struct kw_err e = KW_ERR_INIT;
	if (kw_reg_pledge(kw_stmt_column_text(m->find_exam, 2, NULL), "zh", &p, &e) == 0)
		snprintf(m->exam.pledge_version, sizeof m->exam.pledge_version, "%s",
		         json_string_value(json_object_get(p, "version")));
	json_decref(p);
	kw_err_release(&e);
	kw_stmt_reset(m->find_subj);
	kw_stmt_bind_int64(m->find_subj, 1, m->exam.id);
	size_t used = 1;
	m->exam.subjects[0] = ',';
	m->exam.subjects[1] = '\0';
	while ((rc = kw_stmt_step(m->find_subj, m->err)) == KW_ROW) {
		int w = snprintf(m->exam.subjects + used, sizeof m->exam.subjects - used, "%s,",
		                 kw_stmt_column_text(m->find_subj, 0, NULL));
		if (w > 0 && (size_t)w < sizeof m->exam.subjects - used)
			used += (size_t)w;
	}
	if (rc != KW_DONE)
		m->rc = rc;
	return 0;
}

static void bind_opt(struct kw_stmt *s, int i, const char *v)
{
	if (v)
		kw_stmt_bind_textz(s, i, v);
	else
		kw_stmt_bind_null(s, i);
}

static int flush(struct imp *m)
{
	int rc = 0;
	if (m->ncand)
		rc = kw_audit_append_batch(m->tx, "candidate.import", "candidates", m->cand_rows,
		                           m->ncand, NULL, m->err);
	if (!rc && m->nreg)
		rc = kw_audit_append_batch(m->tx, "registration.import", "registrations",
		                           m->reg_rows, m->nreg, NULL, m->err);
	m->ncand = m->nreg = 0;
	return rc;
}

/* One data row: checked; written unless something has failed already. */
static void do_row(struct imp *m)
{
	const char *type = val(m, C_ID_TYPE) ? val(m, C_ID_TYPE) : "resident_id";
	const char *number = val(m, C_ID_NUMBER), *name = val(m, C_NAME), *phone = val(m, C_PHONE);
	struct kw_idno id;
	enum kw_idno_type t = kw_idno_type_of(type);
	uint64_t before = m->nerrors;
	if (!t)
		row_problem(m, "id_type", "not_allowed");
	else if (kw_idno_check(t, number, m->today, &id))
		row_problem(m, "id_number",
		            kw_idno_problem(kw_idno_check(t, number, m->today, &id)));
	if (!name || strlen(name) > 150)
		row_problem(m, "name", name ? "too_long" : "required");
	if (!phone || strlen(phone) > 30 || strspn(phone, "+0123456789- ") != strlen(phone))
		row_problem(m, "phone", "phone_format");
	const char *bd = val(m, C_BIRTH_DATE), *gd = val(m, C_GRADUATED_ON);
	if (bd && !valid_date(bd))
		row_problem(m, "birth_date", "date_format");
	if (gd && !valid_date(gd))
		row_problem(m, "graduated_on", "date_format");
	const char *lvl = val(m, C_EDU_LEVEL), *deg = val(m, C_DEGREE), *pol = val(m, C_POLITICAL);
	if (lvl && !in_list(lvl, kw_elig_education_levels))
		row_problem(m, "education_level", "not_allowed");
	if (deg && !in_list(deg, kw_elig_degrees))
		row_problem(m, "degree", "not_allowed");
	if (pol && !in_list(pol, kw_elig_political_statuses))
		row_problem(m, "political_status", "not_allowed");
	const char *hr = val(m, C_HOUSEHOLD);
	if (hr && (strlen(hr) != 6 || strspn(hr, "0123456789") != 6))
		row_problem(m, "household_region", "region_codes");
	int wy = small_int(val(m, C_WORK_YEARS), 60),
	    gy = small_int(val(m, C_GRASSROOTS_YEARS), 60);
	if (wy < 0)
		row_problem(m, "work_years", "range");
	if (gy < 0)
		row_problem(m, "grassroots_years", "range");
	const char *exam = val(m, C_EXAM), *pos = val(m, C_POSITION), *subj = val(m, C_SUBJECTS);
	const char *route = val(m, C_ROUTE) ? val(m, C_ROUTE) : "proof";
	const char *status = val(m, C_STATUS) ? val(m, C_STATUS) : "submitted";
	static const char *const routes[] = {"pledge", "proof", NULL};
	static const char *const statuses[] = {"submitted", "approved", "rejected", "void", NULL};
	if (!in_list(route, routes))
		row_problem(m, "route", "not_allowed");
	if (!in_list(status, statuses))
		row_problem(m, "status", "not_allowed");
	/* SEAT-1: the exam area the candidate sits in (a unit code of an exam-area agency) */
	const char *area = val(m, C_AREA);
	if (area && !m->stop_db && strcmp(area, m->area_code) != 0) {
		snprintf(m->area_code, sizeof m->area_code, "%s", area);
		m->area_id = 0;
		kw_stmt_reset(m->find_area);
		kw_stmt_bind_textz(m->find_area, 1, area);
		int rc = kw_stmt_step(m->find_area, m->err);
		if (rc == KW_ROW)
			m->area_id = kw_stmt_column_int64(m->find_area, 0);
		else if (rc != KW_DONE)
			m->rc = rc;
	}
	if (area && !m->stop_db && !m->area_id)
		row_problem(m, "area", "not_an_exam_area");
	int64_t pos_id = 0;
	char subjects[400] = "";
	if (exam && !m->stop_db) {
		if (load_exam(m, exam) != 0) {
			row_problem(m, "exam_code", "orphan");
		} else if (m->exam.civil) {
			if (!pos || subj)
				row_problem(m, "position_code", "required");
			else {
				kw_stmt_reset(m->find_pos);
				kw_stmt_bind_int64(m->find_pos, 1, m->exam.id);
				kw_stmt_bind_textz(m->find_pos, 2, pos);
				int rc = kw_stmt_step(m->find_pos, m->err);
				if (rc == KW_ROW)
					pos_id = kw_stmt_column_int64(m->find_pos, 0);
				else if (rc == KW_DONE)
					row_problem(m, "position_code", "orphan");
				else
					m->rc = rc;
			}
		} else {
			if (pos || !subj)
				row_problem(m, "subjects", "required");
			/* "01;02" → "01,02", each a subject of the exam */
			size_t used = 0;
			for (const char *p = subj; p && *p;) {
				size_t n = strcspn(p, ";");
				char code[40], pat[48];
				if (n == 0 || n >= sizeof code) {
					row_problem(m, "subjects", "unknown_subject");
					break;
				}
				memcpy(code, p, n);
				code[n] = '\0';
				snprintf(pat, sizeof pat, ",%s,", code);
				if (!strstr(m->exam.subjects, pat) ||
				    used + n + 2 > sizeof subjects) {
					row_problem(m, "subjects", "unknown_subject");
					break;
				}
				used += (size_t)snprintf(subjects + used, sizeof subjects - used,
				                         "%s%s", used ? "," : "", code);
				p += n;
				if (*p == ';')
					p++;
			}
		}
	} else if (!exam && (pos || subj)) {
		row_problem(m, "exam_code", "required");
	}
	if (m->nerrors > before || m->nerrors || m->stop_db || m->rc)
		return; /* nothing is written once anything is wrong: the job rolls back anyway */

	/* The candidate: created, or (the document is there already) found. */
	int64_t cand = 0;
	int rc = KW_DONE;
	{
		/* The education record as the profile keeps it (keys in the profile's order). */
		char sex[2] = {id.sex, 0};
		struct kw_buf eb = KW_BUF_INIT;
		kw_buf_init(&eb, 0);
		kw_buf_adds(&eb, "[");
		if (lvl) {
			static const struct {
				const char *key;
				enum col c;
			} ef[] = {{"level", C_EDU_LEVEL},       {"degree", C_DEGREE},
			          {"major_code", C_MAJOR_CODE}, {"major", C_MAJOR},
			          {"school", C_SCHOOL},         {"graduated_on", C_GRADUATED_ON}};
			int first = 1;
			kw_buf_adds(&eb, "{");
			for (size_t k = 0; k < sizeof ef / sizeof ef[0]; k++) {
				const char *v = val(m, ef[k].c);
				if (!v)
					continue;
				kw_buf_addf(&eb, "%s\"%s\":", first ? "" : ",", ef[k].key);
				kw_json_append_string(&eb, v, strlen(v));
				first = 0;
			}
			kw_buf_adds(&eb, "}");
		}
		kw_buf_adds(&eb, "]");
		const char *edu = eb.buf;
		struct kw_stmt *s = m->ins_cand;
		kw_stmt_reset(s);
		kw_stmt_bind_textz(s, 1, type);
		kw_stmt_bind_textz(s, 2, id.norm);
		kw_stmt_bind_textz(s, 3, name);
		bind_opt(s, 4, sex[0] ? sex : NULL);
		bind_opt(s, 5, id.birth[0] ? id.birth : bd);
		kw_stmt_bind_textz(s, 6, phone);
		bind_opt(s, 7, pol);
		bind_opt(s, 8, hr);
		kw_stmt_bind_int64(s, 9, wy);
		kw_stmt_bind_int64(s, 10, gy);
		kw_stmt_bind_textz(s, 11, edu);
		kw_stmt_bind_textz(s, 12, m->now);
		rc = kw_stmt_step(s, m->err);
		kw_buf_release(&eb);
		if (rc == KW_ROW) {
			struct kw_batch_row *b = &m->cand_rows[m->ncand++];
			kw_audit_digest_row("candidates", s, &b->id, b->digest);
			cand = b->id;
			m->created++;
			rc = 0;
		} else if (rc == KW_DONE) {
			kw_stmt_reset(m->find_cand);
			kw_stmt_bind_textz(m->find_cand, 1, type);
			kw_stmt_bind_textz(m->find_cand, 2, id.norm);
			rc = kw_stmt_step(m->find_cand, m->err);
			if (rc == KW_ROW) {
				cand = kw_stmt_column_int64(m->find_cand, 0);
				m->reused++;
				rc = 0;
			}
		}
	}
	if (rc < 0) {
		m->rc = rc;
		return;
	}
	if (exam) {
		struct kw_stmt *s = m->ins_reg;
		int pledge = strcmp(route, "pledge") == 0;
		kw_stmt_reset(s);
		kw_stmt_bind_int64(s, 1, m->exam.id);
		kw_stmt_bind_int64(s, 2, cand);
		if (pos_id)
			kw_stmt_bind_int64(s, 3, pos_id);
		else
			kw_stmt_bind_null(s, 3);
		kw_stmt_bind_textz(s, 4, subjects);
		kw_stmt_bind_textz(s, 5, route);
		bind_opt(s, 6, pledge ? m->exam.pledge_version : NULL);
		bind_opt(s, 7, pledge ? m->now : NULL);
		kw_stmt_bind_textz(s, 8, status);
		kw_stmt_bind_textz(s, 9, m->now);
		if (area && m->area_id)
			kw_stmt_bind_int64(s, 10, m->area_id);
		else
			kw_stmt_bind_null(s, 10);
		rc = kw_stmt_step(s, m->err);
		if (rc == KW_ROW) {
			struct kw_batch_row *b = &m->reg_rows[m->nreg++];
			kw_audit_digest_row("registrations", s, &b->id, b->digest);
			m->registrations++;
		} else if (rc == KW_ECONFLICT) {
			/* The same person twice for one exam: PostgreSQL's transaction is over. */
			kw_err_release(m->err);
			row_problem(m, "id_number", "duplicate");
			m->stop_db = 1;
			return;
		} else {
			m->rc = rc;
			return;
		}
	}
	if (m->ncand >= CHUNK || m->nreg >= CHUNK)
		m->rc = flush(m);
}

static void on_row(int c, void *arg)
{
	(void)c;
	struct imp *m = arg;
	m->line++;
	if (m->rc)
		goto out;
	if (!m->header_done) {
		for (size_t i = 0; i < MAX_FIELDS; i++)
			m->map[i] = -1;
		for (size_t i = 0; i < m->nfield; i++) {
			const char *h = m->field[i];
			if (i == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
				h += 3;
			int known = 0;
			for (int k = 0; k < NCOLS; k++)
				if (strcmp(h, col_names[k]) == 0)
					m->map[i] = k, known = 1;
			if (!known)
				row_problem(m, h, "unknown");
		}
		m->header_done = 1;
		if (m->nerrors)
			m->stop_db = 1;
		goto out;
	}
	m->rows++;
	if (m->too_wide)
		row_problem(m, "row", "too_many_fields");
	else
		do_row(m);
	if (m->progress && m->progress->fn && m->rows % CHUNK == 0)
		m->progress->fn(m->progress->arg, m->rows, m->bytes);
out:
	for (size_t i = 0; i < m->nfield; i++)
		free(m->field[i]);
	m->nfield = 0;
	m->too_wide = 0;
}

struct import_job {
	FILE *in;
	off_t start; /* the job may run twice (writer.c): each run reads from here */
	const struct kw_bulk_progress *progress;
	json_t *out;
};

static int prep(struct kw_tx *tx, struct kw_stmt **s, const char *sql, struct kw_err *err)
{
	return kw_conn_prepare(tx->conn, sql, s, err);
}

static int import_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct import_job *j = arg;
	if (fseeko(j->in, j->start, SEEK_SET) != 0)
		return kw_err_set(err, KW_EINVAL, "INPUT_NOT_SEEKABLE", NULL,
		                  "the input cannot be read again");
	clearerr(j->in);
	/* SQLite: a large, fixed page cache for the one long transaction, so that pages are
	 * not spilled to the log and read back every few thousand rows (bounded: memory stays
	 * flat in the number of rows); back to the default afterwards. */
	int sqlite = kw_conn_driver(tx->conn) == KW_DRIVER_SQLITE;
	if (sqlite && kw_conn_exec(tx->conn, "PRAGMA cache_size = -262144", err))
		return KW_ESTORE;
	struct imp *m = kw_xcalloc(1, sizeof *m);
	m->tx = tx;
	m->err = err;
	m->progress = j->progress;
	m->errors = json_array();
	m->cand_rows = kw_xcalloc(CHUNK + 1, sizeof *m->cand_rows);
	m->reg_rows = kw_xcalloc(CHUNK + 1, sizeof *m->reg_rows);
	kw_clock_format(tx->now_us, m->now);
	time_t t = (time_t)(tx->now_us / 1000000 + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(m->today, sizeof m->today, "%Y-%m-%d", &tm);
	char rc_cand[1024], rc_reg[1024], sql[2048];
	kw_audit_returning("candidates", rc_cand, sizeof rc_cand);
	kw_audit_returning("registrations", rc_reg, sizeof rc_reg);
	int rc = prep(tx, &m->find_cand,
	              "SELECT id FROM candidates WHERE id_type = $1 AND id_number = $2", err);
	if (!rc) {
		snprintf(
		        sql, sizeof sql,
		        "INSERT INTO candidates (id_type, id_number, name, sex, birth_date, phone, "
		        "password_hash, status, political_status, household_region, work_years, "
		        "grassroots_years, grassroots_project, education, created_at, updated_at) "
		        "VALUES ($1, $2, $3, $4, $5, $6, '!imported', 'active', $7, $8, $9, $10, "
		        "0, $11, $12, $12) ON CONFLICT (id_type, id_number) DO NOTHING %s",
		        rc_cand);
		rc = prep(tx, &m->ins_cand, sql, err);
	}
	if (!rc) {
		snprintf(sql, sizeof sql,
		         "INSERT INTO registrations (exam_id, candidate_id, position_id, subjects, "
		         "channel, route, pledge_version, pledged_at, pledge_address, status, "
		         "submitted_at, created_at, updated_at, area_id) VALUES ($1, $2, $3, $4, "
		         "'import', $5, $6, $7, 'import', $8, $9, $9, $9, $10) %s",
		         rc_reg);
		rc = prep(tx, &m->ins_reg, sql, err);
	}
	if (!rc)
		rc = prep(tx, &m->find_pos,
		          "SELECT id FROM positions WHERE exam_id = $1 AND code = $2", err);
	if (!rc)
		rc = prep(tx, &m->find_exam, "SELECT id, kind, ruleset FROM exams WHERE code = $1",
		          err);
	if (!rc)
		rc = prep(tx, &m->find_subj, "SELECT code FROM subjects WHERE exam_id = $1", err);
	if (!rc)
		rc = prep(tx, &m->find_area,
		          "SELECT id FROM units WHERE code = $1 AND kind = 'area_agency'", err);
	struct csv_parser cp;
	if (!rc && csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		rc = kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "csv_init failed");
	else if (!rc) {
		char *buf = kw_xmalloc(1 << 20);
		size_t n;
		while (!m->rc && (n = fread(buf, 1, 1 << 20, j->in)) > 0) {
			m->bytes += n;
			if (csv_parse(&cp, buf, n, on_field, on_row, m) != n) {
				row_problem(m, "file", "csv_malformed");
				break;
			}
		}
		if (!m->rc && csv_fini(&cp, on_field, on_row, m) != 0)
			row_problem(m, "file", "csv_malformed");
		for (size_t i = 0; i < m->nfield; i++)
			free(m->field[i]);
		csv_free(&cp);
		free(buf);
		rc = m->rc;
	}
	if (!rc && !m->header_done)
		row_problem(m, "file", "empty");
	if (!rc && m->nerrors) {
		rc = kw_err_set(err, KW_EINVAL, "IMPORT_INVALID", NULL, "%llu problems in the file",
		                (unsigned long long)m->nerrors);
		kw_err_detail(err, "rows", m->errors);
		kw_err_detail(err, "count", json_integer((json_int_t)m->nerrors));
		m->errors = NULL;
	}
	if (!rc)
		rc = flush(m);
	if (!rc) {
		/* The run itself, with its figures (the batches above hold the rows). */
		json_t *d = json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)m->rows,
		                      "candidates_created", (json_int_t)m->created,
		                      "candidates_reused", (json_int_t)m->reused, "registrations",
		                      (json_int_t)m->registrations);
		rc = kw_audit_append(tx, "registrations.import", NULL, 0, d, err);
		json_decref(d);
	}
	if (!rc)
		j->out = json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)m->rows,
		                   "candidates_created", (json_int_t)m->created,
		                   "candidates_reused", (json_int_t)m->reused, "registrations",
		                   (json_int_t)m->registrations);
	kw_stmt_finalize(m->find_cand);
	kw_stmt_finalize(m->ins_cand);
	kw_stmt_finalize(m->ins_reg);
	kw_stmt_finalize(m->find_pos);
	kw_stmt_finalize(m->find_exam);
	kw_stmt_finalize(m->find_subj);
	kw_stmt_finalize(m->find_area);
	json_decref(m->errors);
	free(m->cand_rows);
	free(m->reg_rows);
	free(m);
	if (sqlite) {
		struct kw_err e2 = KW_ERR_INIT;
		(void)kw_conn_exec(tx->conn, "PRAGMA cache_size = -2000", &e2);
		kw_err_release(&e2);
	}
	return rc;
}

int kw_bulk_import_registrations(struct kw_app *app, const struct kw_actor *actor, FILE *in,
                                 const struct kw_bulk_progress *progress, json_t **out,
                                 struct kw_err *err)
{
	struct import_job j = {in, ftello(in), progress, NULL};
	if (j.start < 0)
		return kw_err_set(
		        err, KW_EINVAL, "INPUT_NOT_SEEKABLE", NULL,
		        "the input must be a file (standard input is spooled by the CLI)");
	int rc = kw_writer_run(app->writer, import_job, &j, actor, err);
	if (rc) {
		json_decref(j.out);
		return rc;
	}
	*out = j.out;
	return 0;
}

/* ---- export ---- */

static void csv_cell(FILE *out, const char *v, int last)
{
	if (v && strpbrk(v, ",\"\r\n")) {
		fputc('"', out);
		for (; *v; v++) {
			if (*v == '"')
				fputc('"', out);
			fputc(*v, out);
		}
		fputc('"', out);
	} else if (v) {
		fputs(v, out);
	}
	fputc(last ? '\n' : ',', out);
}

static const char *const col_labels[NCOLS] = {
        "证件类型",     "证件号码", "姓名",     "电话",     "出生日期",   "学历",     "学位",
        "专业代码",     "专业",     "毕业院校", "毕业时间", "政治面貌",   "户籍地",   "工作年限",
        "基层工作年限", "考试代码", "职位代码", "科目",     "承诺或证明", "审核状态", "考区"};

struct export_audit {
	const char *exam;
	uint64_t rows;
	const char *format;
};

static int export_audit_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	struct export_audit *a = arg;
	json_t *d = json_pack("{s:s?, s:I, s:s}", "exam_code", a->exam, "rows", (json_int_t)a->rows,
	                      "format", a->format);
	int rc = kw_audit_append(tx, "registration.export", NULL, 0, d, err);
	json_decref(d);
	return rc;
}

int kw_bulk_export_registrations(struct kw_app *app, const struct kw_actor *actor,
                                 const char *exam_code, const char *format, FILE *out,
                                 const char *xlsx_path, const struct kw_bulk_progress *progress,
                                 uint64_t *rows, struct kw_err *err)
{
	int xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "csv") != 0)
		return kw_err_set(err, KW_EINVAL, "FORMAT_INVALID", NULL,
		                  "the format is csv or xlsx");
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	if (xlsx) {
		lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
		wb = workbook_new_opt(xlsx_path, &opt);
		if (!wb)
			return kw_err_set(err, KW_EINVAL, "OUTPUT_FAILED", NULL, "cannot write %s",
			                  xlsx_path);
		ws = workbook_add_worksheet(wb, "报名");
	}
	for (int c = 0; c < NCOLS; c++) {
		if (xlsx)
			worksheet_write_string(ws, 0, (lxw_col_t)c, col_labels[c], NULL);
		else
			csv_cell(out, col_names[c], c == NCOLS - 1);
	}
	struct kw_conn *c = kw_pool_get(app->pool);
	struct kw_stmt *s = NULL;
	int rc = kw_conn_prepare(
	        c,
	        "SELECT c.id_type, c.id_number, c.name, c.phone, c.birth_date, c.education, "
	        "c.political_status, c.household_region, c.work_years, c.grassroots_years, e.code, "
	        "(SELECT p.code FROM positions p WHERE p.id = r.position_id), r.subjects, r.route, "
	        "r.status, (SELECT u.code FROM units u WHERE u.id = r.area_id) FROM registrations "
	        "r JOIN candidates c ON c.id = r.candidate_id JOIN "
	        "exams e ON e.id = r.exam_id WHERE ($1 = '' OR e.code = $1) ORDER BY r.id",
	        &s, err);
	if (!rc)
		kw_stmt_bind_textz(s, 1, exam_code ? exam_code : "");
	uint64_t n = 0;
	while (!rc && (rc = kw_stmt_step(s, err)) == KW_ROW) {
		rc = 0;
		const char *v[NCOLS] = {0};
		char wy[16], gy[16], subj[512];
		json_t *edu = json_loads(kw_stmt_column_text(s, 5, NULL), 0, NULL);
		json_t *e0 = json_array_get(edu, 0);
		for (int k = 0; k < 4; k++)
			v[k] = kw_stmt_column_text(s, k, NULL);
		v[C_BIRTH_DATE] =
		        kw_stmt_column_is_null(s, 4) ? NULL : kw_stmt_column_text(s, 4, NULL);
		v[C_EDU_LEVEL] = json_string_value(json_object_get(e0, "level"));
		v[C_DEGREE] = json_string_value(json_object_get(e0, "degree"));
		v[C_MAJOR_CODE] = json_string_value(json_object_get(e0, "major_code"));
		v[C_MAJOR] = json_string_value(json_object_get(e0, "major"));
		v[C_SCHOOL] = json_string_value(json_object_get(e0, "school"));
		v[C_GRADUATED_ON] = json_string_value(json_object_get(e0, "graduated_on"));
		v[C_POLITICAL] =
		        kw_stmt_column_is_null(s, 6) ? NULL : kw_stmt_column_text(s, 6, NULL);
		v[C_HOUSEHOLD] =
		        kw_stmt_column_is_null(s, 7) ? NULL : kw_stmt_column_text(s, 7, NULL);
		snprintf(wy, sizeof wy, "%lld", (long long)kw_stmt_column_int64(s, 8));
		snprintf(gy, sizeof gy, "%lld", (long long)kw_stmt_column_int64(s, 9));
		v[C_WORK_YEARS] = wy;
		v[C_GRASSROOTS_YEARS] = gy;
		v[C_EXAM] = kw_stmt_column_text(s, 10, NULL);
		v[C_POSITION] =
		        kw_stmt_column_is_null(s, 11) ? NULL : kw_stmt_column_text(s, 11, NULL);
		snprintf(subj, sizeof subj, "%s", kw_stmt_column_text(s, 12, NULL));
		for (char *p = subj; *p; p++)
			if (*p == ',')
				*p = ';';
		v[C_SUBJECTS] = *subj ? subj : NULL;
		v[C_ROUTE] = kw_stmt_column_text(s, 13, NULL);
		v[C_STATUS] = kw_stmt_column_text(s, 14, NULL);
		v[C_AREA] = kw_stmt_column_is_null(s, 15) ? NULL : kw_stmt_column_text(s, 15, NULL);
		n++;
		for (int k = 0; k < NCOLS; k++) {
			if (xlsx) {
				if (v[k])
					worksheet_write_string(ws, (lxw_row_t)n, (lxw_col_t)k, v[k],
					                       NULL);
			} else {
				csv_cell(out, v[k], k == NCOLS - 1);
			}
		}
		json_decref(edu);
		if (progress && progress->fn && n % CHUNK == 0)
			progress->fn(progress->arg, n, 0);
		if (n >= 1048575 && xlsx) {
			rc = kw_err_set(err, KW_ETOOBIG, "EXPORT_TOO_BIG", NULL,
			                "XLSX holds 1,048,575 rows a sheet: export CSV instead");
			break;
		}
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(s);
	kw_pool_put(app->pool, c);
	if (xlsx && workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = kw_err_set(err, KW_EINVAL, "OUTPUT_FAILED", NULL, "cannot write %s",
		                xlsx_path);
	if (!xlsx && fflush(out) != 0 && !rc)
		rc = kw_err_set(err, KW_EINVAL, "OUTPUT_FAILED", NULL, "cannot write the output");
	*rows = n;
	if (!rc) {
		struct export_audit a = {exam_code, n, format};
		rc = kw_writer_run(app->writer, export_audit_job, &a, actor, err);
	}
	return rc;
}
