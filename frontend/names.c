/*
 * names.c - vocabulary tables and lookups (see names.h).
 */
#include "names.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/misspell.h"
#include "ast.h"

#define TABLE(var, what_, ...)                                            \
	static const struct name_entry var##_entries[] = { __VA_ARGS__ }; \
	const struct name_table var = { what_, var##_entries,             \
					sizeof(var##_entries) /           \
						sizeof(var##_entries[0]) }

/*
 * "none" has the value 0: it is only meaningful for workdir, which the
 * checker enforces.  Letter combinations are decoded separately.
 */
TABLE(names_access, "access mode", { "read", AST_ACCESS_READ },
      { "write", AST_ACCESS_WRITE }, { "exec", AST_ACCESS_EXEC },
      { "delete", AST_ACCESS_DELETE }, { "all", AST_ACCESS_ALL },
      { "none", 0 });

/* Bit numbers follow the kernel's LANDLOCK_ACCESS_FS_* order. */
TABLE(names_landlock, "Landlock right", { "execute", 0 }, { "write_file", 1 },
      { "read_file", 2 }, { "read_dir", 3 }, { "remove_dir", 4 },
      { "remove_file", 5 }, { "make_char", 6 }, { "make_dir", 7 },
      { "make_reg", 8 }, { "make_sock", 9 }, { "make_fifo", 10 },
      { "make_block", 11 }, { "make_sym", 12 }, { "refer", 13 },
      { "truncate", 14 }, { "ioctl_dev", 15 });

TABLE(names_platform, "platform", { "linux", 0 }, { "macos", 1 });

TABLE(names_syscall_action, "syscall action", { "allow", 0 }, { "deny", 1 },
      { "errno", 2 }, { "kill", 3 }, { "kill_thread", 4 }, { "trap", 5 },
      { "log", 6 }, { "notify", 7 });

TABLE(names_ipc, "IPC scope", { "signal", 0 }, { "abstract_unix", 1 });

TABLE(names_env_action, "env action", { "pass", 0 }, { "drop", 1 });

TABLE(names_seatbelt_op, "Seatbelt operation", { "mach-lookup", 1 },
      { "mach-register", 1 }, { "sysctl-read", 1 }, { "iokit-open", 1 },
      { "process-fork", 0 }, { "pseudo-tty", 0 }, { "ipc-posix-sem", 0 },
      { "ipc-posix-shm-read-data", 0 }, { "ipc-posix-shm-write-data", 0 },
      { "system-socket", 0 });

TABLE(names_net_op, "network operation", { "connect", 0 }, { "bind", 1 });

TABLE(names_net_proto, "protocol", { "tcp", 6 }, { "udp", 17 });

/*
 * Constants that argument conditions commonly need.  Values are the Linux
 * ABI's, identical on x86_64 and aarch64.
 */
TABLE(names_constant, "constant", { "AF_UNIX", 1 }, { "AF_INET", 2 },
      { "AF_INET6", 10 }, { "AF_NETLINK", 16 }, { "AF_PACKET", 17 },
      { "SOCK_STREAM", 1 }, { "SOCK_DGRAM", 2 }, { "SOCK_RAW", 3 },
      { "TIOCSTI", 0x5412 }, { "TIOCLINUX", 0x541c },
      { "CLONE_NEWNS", 0x00020000 }, { "CLONE_NEWCGROUP", 0x02000000 },
      { "CLONE_NEWUTS", 0x04000000 }, { "CLONE_NEWIPC", 0x08000000 },
      { "CLONE_NEWUSER", 0x10000000 }, { "CLONE_NEWPID", 0x20000000 },
      { "CLONE_NEWNET", 0x40000000 }, { "CLONE_NEWTIME", 0x00000080 },
      { "PER_LINUX", 0 }, { "PER_LINUX32", 8 }, { "UNAME26", 0x0020000 },
      { "PER_QUERY", 0xffffffff });

TABLE(names_builtin_var, "variable", { "HOME", 0 }, { "TMPDIR", 0 },
      { "UID", 0 }, { "USER", 0 }, { "WORKDIR", 0 }, { "XDG_CONFIG_HOME", 0 },
      { "XDG_CACHE_HOME", 0 }, { "XDG_DATA_HOME", 0 }, { "XDG_STATE_HOME", 0 },
      { "XDG_RUNTIME_DIR", 0 });

bool names_lookup(const struct name_table *t, const char *word, uint64_t *value)
{
	for (size_t i = 0; i < t->len; i++) {
		if (strcmp(t->entries[i].name, word) == 0) {
			*value = t->entries[i].value;
			return true;
		}
	}
	return false;
}

const char *names_suggest(const struct name_table *t, const char *word)
{
	struct misspell m;

	misspell_init(&m, word);
	for (size_t i = 0; i < t->len; i++)
		misspell_offer(&m, t->entries[i].name);
	return misspell_result(&m);
}

const char *names_landlock_right(unsigned bit)
{
	for (size_t i = 0; i < names_landlock.len; i++)
		if (names_landlock.entries[i].value == bit)
			return names_landlock.entries[i].name;
	return NULL;
}

/* The architectures whose syscall names the language accepts. */
static const uint32_t syscall_arches[] = { SCMP_ARCH_X86_64,
					   SCMP_ARCH_AARCH64 };

/* Both tables end below this bound (x86_64 and aarch64 stop near 460). */
enum { SYSCALL_NR_BOUND = 512 };

bool names_syscall_known(const char *name)
{
	for (size_t i = 0; i < sizeof(syscall_arches) / sizeof(*syscall_arches);
	     i++)
		if (seccomp_syscall_resolve_name_arch(syscall_arches[i],
						      name) != __NR_SCMP_ERROR)
			return true;
	return false;
}

const char *names_syscall_suggest(const char *name, char *buf, size_t size)
{
	struct misspell m;
	const char *best = NULL;

	misspell_init(&m, name);
	for (size_t i = 0; i < sizeof(syscall_arches) / sizeof(*syscall_arches);
	     i++) {
		for (int nr = 0; nr < SYSCALL_NR_BOUND; nr++) {
			char *cand = seccomp_syscall_resolve_num_arch(
				syscall_arches[i], nr);

			if (!cand)
				continue;
			misspell_offer(&m, cand);
			/* The misspell state keeps a pointer: copy winners. */
			if (misspell_result(&m) == cand) {
				snprintf(buf, size, "%s", cand);
				m.best = best = buf;
			}
			free(cand);
		}
	}
	return best;
}

bool names_errno_lookup(const char *name, int *value)
{
	/*
	 * glibc knows every errno's name, so there is no table of our own to
	 * drift; Linux numbers them below 256 (EHWPOISON is 133).
	 */
	for (int e = 1; e < 256; e++) {
		const char *n = strerrorname_np(e);

		if (n && strcmp(n, name) == 0) {
			*value = e;
			return true;
		}
	}
	return false;
}
