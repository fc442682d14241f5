/*
 * fuzz: the libFuzzer entry points every harness in tests/fuzz defines.
 * Built with clang and -Dfuzz=true they link libFuzzer's main; otherwise
 * replay.c's main runs them on the kept corpus (tests/fuzz/corpus/<name>/,
 * seeds and every crash ever found), under the sanitizers of the build.
 *
 * A harness aborts (FUZZ_CHECK) when an oracle fails, so that both the
 * fuzzer and the replay report it as a crash.
 */
#ifndef BREACHCLOCK_FUZZ_H
#define BREACHCLOCK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* One-time set-up; argc/argv are the program's (unused). 0. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Run one input of size bytes at data (borrowed).  Always 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		abort();						\
	}								\
} while (0)

/* A NUL-terminated copy of data (malloc'd; the caller frees), or NULL. */
static inline char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return (NULL);
	for (size_t i = 0; i < size; i++)
		s[i] = (char)data[i];
	s[size] = '\0';
	return (s);
}

#endif
