#include "render/pool.h"

#include "render/isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"

/*
 * The pipes carry, from the parent to a worker, one message a job:
 *     u64 id, u64 n, n bytes
 * and from the worker back, one message a result:
 *     u64 id, i32 rc, u32 code length, u32 message length, u64 document length,
 *     then the code, the message and the document.
 * A worker reads jobs until its pipe ends (the parent closes it after the worker's share)
 * and then exits with 0.
 */
#define RESULT_HEAD (8 + 4 + 4 + 4 + 8)
#define CODE_MAX    64
#define MSG_MAX     256

/* A job handed to a worker and not answered yet. */
struct job {
	uint64_t id;
	char *bytes;
	size_t n;
	struct job *next;
};

struct worker {
	pid_t pid;               /* 0: no worker in this slot */
	int in;                  /* the parent's end of the job pipe; -1 once closed */
	int out;                 /* the parent's end of the result pipe */
	int handed;              /* jobs given to this worker in its life */
	int nflight;             /* of them, not answered */
	struct job *head, *tail; /* those, oldest (the one being rendered) first */
	int64_t since_us;        /* when head became the job being rendered */
	struct kw_buf wbuf;      /* job bytes still to write into in */
	size_t woff;             /* of wbuf, written */
	struct kw_buf rbuf;      /* result bytes read, not yet a whole message */
};

struct kw_render_pool {
	struct kw_render_pool_config cfg;
	struct worker *w;
	struct job *retry, *retry_tail; /* jobs lost with a dead worker that was not on them */
	struct job *ahead;              /* a job taken from next, not yet handed out */
	int exhausted;                  /* next said there are no more */
	int stopping;                   /* stop was called, or a callback failed */
	int rc;                         /* the run's error */
	struct kw_err *err;
	struct kw_render_pool_stats st;
	pid_t zygote;        /* the process the workers are forked from */
	int ctl;             /* the socket to it */
	struct exited *gone; /* its reports of workers that ended, not yet reaped */
};

/*
 * The zygote. Workers are not forked from the calling process, which may have other threads
 * (the writer's): a fork copies only the forking thread, so a lock another thread held at
 * that moment (an allocator's — AddressSanitizer's, for one, is not released for the child)
 * stays locked in the child for ever, and that worker hangs. The zygote is forked once, when
 * run starts, with the writer's thread parked for the fork (src/app/writer.c's fork
 * handlers; the CLI has no other thread); it is single-threaded from then on, and forks
 * every worker on request. Over a Unix socket of datagrams:
 *     parent → zygote: SPAWN, with the worker's two pipe ends (SCM_RIGHTS)
 *     zygote → parent: SPAWNED pid (or -errno), EXITED pid, wait status, peak RSS (KB)
 */
enum { Z_SPAWN = 1, Z_SPAWNED = 2, Z_EXITED = 3 };

struct zmsg {
	int32_t op, pid, status;
	int64_t maxrss_kb;
};

/* A worker's end, reported by the zygote before the parent asked for it. */
struct exited {
	struct zmsg m;
	struct exited *next;
};

/* ---- small I/O helpers ---- */

static void put_u32(char *p, uint32_t v)
{
	memcpy(p, &v, sizeof v);
}

static void put_u64(char *p, uint64_t v)
{
	memcpy(p, &v, sizeof v);
}

static uint32_t get_u32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t get_u64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* ---- the worker ---- */

/* The worker's life: job in, document out, until the parent closes the job pipe. */
static void worker_main(const struct kw_render_pool *p, int in, int out)
{
	for (;;) {
		char head[16];
		int r = kw_fd_read_full(in, head, sizeof head);
		if (r == 1)
			_exit(0);
		uint64_t id = get_u64(head), n = get_u64(head + 8);
		char *job = r ? NULL : malloc(n ? (size_t)n : 1);
		if (!job || kw_fd_read_full(in, job, (size_t)n) != 0)
			_exit(3);
		struct kw_buf doc;
		kw_buf_init(&doc, p->cfg.doc_max);
		struct kw_err e = KW_ERR_INIT;
		int32_t rc = (int32_t)p->cfg.render(p->cfg.data, job, (size_t)n, &doc, &e);
		free(job);
		const char *code = rc ? (e.code ? e.code : "RENDER_FAILED") : "";
		const char *msg = rc ? e.msg : "";
		size_t cl = strnlen(code, CODE_MAX - 1), ml = strnlen(msg, MSG_MAX - 1);
		uint64_t dl = rc ? 0 : (uint64_t)doc.len;
		char rh[RESULT_HEAD];
		put_u64(rh, id);
		memcpy(rh + 8, &rc, sizeof rc);
		put_u32(rh + 12, (uint32_t)cl);
		put_u32(rh + 16, (uint32_t)ml);
		put_u64(rh + 20, dl);
		if (kw_fd_write_all(out, rh, sizeof rh) || kw_fd_write_all(out, code, cl) ||
		    kw_fd_write_all(out, msg, ml) || kw_fd_write_all(out, doc.buf, (size_t)dl))
			_exit(4);
		kw_buf_release(&doc);
		kw_err_release(&e);
	}
}

