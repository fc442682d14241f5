/*
 * mono: the monotonic clock, for waits and timeouts, which a step of the
 * wall clock must neither cut short nor stretch.  Shared by breachclockd
 * and breachclock-notifier.
 */
#ifndef BREACHCLOCK_MONO_H
#define BREACHCLOCK_MONO_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t mono_ms(void);

/* Initialise c so that pthread_cond_timedwait() counts on that clock; 0 or
 * -1. */
int mono_cond_init(pthread_cond_t *c);

/* The instant ms (of mono_ms()) as the timespec such a wait takes. */
struct timespec mono_ts(int64_t ms);

#endif
