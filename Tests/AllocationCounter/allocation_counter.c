// Per-thread allocation counting for the tests of the send path's allocations.
//
// Only the calling thread is counted, so librdkafka's own threads (brokers, mock cluster) do not
// make the figure depend on timing. Under ASan or TSan the sanitizer owns malloc, so the
// counter is left out and reports itself unavailable.
#include "allocation_counter.h"

#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOCATION_COUNTER_DISABLED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ALLOCATION_COUNTER_DISABLED 1
#endif

#ifdef ALLOCATION_COUNTER_DISABLED

int allocation_counter_available(void) { return 0; }
void allocation_counter_start(void) {}
long allocation_counter_stop(void) { return -1; }

#else

#include <errno.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static __thread int counting;
static __thread long allocations;

static inline void count(void) {
    if (counting) allocations++;
}

int allocation_counter_available(void) { return 1; }

void allocation_counter_start(void) {
    allocations = 0;
    counting = 1;
}

long allocation_counter_stop(void) {
    counting = 0;
    return allocations;
}

void *malloc(size_t size) {
    count();
    return __libc_malloc(size);
}

void *calloc(size_t count_, size_t size) {
    count();
    return __libc_calloc(count_, size);
}

void *realloc(void *pointer, size_t size) {
    count();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    count();
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer) return ENOMEM;
    *result = pointer;
    return 0;
}

#endif
