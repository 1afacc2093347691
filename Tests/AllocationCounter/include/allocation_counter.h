#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// Counts heap allocations (malloc, calloc, realloc, memalign and friends) made by the calling
/// thread between start and stop. Test-only: linked into the test executable, where its malloc
/// stands in front of glibc's for the whole process.

/// 0 when the counter is not compiled in (under a sanitizer, which owns malloc).
int allocation_counter_available(void);
void allocation_counter_start(void);
/// The calling thread's allocations since start; counting stops.
long allocation_counter_stop(void);

#endif