/* ---- the parent ---- */

static int64_t ms_since(int64_t us)
{
	return (kw_clock_mono_us() - us) / 1000;
}

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Stops the run with rc (the first error wins). */
static void fail_run(struct kw_render_pool *p, int rc)
{
	if (!p->rc)
		p->rc = rc;
	p->stopping = 1;
}

/* The threads of this process (from /proc/self/status; 1 when it cannot be read). */
static int threads(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = 1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "Threads:", 8) == 0)
			n = atoi(line + 8);
	if (f)
		fclose(f);
	return n;
}

/* The zygote's life: fork a worker for each SPAWN, report each worker's end, exit when
 * the parent closes the socket (after reaping every worker). */
static void zygote_main(const struct kw_render_pool *p, int ctl)
{
	int open = 1, children = 0;
	if (p->cfg.warm) {
		struct kw_err e = KW_ERR_INIT;
		p->cfg.warm(p->cfg.data, &e); /* a failure only costs each worker the loading */
		kw_err_release(&e);
		/* pango initialises fontconfig in a thread of its own: let it end before the
		 * first fork (the zygote forks only while single-threaded; a loaded machine and a
		 * sanitizer build can take seconds) */
		for (int i = 0; i < 2000 && threads() > 1; i++)
			usleep(5000);
	}
	while (open || children > 0) {
		struct pollfd pfd = {.fd = ctl, .events = POLLIN};
		int r = open ? poll(&pfd, 1, 20) : 0;
		if (r > 0) {
			struct zmsg m;
			int fds[2] = {-1, -1};
			char cbuf[CMSG_SPACE(sizeof fds)];
			struct iovec iov = {.iov_base = &m, .iov_len = sizeof m};
			struct msghdr mh = {.msg_iov = &iov,
			                    .msg_iovlen = 1,
			                    .msg_control = cbuf,
			                    .msg_controllen = sizeof cbuf};
			ssize_t n = recvmsg(ctl, &mh, 0);
			if (n <= 0 && !(n < 0 && errno == EINTR)) {
				open = 0; /* the parent is done (or gone) */
				continue;
			}
			struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
			if (cm && cm->cmsg_type == SCM_RIGHTS &&
			    cm->cmsg_len == CMSG_LEN(sizeof fds))
				memcpy(fds, CMSG_DATA(cm), sizeof fds);
			if (n == (ssize_t)sizeof m && m.op == Z_SPAWN && fds[0] >= 0) {
				pid_t pid = fork();
				if (pid == 0) {
					close(ctl);
					signal(SIGPIPE, SIG_DFL);
					worker_main(p, fds[0], fds[1]);
					_exit(0);
				}
				struct zmsg a = {.op = Z_SPAWNED, .pid = pid > 0 ? pid : -errno};
				children += pid > 0;
				if (write(ctl, &a, sizeof a) != (ssize_t)sizeof a)
					open = 0;
			}
			for (int k = 0; k < 2; k++)
				if (fds[k] >= 0)
					close(fds[k]);
		}
		int status;
		struct rusage ru;
		pid_t pid;
		while (children > 0 && (pid = wait4(-1, &status, open ? WNOHANG : 0, &ru)) > 0) {
			children--;
			struct zmsg a = {.op = Z_EXITED,
			                 .pid = pid,
			                 .status = status,
			                 .maxrss_kb = ru.ru_maxrss};
			if (open && write(ctl, &a, sizeof a) != (ssize_t)sizeof a)
				open = 0;
		}
	}
	_exit(0);
}

