/*
 * names.h - the fixed vocabularies of the language.
 *
 * Contextual words (access modes, Landlock rights, platforms, syscall
 * actions, network words, argument constants) are not reserved by the
 * scanner; the checker looks them up here, so each table is also the list
 * "did you mean" draws from.  Syscall names are checked against libseccomp's
 * tables for the architectures polc targets.
 */
#ifndef POLC_FRONTEND_NAMES_H
#define POLC_FRONTEND_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct name_entry - one word of a vocabulary and its value
 * @name: the word
 * @value: what it means (a bit set, a number, an enum value)
 */
struct name_entry {
	const char *name;
	uint64_t value;
};

/**
 * struct name_table - a vocabulary
 * @what: how a message names its words ("access mode", "platform", …)
 * @entries: the words
 * @len: number of words
 */
struct name_table {
	const char *what;
	const struct name_entry *entries;
	size_t len;
};

extern const struct name_table names_access;   /* read write … all none */
extern const struct name_table names_landlock; /* execute write_file … */
extern const struct name_table names_platform; /* linux macos */
extern const struct name_table names_syscall_action; /* allow deny errno … */
extern const struct name_table names_ipc;	     /* signal abstract_unix */
extern const struct name_table names_env_action;     /* pass drop */
extern const struct name_table names_net_op;	     /* connect bind */
extern const struct name_table names_net_proto;	     /* tcp udp */
extern const struct name_table names_constant;	     /* TIOCSTI AF_UNIX … */
extern const struct name_table names_builtin_var;    /* HOME TMPDIR … */
/* Seatbelt operations a path cannot name; the value: takes names. */
extern const struct name_table names_seatbelt_op; /* mach-lookup … */

/* Value of @word in @t; false when it is not there. */
bool names_lookup(const struct name_table *t, const char *word,
		  uint64_t *value);

/* Closest word of @t to @word for "did you mean", or NULL. */
const char *names_suggest(const struct name_table *t, const char *word);

/* The Landlock right name of bit @bit (0-based), or NULL. */
const char *names_landlock_right(unsigned bit);

/* Whether libseccomp knows @name on any architecture polc targets. */
bool names_syscall_known(const char *name);

/*
 * The known syscall name closest to @name, copied into @buf, or NULL when
 * none is close.  Walks libseccomp's tables: call it for errors only.
 */
const char *names_syscall_suggest(const char *name, char *buf, size_t size);

/* errno value of a name such as "EPERM"; false when unknown. */
bool names_errno_lookup(const char *name, int *value);

#endif
