/*
 * atomic.h - the files polc writes (fmt -w, build -o, import -o, learn -o)
 * are there whole or not at all.
 */
#ifndef POLC_COMMON_ATOMIC_H
#define POLC_COMMON_ATOMIC_H

#include <stddef.h>

/*
 * Write @len bytes of @text to @path: into a temporary file in the same
 * directory, fsync, rename over @path.  An existing @path must be a
 * regular file (a device, directory, FIFO or symbolic link is never
 * replaced: EINVAL) and keeps its mode; a new one gets 0666 less the
 * umask.  Returns 0, or -1 with errno set and nothing left behind.
 */
int write_file_atomically(const char *path, const char *text, size_t len);

#endif