/* Forks the zygote (once, at the start of run). */
static int zygote_start(struct kw_render_pool *p)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return kw_err_set(p->err, KW_EINTERNAL, "INTERNAL", NULL, "socketpair: %s",
		                  strerror(errno));
	fflush(NULL); /* nothing buffered is written twice */
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return kw_err_set(p->err, KW_EINTERNAL, "INTERNAL", NULL, "fork: %s",
		                  strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		zygote_main(p, sv[1]);
	}
	close(sv[1]);
	p->zygote = pid;
	p->ctl = sv[0];
	return 0;
}

/* Reads one message from the zygote; -1 when it is gone, or silent for longer than a job
 * may take (a zygote that hangs — in loading the fonts, say — must not hang the run: it
 * is killed, and the run fails with what it has). */
static int zygote_read(struct kw_render_pool *p, struct zmsg *m)
{
	int64_t t0 = kw_clock_mono_us();
	for (;;) {
		int left = (int)(p->cfg.job_timeout_ms - ms_since(t0));
		struct pollfd pfd = {.fd = p->ctl, .events = POLLIN};
		int r = left > 0 ? poll(&pfd, 1, left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			kill(p->zygote, SIGKILL);
			return -1;
		}
		ssize_t n = read(p->ctl, m, sizeof *m);
		if (n < 0 && errno == EINTR)
			continue;
		return n == (ssize_t)sizeof *m ? 0 : -1;
	}
}

/* Keeps a report of a worker's end for when its pipe ends. */
static void stash(struct kw_render_pool *p, const struct zmsg *m)
{
	struct exited *e = kw_xcalloc(1, sizeof *e);
	e->m = *m;
	e->next = p->gone;
	p->gone = e;
}

/* The wait status and peak RSS of worker pid, waiting for the zygote's report. */
static int worker_end(struct kw_render_pool *p, pid_t pid, int *status, long *maxrss)
{
	for (;;) {
		for (struct exited **e = &p->gone; *e; e = &(*e)->next)
			if ((*e)->m.pid == pid) {
				struct exited *x = *e;
				*e = x->next;
				*status = x->m.status;
				*maxrss = (long)x->m.maxrss_kb;
				free(x);
				return 0;
			}
		struct zmsg m;
		if (zygote_read(p, &m))
			return -1;
		if (m.op == Z_EXITED)
			stash(p, &m);
	}
}

/* Has the zygote fork the worker of slot k. */
static int spawn(struct kw_render_pool *p, size_t k)
{
	struct worker *w = &p->w[k];
	int jp[2], rp[2];
	if (pipe2(jp, O_CLOEXEC) != 0)
		return kw_err_set(p->err, KW_EINTERNAL, "INTERNAL", NULL, "pipe: %s",
		                  strerror(errno));
	if (pipe2(rp, O_CLOEXEC) != 0) {
		close(jp[0]);
		close(jp[1]);
		return kw_err_set(p->err, KW_EINTERNAL, "INTERNAL", NULL, "pipe: %s",
		                  strerror(errno));
	}
	struct zmsg m = {.op = Z_SPAWN};
	int fds[2] = {jp[0], rp[1]};
	char cbuf[CMSG_SPACE(sizeof fds)];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = {.iov_base = &m, .iov_len = sizeof m};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf,
	                    .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(cm), fds, sizeof fds);
	ssize_t sent;
	while ((sent = sendmsg(p->ctl, &mh, 0)) < 0 && errno == EINTR)
		;
	close(jp[0]);
	close(rp[1]);
	pid_t pid = -EPIPE;
	while (sent == (ssize_t)sizeof m) {
		struct zmsg a;
		if (zygote_read(p, &a))
			break;
		if (a.op == Z_EXITED) {
			stash(p, &a);
			continue;
		}
		pid = a.pid;
		break;
	}
	if (pid <= 0) {
		close(jp[1]);
		close(rp[0]);
		return kw_err_set(p->err, KW_EINTERNAL, "INTERNAL", NULL, "fork: %s",
		                  strerror(pid < 0 ? -pid : EPIPE));
	}
	w->pid = pid;
	w->in = jp[1];
	w->out = rp[0];
	w->handed = 0;
	w->nflight = 0;
	w->head = w->tail = NULL;
	w->since_us = kw_clock_mono_us();
	kw_buf_reset(&w->wbuf);
	w->woff = 0;
	kw_buf_reset(&w->rbuf);
	set_nonblock(w->in);
	set_nonblock(w->out);
	p->st.workers_started++;
	return 0;
}

