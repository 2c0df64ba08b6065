/*
 * Tests for lib/phase.c: steps are recorded in order, each measured from
 * the previous mark, and the total is their sum.
 */
#include <time.h>

#include <criterion/criterion.h>

#include "lib/phase.h"

/* Busy for ms of this process's CPU time (so at least as much wall clock). */
static void spin_ms(double ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	while ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6 < ms);
}

Test(phase, records_each_step_from_the_previous_mark)
{
	struct phases p;
	struct phase t;

	phases_start(&p);
	spin_ms(20);
	phases_mark(&p, "first");
	phases_mark(&p, "second");
	t = phases_total(&p);
	cr_assert_eq(p.n, 2);
	cr_assert_str_eq(p.v[0].name, "first");
	cr_assert_str_eq(p.v[1].name, "second");
	cr_assert_geq(p.v[0].wall_ms, 20);
	cr_assert_lt(p.v[1].wall_ms, 20);
	cr_assert_geq(p.v[0].cpu_ms, 19);
	cr_assert_float_eq(t.wall_ms, p.v[0].wall_ms + p.v[1].wall_ms, 1e-9);
	cr_assert_str_eq(t.name, "total");
}

Test(phase, folds_steps_past_the_last_into_it)
{
	struct phases p;

	phases_start(&p);
	for (int i = 0; i < PHASE_MAX + 3; i++) {
		spin_ms(1);
		phases_mark(&p, i < PHASE_MAX ? "step" : "late");
	}
	cr_assert_eq(p.n, PHASE_MAX);
	cr_assert_geq(p.v[PHASE_MAX - 1].wall_ms, 4);
	cr_assert_geq(phases_total(&p).wall_ms, PHASE_MAX + 3);
}
