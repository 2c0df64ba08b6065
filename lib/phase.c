/*
 * phase: timing the steps of a job (see phase.h).
 */
#include "lib/phase.h"

#include <sys/resource.h>
#include <time.h>

static void now(double *wall_ms, double *cpu_ms, long *minflt)
{
	struct timespec t;
	struct rusage ru;

	clock_gettime(CLOCK_MONOTONIC, &t);
	*wall_ms = (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
	getrusage(RUSAGE_SELF, &ru);
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	*minflt = ru.ru_minflt;
}

void phases_start(struct phases *p)
{
	p->n = 0;
	now(&p->wall_ms, &p->cpu_ms, &p->minflt);
}

void phases_mark(struct phases *p, const char *name)
{
	double wall, cpu;
	long minflt;
	struct phase *ph;

	now(&wall, &cpu, &minflt);
	if (p->n < PHASE_MAX) {
		ph = &p->v[p->n++];
		*ph = (struct phase){ .name = name };
	} else {
		ph = &p->v[PHASE_MAX - 1];
	}
	ph->wall_ms += wall - p->wall_ms;
	ph->cpu_ms += cpu - p->cpu_ms;
	ph->minflt += minflt - p->minflt;
	p->wall_ms = wall;
	p->cpu_ms = cpu;
	p->minflt = minflt;
}

struct phase phases_total(const struct phases *p)
{
	struct phase t = { .name = "total" };

	for (size_t i = 0; i < p->n; i++) {
		t.wall_ms += p->v[i].wall_ms;
		t.cpu_ms += p->v[i].cpu_ms;
		t.minflt += p->v[i].minflt;
	}
	return t;
}
