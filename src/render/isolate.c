#include "render/isolate.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int kw_fd_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int kw_fd_read_full(int fd, void *p, size_t n)
{
	char *c = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return got ? -1 : 1;
		if (r < 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* The child's answer: int32 rc, then the code's length and bytes, then uint64 length and the
 * document. */
int kw_render_isolated(kw_render_fn fn, void *arg, struct kw_buf *out, struct kw_err *err)
{
	int fds[2];
	if (pipe(fds) != 0)
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return kw_err_set(err, KW_EINTERNAL, "INTERNAL", NULL, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		struct kw_buf b = KW_BUF_INIT;
		kw_buf_init(&b, out->max);
		struct kw_err e = KW_ERR_INIT;
		int32_t rc = (int32_t)fn(arg, &b, &e);
		const char *code = rc && e.code ? e.code : "";
		uint32_t cl = (uint32_t)strlen(code);
		uint64_t len = rc ? 0 : (uint64_t)b.len;
		int bad = kw_fd_write_all(fds[1], &rc, sizeof rc) ||
		          kw_fd_write_all(fds[1], &cl, sizeof cl) ||
		          kw_fd_write_all(fds[1], code, cl) ||
		          kw_fd_write_all(fds[1], &len, sizeof len) ||
		          kw_fd_write_all(fds[1], b.buf, (size_t)len);
		_exit(bad ? 2 : 0);
	}
	close(fds[1]);
	int32_t rc = 0;
	uint32_t cl = 0;
	uint64_t len = 0;
	char code[64] = "";
	int bad = kw_fd_read_full(fds[0], &rc, sizeof rc) ||
	          kw_fd_read_full(fds[0], &cl, sizeof cl) || cl >= sizeof code ||
	          kw_fd_read_full(fds[0], code, cl);
	if (!bad) {
		code[cl] = '\0';
		bad = kw_fd_read_full(fds[0], &len, sizeof len) || (out->max && len > out->max);
	}
	if (!bad && len) {
		char tmp[65536];
		uint64_t left = len;
		while (!bad && left) {
			size_t k = left < sizeof tmp ? (size_t)left : sizeof tmp;
			bad = kw_fd_read_full(fds[0], tmp, k) || kw_buf_add(out, tmp, k);
			left -= k;
		}
	}
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (bad || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return kw_err_set(err, KW_EINTERNAL, "RENDER_FAILED", NULL,
		                  "the rendering process failed");
	if (rc)
		return kw_err_set(err, rc, "RENDER_FAILED", NULL, "rendering refused: %s", code);
	return 0;
}
