/*
 * interp.c - a classic-BPF interpreter for seccomp programs.
 *
 * What the tests check emitted programs with, and the benchmark counts
 * executed instructions with.  It follows the kernel's seccomp checker:
 * 32-bit aligned absolute loads inside struct seccomp_data, forward jumps
 * only, scratch memory M[0..15], and every path ending in a return.
 */
#include "backends/seccomp/seccomp.h"

#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

enum { SCRATCH = 16 };

static int invalid(struct sc_trace *t, const char *why)
{
	t->error = why;
	return -1;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t x, bool *ok)
{
	*ok = true;
	switch (op) {
	case BPF_ADD: return a + x;
	case BPF_SUB: return a - x;
	case BPF_MUL: return a * x;
	case BPF_DIV: *ok = x != 0; return x ? a / x : 0;
	case BPF_MOD: *ok = x != 0; return x ? a % x : 0;
	case BPF_AND: return a & x;
	case BPF_OR: return a | x;
	case BPF_XOR: return a ^ x;
	case BPF_LSH: return x < 32 ? a << x : 0;
	case BPF_RSH: return x < 32 ? a >> x : 0;
	case BPF_NEG: return -a;
	}
	*ok = false;
	return 0;
}

int sc_interpret(const struct sock_filter *insns, size_t len,
		 const struct seccomp_data *data, struct sc_trace *t)
{
	uint32_t a = 0, x = 0, mem[SCRATCH] = { 0 };

	memset(t, 0, sizeof(*t));
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &insns[pc];
		uint32_t operand = BPF_SRC(in->code) == BPF_X ? x : in->k;
		bool ok;

		t->steps++;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX: {
			uint32_t v;

			if (BPF_MODE(in->code) == BPF_ABS &&
			    BPF_SIZE(in->code) == BPF_W &&
			    BPF_CLASS(in->code) == BPF_LD) {
				if (in->k % 4 || in->k > sizeof(*data) - 4)
					return invalid(t, "load outside "
							  "seccomp_data");
				memcpy(&v, (const char *)data + in->k, 4);
				t->loaded_argument |=
					in->k >=
					offsetof(struct seccomp_data, args);
			} else if (BPF_MODE(in->code) == BPF_IMM) {
				v = in->k;
			} else if (BPF_MODE(in->code) == BPF_MEM &&
				   in->k < SCRATCH) {
				v = mem[in->k];
			} else if (BPF_MODE(in->code) == BPF_LEN) {
				v = sizeof(*data);
			} else {
				return invalid(t, "unsupported load");
			}
			if (BPF_CLASS(in->code) == BPF_LD)
				a = v;
			else
				x = v;
			break;
		}
		case BPF_ST:
		case BPF_STX:
			if (in->k >= SCRATCH)
				return invalid(t, "store outside M[]");
			mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			a = alu(BPF_OP(in->code), a, operand, &ok);
			if (!ok)
				return invalid(t, "bad arithmetic");
			break;
		case BPF_JMP: {
			size_t skip;

			switch (BPF_OP(in->code)) {
			case BPF_JA: skip = in->k; break;
			case BPF_JEQ:
				skip = a == operand ? in->jt : in->jf;
				break;
			case BPF_JGT:
				skip = a > operand ? in->jt : in->jf;
				break;
			case BPF_JGE:
				skip = a >= operand ? in->jt : in->jf;
				break;
			case BPF_JSET:
				skip = a & operand ? in->jt : in->jf;
				break;
			default: return invalid(t, "unknown jump");
			}
			if (skip >= len - pc - 1)
				return invalid(t, "jump out of the program");
			pc += skip;
			break;
		}
		case BPF_RET:
			t->action = BPF_RVAL(in->code) == BPF_A ? a : in->k;
			return 0;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return invalid(t, "runs off the end");
}
