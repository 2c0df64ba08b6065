/*
 * process: running the attache binary from tests (see process.h).
 */
#include "tests/support/process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "lib/strbuf.h"
#include "tests/support/client.h"

static const char *binary(void)
{
	const char *b = getenv("TEST_ATTACHE_BIN");

	return b && *b ? b : "build/attache";
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void read_log(const struct proc *p, struct strbuf *out)
{
	char buf[4096];
	int fd = open(p->log, O_RDONLY);
	ssize_t n;

	strbuf_reset(out);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fd);
}

bool proc_log_wait(const struct proc *p, const char *needle, double timeout)
{
	struct strbuf log = STRBUF_INIT;
	double end = now() + timeout;
	bool found;

	do {
		read_log(p, &log);
		found = strstr(log.buf, needle) != NULL;
		if (!found)
			poll(NULL, 0, 20);
	} while (!found && now() < end);
	strbuf_release(&log);
	return found;
}

void proc_check_sanitizers(const struct proc *p)
{
	static const char *const reports[] = {
		"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
		"SUMMARY: UndefinedBehaviorSanitizer",
	};
	struct strbuf log = STRBUF_INIT;

	read_log(p, &log);
	for (size_t i = 0; i < sizeof(reports) / sizeof(reports[0]); i++)
		if (strstr(log.buf, reports[i]))
			cr_assert_fail("the server reported \"%s\":\n%s", reports[i], log.buf);
	strbuf_release(&log);
}

void proc_start(struct proc *p, const char *const *args)
{
	const char *argv[48] = { binary(), "--port", "0" };
	struct strbuf log = STRBUF_INIT;
	int argc = 3, fd;
	const char *at;

	for (; args && *args && argc < 47; args++)
		argv[argc++] = *args;
	snprintf(p->log, sizeof(p->log), "/tmp/attache-test-%d-%ld.log", getpid(), (long)random());
	fd = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	p->pid = fork();
	cr_assert_geq(p->pid, 0);
	if (p->pid == 0) {
		/* A test that fails before proc_stop() leaves no server behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fd, 2);
		dup2(fd, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd);
	if (!proc_log_wait(p, "\"msg\":\"listening\"", 10)) {
		read_log(p, &log);
		kill(p->pid, SIGKILL);
		cr_assert_fail("%s did not start:\n%s", argv[0], log.buf);
	}
	read_log(p, &log);
	at = strstr(log.buf, "\"port\":\"");
	cr_assert_not_null(at);
	p->port = (unsigned)atoi(at + 8);
	strbuf_release(&log);
}

double proc_metric(const struct proc *p, const char *name)
{
	char url[128], line[256];
	const char *at;
	struct reply r;
	double v;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/metrics", p->port);
	http_get(url, NULL, &r);
	snprintf(line, sizeof(line), "\n%s ", name);
	at = strstr(r.body.buf, line);
	cr_assert_not_null(at, "no %s", name);
	v = atof(at + strlen(line));
	reply_release(&r);
	return v;
}

long proc_rss_kb(const struct proc *p)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)p->pid);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	fclose(f);
	cr_assert_geq(kb, 0);
	return kb;
}

void proc_signal(const struct proc *p, int sig)
{
	kill(p->pid, sig);
}

int proc_stop(struct proc *p, int sig, double timeout)
{
	double end = now() + timeout;
	int status;

	kill(p->pid, sig);
	while (now() < end) {
		pid_t r = waitpid(p->pid, &status, WNOHANG);

		if (r == p->pid) {
			proc_check_sanitizers(p);
			unlink(p->log);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		poll(NULL, 0, 10);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
	return -1;
}

int proc_run(const char *const *args, char *out, size_t size)
{
	const char *argv[32] = { binary() };
	int pipefd[2], argc = 1, status;
	double end = now() + PROC_RUN_TIMEOUT;
	size_t got = 0;
	ssize_t n = 1;
	pid_t pid;

	for (; args && *args && argc < 31; args++)
		argv[argc++] = *args;
	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (n > 0 && got + 1 < size) {
		struct pollfd pfd = { pipefd[0], POLLIN, 0 };

		if (poll(&pfd, 1, 100) == 0) {
			if (now() < end)
				continue;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			close(pipefd[0]);
			out[got] = '\0';
			return -1;
		}
		n = read(pipefd[0], out + got, size - got - 1);
		if (n > 0)
			got += (size_t)n;
	}
	out[got] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void write_file_atomic(const char *path, const char *text, size_t len)
{
	char tmp[512];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(rename(tmp, path), 0);
}
