/*
 * fuzz_router: the route matcher (router_match in server/router.c) on
 * every pattern of the route table.  Oracle: a path that matches is
 * exactly its pattern with the captured ids and name put back, the ids
 * are positive and the name is of the allowed characters.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "router.h"

#define PATH_MAX_LEN 4096

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

/* The pattern with ids and slug put back into out (len bytes). */
static void
rebuild(const char *pattern, const int64_t *ids, const char *slug, char *out,
    size_t len)
{
	size_t n = 0, k = 0;

	out[0] = '\0';
	for (const char *p = pattern; *p != '\0' && n < len; p++) {
		if (*p == '#')
			n += (size_t)snprintf(out + n, len - n, "%lld",
			    (long long)ids[k++]);
		else if (*p == '*')
			n += (size_t)snprintf(out + n, len - n, "%s", slug);
		else if (n + 1 < len) {
			out[n++] = *p;
			out[n] = '\0';
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t ids[REQ_MAX_IDS];
	char slug[65], back[PATH_MAX_LEN + 64], *path;
	const char *method, *pattern;
	size_t nid;

	if (size > PATH_MAX_LEN || (path = fuzz_strndup(data, size)) == NULL)
		return (0);
	for (size_t i = 0; i < router_nroutes(); i++) {
		router_route_info(i, &method, &pattern);
		memset(ids, 0, sizeof(ids));
		memset(slug, 0, sizeof(slug));
		if (!router_match(pattern, path, ids, slug))
			continue;
		nid = 0;
		for (const char *p = pattern; *p != '\0'; p++) {
			if (*p == '#') {
				FUZZ_CHECK(nid < REQ_MAX_IDS);
				FUZZ_CHECK(ids[nid] >= 1 &&
				    ids[nid] <= 999999999999999LL);
				nid++;
			}
			if (*p == '*') {
				FUZZ_CHECK(slug[0] != '\0');
				FUZZ_CHECK(strspn(slug, "abcdefghijklmnopqrstuv"
				    "wxyz0123456789_-") == strlen(slug));
			}
		}
		rebuild(pattern, ids, slug, back, sizeof(back));
		FUZZ_CHECK(strcmp(back, path) == 0);
	}
	free(path);
	return (0);
}
