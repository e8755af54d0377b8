/*
 * atomic.c - whole-file writes through a temporary file (see atomic.h).
 */
#include "atomic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int write_file_atomically(const char *path, const char *text, size_t len)
{
	struct stat st;
	mode_t mask = umask(0), mode = 0666 & ~mask;
	char *tmp;
	int fd, err;

	umask(mask);
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			errno = EINVAL;
			return -1;
		}
		mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		return -1;
	}
	tmp = malloc(strlen(path) + sizeof(".polc-XXXXXX"));
	if (!tmp)
		return -1;
	sprintf(tmp, "%s.polc-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		free(tmp);
		errno = err;
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	err = done < len ? errno : 0;
	if (!err && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	errno = err;
	return err ? -1 : 0;
}
