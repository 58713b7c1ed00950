/* The pool of recycled rendering processes (render/pool.h): every job answered once, workers
 * replaced after their share, a worker that dies failing only the job it was on; and real
 * tickets through it, read back with poppler as a person would (issue 7). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/testpdf.h"
#include "render/pdf.h"
#include "render/pool.h"
#include "render/ticket.h"

#define NJOBS 10

struct state {
	uint64_t next, njobs;
	uint64_t crash_on;    /* a job id whose worker dies (UINT64_MAX: none) */
	int answers[NJOBS];   /* how often each job was answered */
	int ok[NJOBS];        /* answered with a document */
	char code[NJOBS][64]; /* the failure's code */
	pid_t pid[NJOBS];     /* the worker that rendered it */
	int tickets;          /* the jobs are encoded tickets */
	struct kw_buf pdf[NJOBS];
};

static int next_job(void *data, uint64_t *id, struct kw_buf *job, struct kw_err *err)
{
	(void)err;
	struct state *s = data;
	if (s->next >= s->njobs)
		return 0;
	*id = s->next++;
	if (!s->tickets)
		return kw_buf_addf(job, "job %llu", (unsigned long long)*id) ? -1 : 1;
	char no[32], name[32];
	snprintf(no, sizeof no, "27010101%03llu", (unsigned long long)*id);
	snprintf(name, sizeof name, "考生%llu号", (unsigned long long)*id);
	static const struct kw_ticket_sitting sit[] = {
	        {"经济基础知识", "2027-06-01", "09:00–11:30"}};
	struct kw_ticket t = {.title = "2027年度经济专业技术资格考试 准考证",
	                      .ticket_no = no,
	                      .name = name,
	                      .sittings = sit,
	                      .nsittings = 1,
	                      .centre_name = "合肥市第一中学",
	                      .room_no = "01",
	                      .seat_no = "02",
	                      .notices = "一、考生须凭本准考证和有效居民身份证原件参加考试。",
	                      .qr_payload = "KW1.test"};
	kw_ticket_encode(&t, job);
	return 1;
}

/* In the worker: the job's text and the worker's pid, or a ticket's PDF. */
static int render_job(void *data, const void *job, size_t n, struct kw_buf *out, struct kw_err *err)
{
	const struct state *s = data;
	if (s->tickets) {
		struct kw_ticket t;
		struct kw_ticket_sitting sits[4];
		int rc = kw_ticket_decode(job, n, &t, sits, 4, err);
		return rc ? rc : kw_ticket_pdf(&t, out, err);
	}
	unsigned long long id = 0;
	if (sscanf((const char *)job, "job %llu", &id) != 1)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "bad job");
	if (id == s->crash_on)
		raise(SIGKILL); /* as a crash would */
	if (id == 7)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL, "job 7 refused");
	return kw_buf_addf(out, "%llu %ld", id, (long)getpid());
}

static int done_job(void *data, uint64_t id, int rc, const char *doc, size_t n,
                    const struct kw_err *failure, struct kw_err *err)
{
	(void)err;
	struct state *s = data;
	assert_true(id < s->njobs);
	s->answers[id]++;
	if (rc) {
		assert_non_null(failure);
		snprintf(s->code[id], sizeof s->code[id], "%s", failure->code);
		return 0;
	}
	s->ok[id] = 1;
	if (s->tickets) {
		kw_buf_init(&s->pdf[id], 0);
		assert_int_equal(kw_buf_add(&s->pdf[id], doc, n), 0);
		return 0;
	}
	unsigned long long got;
	long pid;
	char text[64];
	assert_true(n < sizeof text);
	memcpy(text, doc, n);
	text[n] = '\0';
	assert_int_equal(sscanf(text, "%llu %ld", &got, &pid), 2);
	assert_int_equal(got, id);
	s->pid[id] = (pid_t)pid;
	return 0;
}

static struct kw_render_pool_stats run(struct state *s, int workers, int per_worker)
{
	struct kw_render_pool_config cfg = {.workers = workers,
	                                    .jobs_per_worker = per_worker,
	                                    .render = render_job,
	                                    .next = next_job,
	                                    .done = done_job,
	                                    .data = s};
	struct kw_render_pool *p = NULL;
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_render_pool_create(&cfg, &p, &err), 0);
	assert_int_equal(kw_render_pool_run(p, &err), 0);
	struct kw_render_pool_stats st;
	kw_render_pool_stats(p, &st);
	kw_render_pool_free(p);
	return st;
}

