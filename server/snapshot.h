/*
 * snapshot: the serving state every request reads, swapped atomically.
 *
 * A snapshot is a struct serving (handlers/handler.h) with a reference count.
 * A request acquires the current snapshot when it starts and releases it when
 * its response has been sent, so it sees one site from start to end even if
 * a reload swaps in another meanwhile. Publishing builds a new snapshot and
 * swaps the pointer under a mutex held for a few instructions; the old one
 * is freed by whoever releases it last. Sites are shared between snapshots
 * (a failed reload publishes the same site with the error) and freed with
 * the last snapshot that holds them.
 *
 * Ownership: snapshots_new() returns a new registry taking the first site;
 * free with snapshots_free() once no request runs.
 */
#ifndef ATTACHE_SNAPSHOT_H
#define ATTACHE_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "handlers/handler.h"
#include "handlers/site.h"

struct snapshot;
struct snapshots;

/* A registry serving site (taken) as generation 1, loaded at loaded_at. */
struct snapshots *snapshots_new(struct site *site, int64_t started_at, int64_t loaded_at);
void snapshots_free(struct snapshots *reg);

/* Returns the current snapshot with a reference the caller must release. */
struct snapshot *snapshot_acquire(struct snapshots *reg);
void snapshot_release(struct snapshot *snap);

/* The state a snapshot carries; valid while the reference is held. */
const struct serving *snapshot_serving(const struct snapshot *snap);

/* A successful reload: serve site (taken) as the next generation. */
void snapshots_publish_site(struct snapshots *reg, struct site *site, int64_t at);

/* A write: serve site (taken) as the next generation, and clear a write error. */
void snapshots_publish_write(struct snapshots *reg, struct site *site, int64_t at);

/* A write that could not be made durable: keep the site, and report error (copied). */
void snapshots_publish_write_failure(struct snapshots *reg, const char *error, int64_t at);

/* A failed reload: keep the site, and report error (copied). */
void snapshots_publish_failure(struct snapshots *reg, const char *error, int64_t at);

/* Shutting down: readiness answers 503 from now on. */
void snapshots_publish_draining(struct snapshots *reg);

#endif
