/*
 * uapi.h - the Landlock kernel interface, vendored.
 *
 * Debian 12's <linux/landlock.h> stops at ABI 2; polc needs every ABI up to
 * 7, so the constants and structures it uses are copied here from the
 * kernel's include/uapi/linux/landlock.h (values are ABI: they never
 * change), and the three system calls are made directly by number.
 */
#ifndef POLC_BACKENDS_LANDLOCK_UAPI_H
#define POLC_BACKENDS_LANDLOCK_UAPI_H

#include <stdint.h>

/* System call numbers: the same on every architecture (asm-generic). */
enum {
	LL_SYS_CREATE_RULESET = 444,
	LL_SYS_ADD_RULE = 445,
	LL_SYS_RESTRICT_SELF = 446,
};

/* landlock_create_ruleset() flags. */
#define LL_CREATE_RULESET_VERSION (1u << 0)

/* Rule types. */
enum {
	LL_RULE_PATH_BENEATH = 1,
	LL_RULE_NET_PORT = 2,
};

/* Filesystem rights, LANDLOCK_ACCESS_FS_*, with the ABI that added them. */
#define LL_FS_EXECUTE	  (1ull << 0)  /* ABI 1 */
#define LL_FS_WRITE_FILE  (1ull << 1)  /* ABI 1 */
#define LL_FS_READ_FILE	  (1ull << 2)  /* ABI 1 */
#define LL_FS_READ_DIR	  (1ull << 3)  /* ABI 1 */
#define LL_FS_REMOVE_DIR  (1ull << 4)  /* ABI 1 */
#define LL_FS_REMOVE_FILE (1ull << 5)  /* ABI 1 */
#define LL_FS_MAKE_CHAR	  (1ull << 6)  /* ABI 1 */
#define LL_FS_MAKE_DIR	  (1ull << 7)  /* ABI 1 */
#define LL_FS_MAKE_REG	  (1ull << 8)  /* ABI 1 */
#define LL_FS_MAKE_SOCK	  (1ull << 9)  /* ABI 1 */
#define LL_FS_MAKE_FIFO	  (1ull << 10) /* ABI 1 */
#define LL_FS_MAKE_BLOCK  (1ull << 11) /* ABI 1 */
#define LL_FS_MAKE_SYM	  (1ull << 12) /* ABI 1 */
#define LL_FS_REFER	  (1ull << 13) /* ABI 2 */
#define LL_FS_TRUNCATE	  (1ull << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV	  (1ull << 15) /* ABI 5 */

/* Network rights, LANDLOCK_ACCESS_NET_* (ABI 4). */
#define LL_NET_BIND_TCP	   (1ull << 0)
#define LL_NET_CONNECT_TCP (1ull << 1)

/* Scopes, LANDLOCK_SCOPE_* (ABI 6). */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0)
#define LL_SCOPE_SIGNAL		      (1ull << 1)

/*
 * struct landlock_ruleset_attr.  The kernel takes the size the caller
 * passes, so a ruleset for ABI 1-3 passes 8 bytes, ABI 4-5 16, ABI 6+ 24.
 */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* struct landlock_path_beneath_attr (packed in the UAPI). */
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

/* struct landlock_net_port_attr. */
struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#endif
