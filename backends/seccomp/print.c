/*
 * print.c - a readable listing of a seccomp program.
 *
 * One instruction per line with its index; jumps show absolute targets,
 * loads name the seccomp_data field, returns name the action.
 */
#include "backends/seccomp/seccomp.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>

static void print_load(uint32_t k, FILE *out)
{
	size_t args = offsetof(struct seccomp_data, args);

	if (k == offsetof(struct seccomp_data, nr))
		fputs("ld  nr", out);
	else if (k == offsetof(struct seccomp_data, arch))
		fputs("ld  arch", out);
	else if (k >= args && k < args + 6 * 8)
		fprintf(out, "ld  arg%u.%s", (unsigned)((k - args) / 8),
			(k - args) % 8 ? "hi" : "lo");
	else
		fprintf(out, "ld  [%u]", (unsigned)k);
}

static void print_return(uint32_t k, FILE *out)
{
	uint32_t data = k & SECCOMP_RET_DATA;

	switch (k & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW: fputs("ret allow", out); return;
	case SECCOMP_RET_LOG: fputs("ret log", out); return;
	case SECCOMP_RET_USER_NOTIF: fputs("ret notify", out); return;
	case SECCOMP_RET_ERRNO:
		fprintf(out, "ret errno %u", (unsigned)data);
		return;
	case SECCOMP_RET_TRAP: fputs("ret trap", out); return;
	case SECCOMP_RET_KILL_THREAD: fputs("ret kill_thread", out); return;
	case SECCOMP_RET_KILL_PROCESS: fputs("ret kill", out); return;
	}
	fprintf(out, "ret 0x%08x", (unsigned)k);
}

void sc_print_listing(const struct sc_program *prog, FILE *out)
{
	fprintf(out, "# seccomp program for %s: %zu instructions\n",
		prog->arch == AUDIT_ARCH_X86_64 ? "x86_64" : "aarch64",
		prog->len);
	if (prog->nskipped) {
		fputs("# not on this architecture, so never called:", out);
		for (size_t i = 0; i < prog->nskipped; i++)
			fprintf(out, " %s", prog->skipped[i]);
		fputc('\n', out);
	}
	for (size_t pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *in = &prog->insns[pc];

		fprintf(out, "%4zu  ", pc);
		switch (BPF_CLASS(in->code)) {
		case BPF_LD: print_load(in->k, out); break;
		case BPF_ALU:
			fprintf(out, "and 0x%08x", (unsigned)in->k);
			break;
		case BPF_RET: print_return(in->k, out); break;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				fprintf(out, "ja  %zu", pc + 1 + in->k);
				break;
			}
			fprintf(out, "%s 0x%08x ? %zu : %zu",
				BPF_OP(in->code) == BPF_JEQ   ? "jeq"
				: BPF_OP(in->code) == BPF_JGT ? "jgt"
							      : "jge",
				(unsigned)in->k, pc + 1 + in->jt,
				pc + 1 + in->jf);
			break;
		default: fprintf(out, "0x%04x", (unsigned)in->code); break;
		}
		fputc('\n', out);
	}
}
