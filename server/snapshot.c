/*
 * snapshot: reference-counted serving state (see snapshot.h).
 */
#include "server/snapshot.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mem.h"

struct shared_site {
	struct site *site;
	atomic_uint refs;
};

struct snapshot {
	struct serving serving;
	struct shared_site *shared;
	char *error;                  /* owned copy of serving.reload_error */
	char *write_error;            /* owned copy of serving.write_error */
	atomic_uint refs;
};

struct snapshots {
	pthread_mutex_t lock;         /* guards current: held only to read or swap it */
	pthread_mutex_t publishing;   /* one publisher at a time: the writer, a reload, a stop */
	struct snapshot *current;     /* holds one reference of its own */
};

static void shared_release(struct shared_site *sh)
{
	if (atomic_fetch_sub(&sh->refs, 1) == 1) {
		site_free(sh->site);
		free(sh);
	}
}

void snapshot_release(struct snapshot *snap)
{
	if (!snap || atomic_fetch_sub(&snap->refs, 1) != 1)
		return;
	shared_release(snap->shared);
	free(snap->error);
	free(snap->write_error);
	free(snap);
}

/* A new snapshot copying prev's state (if any), with one reference for the registry. */
static struct snapshot *snapshot_new(const struct snapshot *prev, struct shared_site *shared)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));

	if (prev) {
		s->serving = prev->serving;
		s->error = prev->error ? xstrdup(prev->error) : NULL;
		s->serving.reload_error = s->error;
		s->write_error = prev->write_error ? xstrdup(prev->write_error) : NULL;
		s->serving.write_error = s->write_error;
	}
	s->shared = shared;
	atomic_fetch_add(&shared->refs, 1);
	s->serving.site = shared->site;
	atomic_init(&s->refs, 1);
	return s;
}

static void publish(struct snapshots *reg, struct snapshot *next)
{
	struct snapshot *old;

	pthread_mutex_lock(&reg->lock);
	old = reg->current;
	reg->current = next;
	pthread_mutex_unlock(&reg->lock);
	snapshot_release(old);
}

struct snapshots *snapshots_new(struct site *site, int64_t started_at, int64_t loaded_at)
{
	struct snapshots *reg = xcalloc(1, sizeof(*reg));
	struct shared_site *sh = xcalloc(1, sizeof(*sh));

	sh->site = site;
	atomic_init(&sh->refs, 0);
	pthread_mutex_init(&reg->lock, NULL);
	pthread_mutex_init(&reg->publishing, NULL);
	reg->current = snapshot_new(NULL, sh);
	reg->current->serving.generation = 1;
	reg->current->serving.started_at = started_at;
	reg->current->serving.loaded_at = loaded_at;
	return reg;
}

void snapshots_free(struct snapshots *reg)
{
	if (!reg)
		return;
	snapshot_release(reg->current);
	pthread_mutex_destroy(&reg->lock);
	pthread_mutex_destroy(&reg->publishing);
	free(reg);
}

struct snapshot *snapshot_acquire(struct snapshots *reg)
{
	struct snapshot *s;

	pthread_mutex_lock(&reg->lock);
	s = reg->current;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&reg->lock);
	return s;
}

const struct serving *snapshot_serving(const struct snapshot *snap)
{
	return &snap->serving;
}

/*
 * Publishers hold reg->publishing from reading current to swapping it, so
 * none loses another's change; readers only take reg->lock, briefly.
 */
static void publish_site(struct snapshots *reg, struct site *site, int64_t at, bool write)
{
	struct shared_site *sh = xcalloc(1, sizeof(*sh));
	struct snapshot *next;

	sh->site = site;
	atomic_init(&sh->refs, 0);
	pthread_mutex_lock(&reg->publishing);
	next = snapshot_new(reg->current, sh);
	next->serving.generation++;
	next->serving.loaded_at = at;
	if (write) {
		/* A write succeeded: the write error it follows is over. */
		free(next->write_error);
		next->write_error = NULL;
		next->serving.write_error = NULL;
		next->serving.write_failed_at = 0;
	} else {
		free(next->error);
		next->error = NULL;
		next->serving.reload_error = NULL;
		next->serving.reload_failed_at = 0;
	}
	publish(reg, next);
	pthread_mutex_unlock(&reg->publishing);
}

void snapshots_publish_site(struct snapshots *reg, struct site *site, int64_t at)
{
	publish_site(reg, site, at, false);
}

void snapshots_publish_write(struct snapshots *reg, struct site *site, int64_t at)
{
	publish_site(reg, site, at, true);
}

void snapshots_publish_failure(struct snapshots *reg, const char *error, int64_t at)
{
	struct snapshot *next;

	pthread_mutex_lock(&reg->publishing);
	next = snapshot_new(reg->current, reg->current->shared);
	free(next->error);
	next->error = xstrdup(error);
	next->serving.reload_error = next->error;
	next->serving.reload_failed_at = at;
	publish(reg, next);
	pthread_mutex_unlock(&reg->publishing);
}

void snapshots_publish_write_failure(struct snapshots *reg, const char *error, int64_t at)
{
	struct snapshot *next;

	pthread_mutex_lock(&reg->publishing);
	next = snapshot_new(reg->current, reg->current->shared);
	free(next->write_error);
	next->write_error = xstrdup(error);
	next->serving.write_error = next->write_error;
	next->serving.write_failed_at = at;
	publish(reg, next);
	pthread_mutex_unlock(&reg->publishing);
}

void snapshots_publish_draining(struct snapshots *reg)
{
	struct snapshot *next;

	pthread_mutex_lock(&reg->publishing);
	next = snapshot_new(reg->current, reg->current->shared);
	next->serving.draining = true;
	publish(reg, next);
	pthread_mutex_unlock(&reg->publishing);
}
