/*
 * known.c - the programs made when polc was built, found by their input.
 *
 * A program depends on the architecture, the syscall default and the
 * Linux syscall rules alone, and no syscall rule depends on a variable:
 * the stdlib profiles' programs (and those of every profile that changes
 * no syscall rule of one) are the same on every machine.  polc run lowers
 * at every start, and lowering costs ~150 K instructions, a tenth of all
 * polc run computes; writing the input down and finding it costs ~10 K.
 * The key holds every field lower.c reads, so a hit is the program the
 * search would make (tests/unit/test_seccomp.c changes each field and
 * checks that the program still is the search's).
 */
#include "backends/seccomp/plans.h"
#include "backends/seccomp/seccomp.h"

#include <string.h>

/* Writes bytes into a bounded buffer; @len counts past the end too. */
struct key_writer {
	unsigned char *buf;
	size_t cap, len;
};

static void put(struct key_writer *w, const void *bytes, size_t n)
{
	if (w->len + n <= w->cap)
		memcpy(w->buf + w->len, bytes, n);
	w->len += n;
}

static void put_u32(struct key_writer *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_u64(struct key_writer *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

size_t sc_program_key(const struct ir_policy *p, uint32_t arch,
		      unsigned char *buf, size_t cap)
{
	const struct ir_settings *st =
		&p->settings[ir_platform_index(IR_LINUX)];
	struct key_writer w = { buf, cap, 0 };

	put_u32(&w, arch);
	put_u32(&w, (uint32_t)st->sys_default);
	put_u32(&w, st->sys_default_errno);
	for (size_t i = 0; i < p->nsys; i++) {
		const struct ir_sys_rule *r = &p->sys[i];

		if (!(r->platforms & IR_LINUX))
			continue;
		put(&w, r->syscall, strlen(r->syscall) + 1);
		put_u32(&w, (uint32_t)r->action);
		put_u32(&w, r->errno_value);
		put_u32(&w, (uint32_t)r->nconds);
		for (size_t c = 0; c < r->nconds; c++) {
			put_u32(&w, r->conds[c].arg);
			put_u32(&w, (uint32_t)r->conds[c].op);
			put_u64(&w, r->conds[c].mask);
			put_u64(&w, r->conds[c].value);
		}
	}
	return w.len <= cap ? w.len : 0;
}

const struct sc_known_program *sc_known_program(const struct ir_policy *p,
						uint32_t arch)
{
	/* Every stdlib profile's key fits (claude-code's: 2.6 KiB); a larger
	 * one is lowered, as any other. */
	unsigned char key[8 * 1024];
	size_t len = sc_program_key(p, arch, key, sizeof(key));

	for (size_t i = 0; len && i < sc_known_program_count; i++)
		if (sc_known_programs[i].keylen == len &&
		    !memcmp(sc_known_programs[i].key, key, len))
			return &sc_known_programs[i];
	return NULL;
}
