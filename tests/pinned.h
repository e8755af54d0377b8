/*
 * pinned.h - the built-in variables the unit tests and fuzz harnesses
 * resolve with: fixed values, so that what they see depends on their
 * input alone, not on the machine.
 */
#ifndef POLC_TESTS_PINNED_H
#define POLC_TESTS_PINNED_H

#include "ir/ir.h"

static const char *const pinned_builtins[IR_VAR_COUNT] = {
	[IR_VAR_HOME] = "/home/user",
	[IR_VAR_TMPDIR] = "/tmp",
	[IR_VAR_UID] = "1000",
	[IR_VAR_USER] = "user",
	[IR_VAR_WORKDIR] = "/work/project",
	[IR_VAR_XDG_CONFIG_HOME] = "/home/user/.config",
	[IR_VAR_XDG_CACHE_HOME] = "/home/user/.cache",
	[IR_VAR_XDG_DATA_HOME] = "/home/user/.local/share",
	[IR_VAR_XDG_STATE_HOME] = "/home/user/.local/state",
	[IR_VAR_XDG_RUNTIME_DIR] = "/run/user/1000",
};

#endif
