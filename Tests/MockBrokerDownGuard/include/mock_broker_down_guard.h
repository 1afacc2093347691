#ifndef MOCK_BROKER_DOWN_GUARD_H
#define MOCK_BROKER_DOWN_GUARD_H

/// Called around every child process the test process starts (see mock_broker_down_guard.c):
/// while any start is under way, no mock broker is taken down, and the other way round.
void mock_broker_down_guard_start_child_begin(void);
void mock_broker_down_guard_start_child_end(void);

#include <spawn.h>

/// Adds to `actions` the closing, in the child, of every descriptor from `lowest` up, before it
/// executes its program; returns posix_spawn's error code.
int mock_broker_down_guard_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// How many times a mock broker was taken down through the guard.
long mock_broker_down_guard_downs(void);

#endif
