/*
 * phase: where the time of a long job goes, step by step.
 *
 * A job (loading a data file) marks the end of each of its steps; each mark
 * records the wall clock, the CPU time of the whole process (every thread)
 * and the minor page faults since the previous mark. For operators
 * (--log-level debug shows a load's phases) and for measuring; a mark costs
 * three system calls. Everything lives in the struct: no allocation.
 */
#ifndef ATTACHE_PHASE_H
#define ATTACHE_PHASE_H

#include <stddef.h>

/* The most steps a job records; marks past them are folded into the last. */
#define PHASE_MAX 16

struct phase {
	const char *name;       /* static text */
	double wall_ms, cpu_ms; /* since the previous mark */
	long minflt;            /* minor page faults since the previous mark */
};

struct phases {
	size_t n;
	struct phase v[PHASE_MAX];
	double wall_ms, cpu_ms; /* at the last mark (or the start) */
	long minflt;
};

/* Starts the clock: the first mark measures from here. */
void phases_start(struct phases *p);

/* Ends the step name (static text), which began at the previous mark. */
void phases_mark(struct phases *p, const char *name);

/* The totals of every step. */
struct phase phases_total(const struct phases *p);

#endif