/* Answers a job through done and frees it. */
static void answer(struct kw_render_pool *p, struct job *j, int rc, const char *code,
                   const char *msg, const char *doc, size_t n)
{
	struct kw_err failure = KW_ERR_INIT;
	if (rc) {
		failure.rc = rc;
		failure.code = code;
		snprintf(failure.msg, sizeof failure.msg, "%s", msg ? msg : "");
		p->st.failed++;
	}
	p->st.jobs++;
	if (p->cfg.done(p->cfg.data, j->id, rc, doc, n, rc ? &failure : NULL, p->err) < 0)
		fail_run(p, p->err && p->err->rc ? p->err->rc : KW_EINTERNAL);
	free(j->bytes);
	free(j);
}

/* The next job to hand out: one lost with a dead worker, else a new one from next. */
static struct job *take_job(struct kw_render_pool *p)
{
	if (p->retry) {
		struct job *j = p->retry;
		p->retry = j->next;
		if (!p->retry)
			p->retry_tail = NULL;
		j->next = NULL;
		return j;
	}
	if (p->ahead) {
		struct job *j = p->ahead;
		p->ahead = NULL;
		return j;
	}
	if (p->exhausted || p->stopping)
		return NULL;
	struct kw_buf b;
	kw_buf_init(&b, 0);
	uint64_t id = 0;
	int r = p->cfg.next(p->cfg.data, &id, &b, p->err);
	if (r <= 0) {
		kw_buf_release(&b);
		if (r < 0)
			fail_run(p, r);
		else
			p->exhausted = 1;
		return NULL;
	}
	struct job *j = kw_xcalloc(1, sizeof *j);
	j->id = id;
	j->n = b.len;
	j->bytes = kw_buf_detach(&b, NULL);
	return j;
}

/* Hands worker w jobs up to its depth and its share; closes its job pipe after the share. */
static void feed(struct kw_render_pool *p, struct worker *w)
{
	while (w->in >= 0 && w->nflight < p->cfg.depth && w->handed < p->cfg.jobs_per_worker) {
		struct job *j = take_job(p);
		if (!j)
			break;
		char head[16];
		put_u64(head, j->id);
		put_u64(head + 8, (uint64_t)j->n);
		kw_buf_add(&w->wbuf, head, sizeof head);
		kw_buf_add(&w->wbuf, j->bytes, j->n);
		if (w->tail)
			w->tail->next = j;
		else
			w->head = j;
		w->tail = j;
		if (!w->nflight++)
			w->since_us = kw_clock_mono_us();
		w->handed++;
	}
}

/* Writes what is waiting for w's job pipe, without blocking; closes the pipe once w has
 * its whole share (or there is nothing more to give) and everything is written. */
static void flush(struct kw_render_pool *p, struct worker *w)
{
	while (w->in >= 0 && w->woff < w->wbuf.len) {
		ssize_t n = write(w->in, w->wbuf.buf + w->woff, w->wbuf.len - w->woff);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) { /* the worker is gone: its end-of-pipe on out says how */
			close(w->in);
			w->in = -1;
			return;
		}
		w->woff += (size_t)n;
	}
	if (w->woff == w->wbuf.len) {
		kw_buf_reset(&w->wbuf);
		w->woff = 0;
	}
	int done_giving = w->handed >= p->cfg.jobs_per_worker ||
	                  ((p->exhausted || p->stopping) && !p->retry && !p->ahead);
	if (w->in >= 0 && done_giving && w->wbuf.len == 0) {
		close(w->in);
		w->in = -1;
	}
}