/* K = 3, 10 jobs: at least 4 workers (3 replaced), none renders more than 3. */
static void workers_are_recycled(void **state)
{
	(void)state;
	struct state s = {.njobs = NJOBS, .crash_on = UINT64_MAX};
	struct kw_render_pool_stats st = run(&s, 2, 3);
	assert_int_equal(st.jobs, NJOBS);
	assert_int_equal(st.failed, 1); /* job 7, refused by render */
	assert_int_equal(st.crashed, 0);
	assert_true(st.workers_started >= 4);
	assert_int_equal(st.workers_crashed, 0);
	assert_true(st.worker_max_rss_kb > 0);
	for (int i = 0; i < NJOBS; i++) {
		assert_int_equal(s.answers[i], 1);
		assert_int_equal(s.ok[i], i != 7);
		if (i == 7)
			assert_string_equal(s.code[i], "VALIDATION_FAILED");
		int same = 0;
		for (int k = 0; k < NJOBS; k++)
			same += s.ok[k] && s.ok[i] && s.pid[k] == s.pid[i];
		assert_true(same <= 3); /* no worker rendered more than its share */
	}
}

/* A worker killed on job 4 fails job 4 alone; the jobs queued behind it are rendered. */
static void a_dead_worker_fails_only_its_job(void **state)
{
	(void)state;
	for (int depth_workers = 1; depth_workers <= 2; depth_workers++) {
		struct state s = {.njobs = NJOBS, .crash_on = 4};
		struct kw_render_pool_stats st = run(&s, depth_workers, 3);
		assert_int_equal(st.jobs, NJOBS);
		assert_int_equal(st.crashed, 1);
		assert_int_equal(st.workers_crashed, 1);
		for (int i = 0; i < NJOBS; i++) {
			assert_int_equal(s.answers[i], 1);
			assert_int_equal(s.ok[i], i != 4 && i != 7);
		}
		assert_string_equal(s.code[4], "RENDER_CRASHED");
	}
}

static void refuses_a_bad_configuration(void **state)
{
	(void)state;
	struct kw_render_pool *p = NULL;
	struct kw_err err = KW_ERR_INIT;
	struct kw_render_pool_config cfg = {
	        .workers = -1, .render = render_job, .next = next_job, .done = done_job};
	assert_int_equal(kw_render_pool_create(&cfg, &p, &err), KW_EINVAL);
	assert_null(p);
	cfg.workers = 1;
	cfg.render = NULL;
	assert_int_equal(kw_render_pool_create(&cfg, &p, &err), KW_EINVAL);
	kw_err_release(&err);
}

/* Tickets encoded, rendered by recycled workers and read back: one page each, their text. */
static void tickets_through_the_pool(void **state)
{
	(void)state;
	struct state s = {.njobs = 4, .crash_on = UINT64_MAX, .tickets = 1};
	struct kw_render_pool_stats st = run(&s, 2, 1);
	assert_int_equal(st.failed, 0);
	assert_int_equal(st.workers_started, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(kw_test_pdf_pages(&s.pdf[i]), 1);
		char *text = kw_test_poppler("pdftotext", &s.pdf[i]);
		char name[32];
		snprintf(name, sizeof name, "考生%d号", i);
		assert_non_null(strstr(text, name));
		assert_non_null(strstr(text, "经济基础知识"));
		free(text);
		kw_buf_release(&s.pdf[i]);
	}
}

/* The encoding survives a round trip and refuses damaged bytes. */
static void ticket_bytes_round_trip(void **state)
{
	(void)state;
	static const struct kw_ticket_sitting sit[] = {{"申论", "2027-03-28", "14:00–16:30"}};
	const unsigned char photo[] = {0xFF, 0xD8, 0x00, 0x01};
	struct kw_ticket t = {.ticket_no = "1",
	                      .name = "李𪚥",
	                      .sittings = sit,
	                      .nsittings = 1,
	                      .photo_jpeg = photo,
	                      .photo_len = sizeof photo,
	                      .reissue = 1};
	struct kw_buf b;
	kw_buf_init(&b, 0);
	kw_ticket_encode(&t, &b);
	struct kw_ticket d;
	struct kw_ticket_sitting sits[2];
	struct kw_err err = KW_ERR_INIT;
	assert_int_equal(kw_ticket_decode(b.buf, b.len, &d, sits, 2, &err), 0);
	assert_string_equal(d.name, "李𪚥");
	assert_null(d.sex);
	assert_int_equal(d.reissue, 1);
	assert_int_equal(d.photo_len, sizeof photo);
	assert_memory_equal(d.photo_jpeg, photo, sizeof photo);
	assert_int_equal(d.nsittings, 1);
	assert_string_equal(d.sittings[0].time, "14:00–16:30");
	for (size_t cut = 0; cut < b.len; cut++)
		assert_int_equal(kw_ticket_decode(b.buf, cut, &d, sits, 2, &err), KW_EINVAL);
	assert_int_equal(kw_ticket_decode(b.buf, b.len, &d, sits, 0, &err), KW_EINVAL);
	kw_buf_release(&b);
	kw_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(workers_are_recycled),
	        cmocka_unit_test(a_dead_worker_fails_only_its_job),
	        cmocka_unit_test(refuses_a_bad_configuration),
	        cmocka_unit_test(tickets_through_the_pool),
	        cmocka_unit_test(ticket_bytes_round_trip),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	kw_pdf_shutdown();
	return rc;
}
