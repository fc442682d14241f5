#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store.h"
#include "store_pair.h"

int
store_pair_open(struct store_pair *p, const char *name)
{
	struct store *m;

	snprintf(p->dir, sizeof(p->dir), "/tmp/bc-%s-XXXXXX", name);
	if (mkdtemp(p->dir) == NULL)
		return (-1);
	snprintf(p->path, sizeof(p->path), "%s/t.db", p->dir);
	store_set_path(p->path);
	if ((m = store_open(p->path)) == NULL || store_migrate(m, NULL) == -1)
		return (-1);
	store_close(m);
	p->r = store_thread();
	p->w = store_open(p->path);
	return (p->r != NULL && p->w != NULL ? 0 : -1);
}

void
store_pair_close(struct store_pair *p)
{
	char f[sizeof(p->path) + 8];

	store_close(p->w);
	store_shutdown();
	unlink(p->path);
	snprintf(f, sizeof(f), "%s-wal", p->path);
	unlink(f);
	snprintf(f, sizeof(f), "%s-shm", p->path);
	unlink(f);
	rmdir(p->dir);
}