/* Takes the whole results in w's read buffer off it. */
static void parse_results(struct kw_render_pool *p, struct worker *w)
{
	size_t off = 0;
	while (w->rbuf.len - off >= RESULT_HEAD) {
		const char *h = w->rbuf.buf + off;
		uint64_t id = get_u64(h);
		int32_t rc;
		memcpy(&rc, h + 8, sizeof rc);
		uint32_t cl = get_u32(h + 12), ml = get_u32(h + 16);
		uint64_t dl = get_u64(h + 20);
		if (cl >= CODE_MAX || ml >= MSG_MAX || dl > p->cfg.doc_max || !w->head ||
		    w->head->id != id) {
			/* Not what this worker was given: treat it as dead. */
			kill(w->pid, SIGKILL);
			off = w->rbuf.len;
			break;
		}
		size_t whole = RESULT_HEAD + cl + ml + (size_t)dl;
		if (w->rbuf.len - off < whole)
			break;
		char code[CODE_MAX], msg[MSG_MAX];
		memcpy(code, h + RESULT_HEAD, cl);
		code[cl] = '\0';
		memcpy(msg, h + RESULT_HEAD + cl, ml);
		msg[ml] = '\0';
		struct job *j = w->head;
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		w->nflight--;
		w->since_us = kw_clock_mono_us();
		answer(p, j, rc, code, msg, h + RESULT_HEAD + cl + ml, (size_t)dl);
		off += whole;
	}
	if (off) {
		memmove(w->rbuf.buf, w->rbuf.buf + off, w->rbuf.len - off);
		w->rbuf.len -= off;
	}
}

