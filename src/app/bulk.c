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
#define BATCH      128   /* rows per multi-row INSERT */
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

/* The positions of the exams seen so far, by (exam, code): looked up in memory, not per row. */
struct position {
	int64_t exam_id, id;
	char *code;
};

/* A checked row waiting for its multi-row INSERT: its texts in the batch's arena. */
enum pv {
	P_TYPE,
	P_NORM,
	P_NAME,
	P_SEX,
	P_BIRTH,
	P_PHONE,
	P_POLITICAL,
	P_HOUSEHOLD,
	P_EDUCATION,
	P_SUBJECTS,
	P_ROUTE,
	P_PLEDGE_VERSION,
	P_STATUS,
	NPV
};
#define NOVAL ((size_t)-1)
struct pend {
	uint64_t line;
	size_t v[NPV]; /* offsets into imp.arena; NOVAL = NULL */
	int64_t work_years, grassroots_years, exam_id, pos_id, area_id;
	int64_t cand; /* the candidate's id once written or found */
	int created;  /* … written by this batch */
	int has_exam, pledge;
};

struct imp {
	struct kw_tx *tx;
	const struct kw_bulk_progress *progress;
	/* the row being read: its fields one after another in rowbuf */
	struct kw_buf rowbuf;
	size_t foff[MAX_FIELDS];
	char *field[MAX_FIELDS];
	size_t nfield;
	int too_wide;
	int colpos[NCOLS]; /* enum col → the first header position naming it, or -1 */
	int header_done;
	uint64_t line, rows, bytes;
	/* statements */
	struct kw_stmt *find_cand, *ins_cand, *ins_reg, *find_reg, *find_exam, *find_subj,
	        *find_pos, *find_area;
	char area_code[64]; /* the last area looked up, and its unit (0: not an exam area) */
	int64_t area_id;
	char now[32];
	char today[11];
	struct exam_cache exam;
	struct position *pos;
	size_t npos, pos_alloc;
	int64_t *pos_exams; /* the exams whose positions are in pos */
	size_t npos_exams;
	/* the rows checked and not yet written */
	struct pend pend[BATCH];
	size_t npend;
	struct kw_buf arena;
	/* audit batches */
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

static void row_problem_at(struct imp *m, uint64_t line, const char *field, const char *problem)
{
	m->nerrors++;
	if (json_array_size(m->errors) < MAX_ERRORS)
		json_array_append_new(m->errors,
		                      json_pack("{s:I, s:s, s:s}", "line", (json_int_t)line,
		                                "field", field, "problem", problem));
}

static void row_problem(struct imp *m, const char *field, const char *problem)
{
	row_problem_at(m, m->line, field, problem);
}

static const char *val(struct imp *m, enum col c)
{
	int i = m->colpos[c];
	if (i < 0 || (size_t)i >= m->nfield)
		return NULL;
	return *m->field[i] ? m->field[i] : NULL;
}

static void on_field(void *data, size_t len, void *arg)
{
	struct imp *m = arg;
	if (m->nfield >= MAX_FIELDS) {
		m->too_wide = 1;
		return;
	}
	m->foff[m->nfield++] = m->rowbuf.len;
	kw_buf_add(&m->rowbuf, data ? data : "", len);
	kw_buf_add(&m->rowbuf, "", 1);
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

static int cmp_pos(const void *a, const void *b)
{
	const struct position *x = a, *y = b;
	if (x->exam_id != y->exam_id)
		return x->exam_id < y->exam_id ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* The positions of an exam, read once for the whole import. */
static void load_positions(struct imp *m, int64_t exam_id)
{
	for (size_t i = 0; i < m->npos_exams; i++)
		if (m->pos_exams[i] == exam_id)
			return;
	m->pos_exams = kw_xrealloc(m->pos_exams, (m->npos_exams + 1) * sizeof *m->pos_exams);
	m->pos_exams[m->npos_exams++] = exam_id;
	kw_stmt_reset(m->find_pos);
	kw_stmt_bind_int64(m->find_pos, 1, exam_id);
	int rc;
	while ((rc = kw_stmt_step(m->find_pos, m->err)) == KW_ROW) {
		if (m->npos == m->pos_alloc) {
			m->pos_alloc = m->pos_alloc ? 2 * m->pos_alloc : 256;
			m->pos = kw_xrealloc(m->pos, m->pos_alloc * sizeof *m->pos);
		}
		struct position *p = &m->pos[m->npos++];
		p->exam_id = exam_id;
		p->id = kw_stmt_column_int64(m->find_pos, 0);
		p->code = kw_xstrdup(kw_stmt_column_text(m->find_pos, 1, NULL));
	}
	if (rc != KW_DONE)
		m->rc = rc;
	qsort(m->pos, m->npos, sizeof *m->pos, cmp_pos);
}

static int64_t position_id(struct imp *m, int64_t exam_id, const char *code)
{
	struct position key = {exam_id, 0, (char *)code};
	const struct position *p = bsearch(&key, m->pos, m->npos, sizeof *m->pos, cmp_pos);
	return p ? p->id : 0;
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
	if (m->exam.civil)
		load_positions(m, m->exam.id);
	return 0;
}

static void bind_opt(struct kw_stmt *s, int i, const char *v)
{
	if (v)
		kw_stmt_bind_textz(s, i, v);
	else
		kw_stmt_bind_null(s, i);
}

static void bind_id(struct kw_stmt *s, int i, int64_t v)
{
	if (v)
		kw_stmt_bind_int64(s, i, v);
	else
		kw_stmt_bind_null(s, i);
}

/* A text of the row into the batch's arena: its offset, NOVAL for NULL. */
static size_t put(struct imp *m, const char *v)
{
	if (!v)
		return NOVAL;
	size_t off = m->arena.len;
	kw_buf_add(&m->arena, v, strlen(v) + 1);
	return off;
}

static const char *got(const struct imp *m, const struct pend *p, enum pv i)
{
	return p->v[i] == NOVAL ? NULL : m->arena.buf + p->v[i];
}

/* Audit batch records of exactly CHUNK rows while there are that many (all: the rest too). */
static int flush(struct imp *m, int all)
{
	int rc = 0;
	while (!rc && (all ? m->ncand || m->nreg : m->ncand >= CHUNK || m->nreg >= CHUNK)) {
		size_t nc = m->ncand < CHUNK ? m->ncand : CHUNK;
		size_t nr = m->nreg < CHUNK ? m->nreg : CHUNK;
		if (nc)
			rc = kw_audit_append_batch(m->tx, "candidate.import", "candidates",
			                           m->cand_rows, nc, NULL, m->err);
		if (!rc && nr)
			rc = kw_audit_append_batch(m->tx, "registration.import", "registrations",
			                           m->reg_rows, nr, NULL, m->err);
		memmove(m->cand_rows, m->cand_rows + nc, (m->ncand - nc) * sizeof *m->cand_rows);
		memmove(m->reg_rows, m->reg_rows + nr, (m->nreg - nr) * sizeof *m->reg_rows);
		m->ncand -= nc;
		m->nreg -= nr;
	}
	return rc;
}

/* Parameters a row of the candidates' and the registrations' INSERT binds ($1 is the time). */
enum { CAND_PARAMS = 11, REG_PARAMS = 9 };

static int prepare_candidates(struct imp *m, size_t k, struct kw_stmt **out)
{
	char ret[1024];
	kw_audit_returning("candidates", ret, sizeof ret);
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO candidates (id_type, id_number, name, sex, birth_date, phone, "
	                "password_hash, status, political_status, household_region, work_years, "
	                "grassroots_years, grassroots_project, education, created_at, updated_at) "
	                "VALUES ");
	for (size_t q = 0; q < k; q++) {
		size_t p = CAND_PARAMS * q + 2;
		kw_buf_addf(&b,
		            "%s($%zu, $%zu, $%zu, $%zu, $%zu, $%zu, '!imported', 'active', $%zu, "
		            "$%zu, $%zu, $%zu, 0, $%zu, $1, $1)",
		            q ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7,
		            p + 8, p + 9, p + 10);
	}
	/* the document after the audited columns: which row of the batch each one is */
	kw_buf_addf(&b, " ON CONFLICT (id_type, id_number) DO NOTHING %s, id_type, id_number", ret);
	int rc = kw_conn_prepare(m->tx->conn, b.buf, out, m->err);
	kw_buf_release(&b);
	return rc;
}

static int prepare_registrations(struct imp *m, size_t k, struct kw_stmt **out)
{
	struct kw_buf b = KW_BUF_INIT;
	kw_buf_init(&b, 0);
	kw_buf_adds(&b, "INSERT INTO registrations (exam_id, candidate_id, position_id, subjects, "
	                "channel, route, pledge_version, pledged_at, pledge_address, status, "
	                "submitted_at, created_at, updated_at, area_id) VALUES ");
	for (size_t q = 0; q < k; q++) {
		size_t p = REG_PARAMS * q + 2;
		kw_buf_addf(
		        &b,
		        "%s($%zu, $%zu, $%zu, $%zu, 'import', $%zu, $%zu, $%zu, 'import', $%zu, "
		        "$1, $1, $1, $%zu)",
		        q ? ", " : "", p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
	}
	int rc = kw_audit_prepare(m->tx->conn, "registrations", out, m->err, "%s", b.buf);
	kw_buf_release(&b);
	return rc;
}

static int internal(struct imp *m, const char *what)
{
	if (!m->err->code)
		kw_err_set(m->err, KW_EINTERNAL, "INTERNAL", NULL, "%s", what);
	return KW_EINTERNAL;
}

/* The candidates of the batch in one statement; those whose document is there already
 * (the INSERT did nothing for them) are looked up. */
static int write_candidates(struct imp *m, size_t k)
{
	struct kw_stmt *s = m->ins_cand, *own = NULL;
	int rc = 0;
	if (k != BATCH) {
		rc = prepare_candidates(m, k, &own);
		s = own;
	}
	if (rc)
		return rc;
	kw_stmt_reset(s);
	kw_stmt_bind_textz(s, 1, m->now);
	for (size_t q = 0; q < k; q++) {
		const struct pend *p = &m->pend[q];
		int i = (int)(CAND_PARAMS * q + 2);
		kw_stmt_bind_textz(s, i, got(m, p, P_TYPE));
		kw_stmt_bind_textz(s, i + 1, got(m, p, P_NORM));
		kw_stmt_bind_textz(s, i + 2, got(m, p, P_NAME));
		bind_opt(s, i + 3, got(m, p, P_SEX));
		bind_opt(s, i + 4, got(m, p, P_BIRTH));
		kw_stmt_bind_textz(s, i + 5, got(m, p, P_PHONE));
		bind_opt(s, i + 6, got(m, p, P_POLITICAL));
		bind_opt(s, i + 7, got(m, p, P_HOUSEHOLD));
		kw_stmt_bind_int64(s, i + 8, p->work_years);
		kw_stmt_bind_int64(s, i + 9, p->grassroots_years);
		kw_stmt_bind_textz(s, i + 10, got(m, p, P_EDUCATION));
	}
	/* Each row back is one of the batch (in order, in practice: matched by document). */
	size_t next = 0;
	while ((rc = kw_stmt_step(s, m->err)) == KW_ROW) {
		int dc = kw_stmt_column_count(s) - 2;
		const char *type = kw_stmt_column_text(s, dc, NULL);
		const char *number = kw_stmt_column_text(s, dc + 1, NULL);
		size_t hit = k;
		for (size_t n = 0; n < k && hit == k; n++) {
			size_t q = (next + n) % k;
			if (!m->pend[q].cand && strcmp(got(m, &m->pend[q], P_NORM), number) == 0 &&
			    strcmp(got(m, &m->pend[q], P_TYPE), type) == 0)
				hit = q;
		}
		struct kw_batch_row *b = &m->cand_rows[m->ncand];
		if (hit == k || kw_audit_digest_row("candidates", s, &b->id, b->digest)) {
			rc = internal(m, "a candidate written is not of the batch");
			break;
		}
		m->pend[hit].cand = b->id;
		m->pend[hit].created = 1;
		m->ncand++;
		m->created++;
		next = hit + 1;
	}
	if (rc == KW_DONE)
		rc = 0;
	kw_stmt_finalize(own);
	/* The documents already there: the candidate found (reused, never changed). */
	for (size_t q = 0; q < k && !rc; q++) {
		struct pend *p = &m->pend[q];
		if (p->cand)
			continue;
		kw_stmt_reset(m->find_cand);
		kw_stmt_bind_textz(m->find_cand, 1, got(m, p, P_TYPE));
		kw_stmt_bind_textz(m->find_cand, 2, got(m, p, P_NORM));
		rc = kw_stmt_step(m->find_cand, m->err);
		if (rc == KW_ROW) {
			p->cand = kw_stmt_column_int64(m->find_cand, 0);
			m->reused++;
			rc = 0;
		} else if (rc == KW_DONE) {
			rc = internal(m, "a candidate neither written nor found");
		}
	}
	return rc;
}

/* A row whose candidate an earlier row of the batch registers for the same exam, or whose
 * candidate was there already and is registered for it (an earlier import, an earlier batch):
 * a duplicate, and nothing is written. */
static int check_duplicates(struct imp *m, size_t k)
{
	for (size_t q = 0; q < k; q++) {
		const struct pend *p = &m->pend[q];
		if (!p->has_exam)
			continue;
		int dup = 0;
		for (size_t r = 0; r < q && !dup; r++)
			dup = m->pend[r].has_exam && m->pend[r].cand == p->cand &&
			      m->pend[r].exam_id == p->exam_id;
		if (!dup && !p->created) {
			kw_stmt_reset(m->find_reg);
			kw_stmt_bind_int64(m->find_reg, 1, p->exam_id);
			kw_stmt_bind_int64(m->find_reg, 2, p->cand);
			int rc = kw_stmt_step(m->find_reg, m->err);
			if (rc < 0)
				return rc;
			dup = rc == KW_ROW;
		}
		if (dup) {
			row_problem_at(m, p->line, "id_number", "duplicate");
			m->stop_db = 1;
		}
	}
	return 0;
}

/* The registrations of the batch in one statement, each audited by its digest. */
static int write_registrations(struct imp *m, size_t k)
{
	size_t nr = 0;
	uint64_t first_line = 0;
	for (size_t q = 0; q < k; q++)
		if (m->pend[q].has_exam && !nr++)
			first_line = m->pend[q].line;
	if (!nr)
		return 0;
	struct kw_stmt *s = m->ins_reg, *own = NULL;
	int rc = 0;
	if (nr != BATCH) {
		rc = prepare_registrations(m, nr, &own);
		s = own;
	}
	if (rc)
		return rc;
	kw_stmt_reset(s);
	kw_stmt_bind_textz(s, 1, m->now);
	size_t n = 0;
	for (size_t q = 0; q < k; q++) {
		const struct pend *p = &m->pend[q];
		if (!p->has_exam)
			continue;
		int i = (int)(REG_PARAMS * n++ + 2);
		kw_stmt_bind_int64(s, i, p->exam_id);
		kw_stmt_bind_int64(s, i + 1, p->cand);
		bind_id(s, i + 2, p->pos_id);
		kw_stmt_bind_textz(s, i + 3, got(m, p, P_SUBJECTS));
		kw_stmt_bind_textz(s, i + 4, got(m, p, P_ROUTE));
		bind_opt(s, i + 5, p->pledge ? got(m, p, P_PLEDGE_VERSION) : NULL);
		bind_opt(s, i + 6, p->pledge ? m->now : NULL);
		kw_stmt_bind_textz(s, i + 7, got(m, p, P_STATUS));
		bind_id(s, i + 8, p->area_id);
	}
	size_t back = 0;
	while ((rc = kw_stmt_step(s, m->err)) == KW_ROW) {
		struct kw_batch_row *b = &m->reg_rows[m->nreg];
		if (back == nr || kw_audit_digest_row("registrations", s, &b->id, b->digest)) {
			rc = internal(m, "more registrations written than given");
			break;
		}
		back++;
		m->nreg++;
		m->registrations++;
	}
	if (rc == KW_DONE)
		rc = back == nr ? 0 : internal(m, "registrations not written");
	else if (rc == KW_ECONFLICT) {
		/* Not foreseen by check_duplicates; PostgreSQL's transaction is over. */
		kw_err_release(m->err);
		row_problem_at(m, first_line, "id_number", "duplicate");
		m->stop_db = 1;
		rc = 0;
	}
	kw_stmt_finalize(own);
	return rc;
}

/* Writes the rows checked and queued (all before any problem, see do_row). */
static int write_batch(struct imp *m)
{
	size_t k = m->npend;
	m->npend = 0;
	int rc = 0;
	if (k && !m->stop_db && !m->rc) {
		rc = write_candidates(m, k);
		if (!rc)
			rc = check_duplicates(m, k);
		if (!rc && !m->stop_db)
			rc = write_registrations(m, k);
		if (!rc && !m->stop_db && !m->nerrors)
			rc = flush(m, 0);
	}
	kw_buf_reset(&m->arena);
	return rc;
}

/* One data row: checked; queued for writing unless something has failed already. */
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
			else if (!(pos_id = position_id(m, m->exam.id, pos)))
				row_problem(m, "position_code", "orphan");
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
	if (m->nerrors > before || m->nerrors || m->stop_db || m->rc) {
		/* Nothing is queued once anything is wrong (the job rolls back anyway); the rows
		 * before the first problem are written still, so that a duplicate among them is
		 * reported as when rows were written one at a time. */
		if (m->npend && !m->rc)
			m->rc = write_batch(m);
		return;
	}

	/* Queued for the batch's INSERTs. */
	struct pend *p = &m->pend[m->npend++];
	char sex[2] = {id.sex, 0};
	p->line = m->line;
	p->cand = 0;
	p->created = 0;
	p->v[P_TYPE] = put(m, type);
	p->v[P_NORM] = put(m, id.norm);
	p->v[P_NAME] = put(m, name);
	p->v[P_SEX] = put(m, sex[0] ? sex : NULL);
	p->v[P_BIRTH] = put(m, id.birth[0] ? id.birth : bd);
	p->v[P_PHONE] = put(m, phone);
	p->v[P_POLITICAL] = put(m, pol);
	p->v[P_HOUSEHOLD] = put(m, hr);
	p->work_years = wy;
	p->grassroots_years = gy;
	/* The education record as the profile keeps it (keys in the profile's order). */
	p->v[P_EDUCATION] = m->arena.len;
	kw_buf_adds(&m->arena, "[");
	if (lvl) {
		static const struct {
			const char *key;
			enum col c;
		} ef[] = {{"level", C_EDU_LEVEL},       {"degree", C_DEGREE},
		          {"major_code", C_MAJOR_CODE}, {"major", C_MAJOR},
		          {"school", C_SCHOOL},         {"graduated_on", C_GRADUATED_ON}};
		int first = 1;
		kw_buf_adds(&m->arena, "{");
		for (size_t k = 0; k < sizeof ef / sizeof ef[0]; k++) {
			const char *v = val(m, ef[k].c);
			if (!v)
				continue;
			kw_buf_adds(&m->arena, first ? "\"" : ",\"");
			kw_buf_adds(&m->arena, ef[k].key);
			kw_buf_adds(&m->arena, "\":");
			kw_json_append_string(&m->arena, v, strlen(v));
			first = 0;
		}
		kw_buf_adds(&m->arena, "}");
	}
	kw_buf_add(&m->arena, "]", 2);
	p->has_exam = exam != NULL;
	p->pledge = strcmp(route, "pledge") == 0;
	p->exam_id = exam ? m->exam.id : 0;
	p->pos_id = pos_id;
	p->area_id = area ? m->area_id : 0;
	p->v[P_SUBJECTS] = put(m, subjects);
	p->v[P_ROUTE] = put(m, route);
	p->v[P_PLEDGE_VERSION] = put(m, m->exam.pledge_version);
	p->v[P_STATUS] = put(m, status);
	if (m->npend == BATCH)
		m->rc = write_batch(m);
}

static void on_row(int c, void *arg)
{
	(void)c;
	struct imp *m = arg;
	m->line++;
	for (size_t i = 0; i < m->nfield; i++)
		m->field[i] = m->rowbuf.buf + m->foff[i];
	if (m->rc)
		goto out;
	if (!m->header_done) {
		for (int k = 0; k < NCOLS; k++)
			m->colpos[k] = -1;
		for (size_t i = 0; i < m->nfield; i++) {
			const char *h = m->field[i];
			if (i == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
				h += 3;
			int known = 0;
			for (int k = 0; k < NCOLS; k++)
				if (strcmp(h, col_names[k]) == 0) {
					if (m->colpos[k] < 0)
						m->colpos[k] = (int)i;
					known = 1;
				}
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
	kw_buf_reset(&m->rowbuf);
	m->nfield = 0;
	m->too_wide = 0;
}

/* The problems by line (a duplicate is found when its batch is written, after later rows
 * were checked). */
static int cmp_problem(const void *a, const void *b)
{
	json_t *const *x = a, *const *y = b;
	json_int_t lx = json_integer_value(json_object_get(*x, "line"));
	json_int_t ly = json_integer_value(json_object_get(*y, "line"));
	return (lx > ly) - (lx < ly);
}

static json_t *sorted_problems(json_t *errors)
{
	size_t n = json_array_size(errors);
	json_t **v = kw_xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(errors, i);
	/* insertion sort: stable, and there are at most MAX_ERRORS */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && cmp_problem(&v[k - 1], &v[k]) > 0; k--) {
			json_t *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(errors);
	return out;
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
	kw_buf_init(&m->rowbuf, 0);
	kw_buf_init(&m->arena, 0);
	m->cand_rows = kw_xcalloc(CHUNK + BATCH, sizeof *m->cand_rows);
	m->reg_rows = kw_xcalloc(CHUNK + BATCH, sizeof *m->reg_rows);
	kw_clock_format(tx->now_us, m->now);
	time_t t = (time_t)(tx->now_us / 1000000 + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(m->today, sizeof m->today, "%Y-%m-%d", &tm);
	int rc = prep(tx, &m->find_cand,
	              "SELECT id FROM candidates WHERE id_type = $1 AND id_number = $2", err);
	if (!rc)
		rc = prepare_candidates(m, BATCH, &m->ins_cand);
	if (!rc)
		rc = prepare_registrations(m, BATCH, &m->ins_reg);
	if (!rc)
		rc = prep(tx, &m->find_reg,
		          "SELECT 1 FROM registrations WHERE exam_id = $1 AND candidate_id = $2",
		          err);
	if (!rc)
		rc = prep(tx, &m->find_pos, "SELECT id, code FROM positions WHERE exam_id = $1",
		          err);
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
		csv_free(&cp);
		free(buf);
		if (!m->rc)
			m->rc = write_batch(m); /* the last rows */
		rc = m->rc;
	}
	if (!rc && !m->header_done)
		row_problem(m, "file", "empty");
	if (!rc && m->nerrors) {
		rc = kw_err_set(err, KW_EINVAL, "IMPORT_INVALID", NULL, "%llu problems in the file",
		                (unsigned long long)m->nerrors);
		kw_err_detail(err, "rows", sorted_problems(m->errors));
		kw_err_detail(err, "count", json_integer((json_int_t)m->nerrors));
		m->errors = NULL;
	}
	if (!rc)
		rc = flush(m, 1);
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
	kw_stmt_finalize(m->find_reg);
	kw_stmt_finalize(m->find_pos);
	kw_stmt_finalize(m->find_exam);
	kw_stmt_finalize(m->find_subj);
	kw_stmt_finalize(m->find_area);
	for (size_t i = 0; i < m->npos; i++)
		free(m->pos[i].code);
	free(m->pos);
	free(m->pos_exams);
	kw_buf_release(&m->rowbuf);
	kw_buf_release(&m->arena);
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

static int analyze_job(struct kw_tx *tx, void *arg, struct kw_err *err)
{
	(void)arg;
	return kw_conn_exec(tx->conn, "ANALYZE candidates, registrations", err);
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
	int rc = kw_writer_run_bulk(app->writer, import_job, &j, actor, err);
	if (rc) {
		json_decref(j.out);
		return rc;
	}
	/* PostgreSQL plans a prepared statement once for all values (its generic plan) from the
	 * table statistics of that moment: made while the tables were small, it scans them
	 * whole until autovacuum's ANALYZE comes by — measured as a fall from 2,100 to 159
	 * submissions/s after an import. The statistics are refreshed at once instead (the
	 * rows are committed whatever happens here; `statistics_refreshed` says if it worked). */
	if (strcmp(app->driver, "postgresql") == 0) {
		struct kw_err e2 = KW_ERR_INIT;
		int arc = kw_writer_run_bulk(app->writer, analyze_job, NULL, actor, &e2);
		json_object_set_new(j.out, "statistics_refreshed", json_boolean(arc == 0));
		kw_err_release(&e2);
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
