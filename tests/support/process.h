/*
 * process: the real attache binary, run by a test.
 *
 * For what only a whole process shows: signals, reloads, draining, limits,
 * logs and exit codes. The binary is $TEST_ATTACHE_BIN (make sets it to the
 * build under test). Its stderr goes to a log file the test can read.
 */
#ifndef ATTACHE_TEST_PROCESS_H
#define ATTACHE_TEST_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

struct proc {
	pid_t pid;
	unsigned port;
	char log[128];
};

/*
 * Starts the binary with args (NULL-terminated; "--port 0" is added) and waits
 * for its "listening" log line, from which it takes the port.
 */
void proc_start(struct proc *p, const char *const *args);

/* Sends sig and waits up to timeout seconds; returns the exit status, or -1 (then it kills). */
int proc_stop(struct proc *p, int sig, double timeout);

/*
 * Fails the test if the server's log holds a sanitizer's report (a server
 * built with SANITIZE writes them there, where the test runner's own check
 * does not look). proc_stop() calls it.
 */
void proc_check_sanitizers(const struct proc *p);

/* Scrapes the server's /metrics: the value of the sample named exactly name (labels included). */
double proc_metric(const struct proc *p, const char *name);

/* The server's resident memory now, in KiB (VmRSS). */
long proc_rss_kb(const struct proc *p);

/* Sends a signal without waiting. */
void proc_signal(const struct proc *p, int sig);

/* Whether the log has a line containing needle; waits up to timeout seconds for it. */
bool proc_log_wait(const struct proc *p, const char *needle, double timeout);

/* How long proc_run() waits for the binary to finish, seconds. */
#define PROC_RUN_TIMEOUT 20

/*
 * Runs the binary to completion with args; returns its exit status, output in
 * out (stdout+stderr), or -1 (then it kills it) if it runs past PROC_RUN_TIMEOUT.
 */
int proc_run(const char *const *args, char *out, size_t size);

/* Writes text to path atomically (a temporary file renamed over it). */
void write_file_atomic(const char *path, const char *text, size_t len);

#endif