/* Reads what w has sent; 1 at the end of its pipe (it exited or died), else 0. */
static int drain(struct kw_render_pool *p, struct worker *w)
{
	char chunk[65536];
	for (;;) {
		ssize_t n = read(w->out, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return 1;
		kw_buf_add(&w->rbuf, chunk, (size_t)n);
		parse_results(p, w);
	}
	return 0;
}

/* w's process has ended (its result pipe did): reap it; if it left jobs unanswered, the
 * one it was rendering fails and the others go back to the queue. */
static void reap(struct kw_render_pool *p, struct worker *w)
{
	int status = 0;
	long maxrss = 0;
	if (worker_end(p, w->pid, &status, &maxrss))
		status = 0x7f00; /* the zygote is gone: not known, so not clean */
	if (maxrss > p->st.worker_max_rss_kb)
		p->st.worker_max_rss_kb = maxrss;
	int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !w->nflight;
	if (!clean) {
		p->st.workers_crashed++;
		struct job *j = w->head;
		if (j) {
			w->head = j->next;
			char why[96];
			if (WIFSIGNALED(status))
				snprintf(why, sizeof why, "the rendering process died (signal %d)",
				         WTERMSIG(status));
			else
				snprintf(why, sizeof why, "the rendering process died (exit %d)",
				         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			p->st.crashed++;
			j->next = NULL;
			answer(p, j, KW_EINTERNAL, "RENDER_CRASHED", why, NULL, 0);
		}
		/* the jobs behind it were never started: to the front of the queue, in order */
		if (w->head) {
			struct job *last = w->head;
			while (last->next)
				last = last->next;
			last->next = p->retry;
			if (!p->retry)
				p->retry_tail = last;
			p->retry = w->head;
		}
	}
	if (w->in >= 0)
		close(w->in);
	close(w->out);
	w->pid = 0;
	w->in = w->out = -1;
	w->head = w->tail = NULL;
	w->nflight = 0;
	kw_buf_reset(&w->wbuf);
	w->woff = 0;
	kw_buf_reset(&w->rbuf);
}

/* Is there work a new worker would get? (Asks next for it, so that no worker is forked
 * only to be told there is nothing left.) */
static int more_to_give(struct kw_render_pool *p)
{
	if (!p->retry && !p->ahead)
		p->ahead = take_job(p);
	return p->retry || p->ahead;
}

int kw_render_pool_create(const struct kw_render_pool_config *cfg, struct kw_render_pool **out,
                          struct kw_err *err)
{
	*out = NULL;
	if (!cfg || !cfg->render || !cfg->next || !cfg->done || cfg->workers < 0 ||
	    cfg->jobs_per_worker < 0 || cfg->depth < 0 || cfg->job_timeout_ms < 0)
		return kw_err_set(err, KW_EINVAL, "VALIDATION_FAILED", NULL,
		                  "render pool: bad configuration");
	struct kw_render_pool *p = kw_xcalloc(1, sizeof *p);
	p->cfg = *cfg;
	if (!p->cfg.workers) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		p->cfg.workers = n > 0 ? (int)n : 1;
	}
	if (!p->cfg.jobs_per_worker)
		p->cfg.jobs_per_worker = 500;
	if (!p->cfg.depth)
		p->cfg.depth = 2;
	if (!p->cfg.job_timeout_ms)
		p->cfg.job_timeout_ms = 60000;
	if (!p->cfg.doc_max)
		p->cfg.doc_max = (size_t)64 << 20;
	p->w = kw_xcalloc((size_t)p->cfg.workers, sizeof *p->w);
	for (int i = 0; i < p->cfg.workers; i++) {
		p->w[i].in = p->w[i].out = -1;
		kw_buf_init(&p->w[i].wbuf, 0);
		kw_buf_init(&p->w[i].rbuf, 0);
	}
	*out = p;
	return 0;
}

int kw_render_pool_run(struct kw_render_pool *p, struct kw_err *err)
{
	p->err = err;
	p->rc = 0;
	p->stopping = p->exhausted = 0;
	int64_t t0 = kw_clock_mono_us();
	struct sigaction ign, old;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	p->ctl = -1;
	if (!p->rc) {
		int rc = zygote_start(p);
		if (rc)
			fail_run(p, rc);
	}
	int n = p->cfg.workers;
	struct pollfd *fds = kw_xcalloc((size_t)n * 2, sizeof *fds);
	for (;;) {
		/* workers for the work there is */
		for (int i = 0; i < n && !p->rc; i++)
			if (!p->w[i].pid && more_to_give(p)) {
				int rc = spawn(p, (size_t)i);
				if (rc)
					fail_run(p, rc);
			}
		int live = 0;
		for (int i = 0; i < n; i++) {
			struct worker *w = &p->w[i];
			if (!w->pid)
				continue;
			live++;
			feed(p, w);
			flush(p, w);
		}
		if (!live)
			break;
		size_t nf = 0;
		int64_t wait_ms = p->cfg.job_timeout_ms;
		for (int i = 0; i < n; i++) {
			struct worker *w = &p->w[i];
			if (!w->pid)
				continue;
			fds[nf++] = (struct pollfd){.fd = w->out, .events = POLLIN};
			if (w->in >= 0 && w->woff < w->wbuf.len)
				fds[nf++] = (struct pollfd){.fd = w->in, .events = POLLOUT};
			if (w->nflight) {
				int64_t left = p->cfg.job_timeout_ms - ms_since(w->since_us);
				if (left < wait_ms)
					wait_ms = left > 0 ? left : 0;
			}
		}
		int r = poll(fds, nf, (int)wait_ms);
		if (r < 0 && errno != EINTR) {
			fail_run(p, kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "poll: %s",
			                       strerror(errno)));
			for (int i = 0; i < n; i++)
				if (p->w[i].pid)
					kill(p->w[i].pid, SIGKILL);
		}
		for (int i = 0; i < n; i++) {
			struct worker *w = &p->w[i];
			if (!w->pid)
				continue;
			if (drain(p, w)) {
				reap(p, w);
				continue;
			}
			/* a job over its time limit: the worker is killed, its end comes next */
			if (w->nflight && ms_since(w->since_us) > p->cfg.job_timeout_ms)
				kill(w->pid, SIGKILL);
		}
	}
	free(fds);
	if (p->ctl >= 0) { /* the zygote reaps what is left and exits */
		close(p->ctl);
		p->ctl = -1;
		while (waitpid(p->zygote, NULL, 0) < 0 && errno == EINTR)
			;
	}
	while (p->gone) {
		struct exited *e = p->gone;
		p->gone = e->next;
		free(e);
	}
	if (p->ahead) {
		p->ahead->next = p->retry;
		p->retry = p->ahead;
		p->ahead = NULL;
	}
	/* jobs that were queued again but found no worker (the run stopped) */
	while (p->retry) {
		struct job *j = p->retry;
		p->retry = j->next;
		j->next = NULL;
		p->st.crashed++;
		answer(p, j, KW_EINTERNAL, "RENDER_CRASHED", "the run stopped before this job",
		       NULL, 0);
	}
	p->retry_tail = NULL;
	sigaction(SIGPIPE, &old, NULL);
	p->st.seconds = (double)(kw_clock_mono_us() - t0) / 1e6;
	p->err = NULL;
	return p->rc;
}

void kw_render_pool_stop(struct kw_render_pool *p)
{
	p->stopping = 1;
}

void kw_render_pool_stats(const struct kw_render_pool *p, struct kw_render_pool_stats *out)
{
	*out = p->st;
}

void kw_render_pool_free(struct kw_render_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->cfg.workers; i++) {
		kw_buf_release(&p->w[i].wbuf);
		kw_buf_release(&p->w[i].rbuf);
	}
	free(p->w);
	free(p);
}
