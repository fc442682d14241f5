/* spool: atomic .eml files (see spool.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "spool.h"

/* mkdir -p for one level at a time of path. */
static int
mkdirs(const char *path)
{
	char p[PATH_MAX];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(p))
		return (-1);
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST)
			return (-1);
		p[i] = i < n ? '/' : '\0';
	}
	return (0);
}

int
spool_init(const char *dir)
{
	char tmp[PATH_MAX];
	int w;

	w = snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	if (w < 0 || (size_t)w >= sizeof(tmp) || mkdirs(tmp) == -1) {
		log_event(LOG_ERROR, "cannot create the spool directory",
		    "dir", dir, "error", strerror(errno), NULL);
		return (-1);
	}
	return (0);
}

static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

int
spool_write(const char *dir, const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	char base[256], tmp[PATH_MAX], dst[PATH_MAX];
	const char *p;
	size_t n = 0, off = 0;
	ssize_t w;
	int fd, l1, l2;

	for (p = name; *p != '\0' && n + 1 < sizeof(base) - 4; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_')
			base[n++] = *p;
	base[n] = '\0';
	if (n == 0 || base[0] == '.') {
		snprintf(err, errlen, "spool: bad file name");
		return (-1);
	}
	l1 = snprintf(tmp, sizeof(tmp), "%s/tmp/%s.eml", dir, base);
	l2 = snprintf(dst, sizeof(dst), "%s/%s.eml", dir, base);
	if (l1 < 0 || (size_t)l1 >= sizeof(tmp) || l2 < 0 ||
	    (size_t)l2 >= sizeof(dst)) {
		snprintf(err, errlen, "spool: path too long");
		return (-1);
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		goto err0;
	while (off < len) {
		if ((w = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto err1;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1)
		goto err1;
	if (close(fd) == -1) {
		fd = -1;
		goto err1;
	}
	fd = -1;
	if (rename(tmp, dst) == -1)
		goto err1;
	if (fsync_dir(dir) == -1)
		goto err0;
	return (0);
err1:
	snprintf(err, errlen, "spool %s: %s", tmp, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return (-1);
err0:
	snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
	return (-1);
}
