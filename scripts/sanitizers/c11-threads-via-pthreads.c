// Preloaded only under ThreadSanitizer (see scripts/sanitize).
//
// Debian's librdkafka starts its threads with C11 thrd_create and locks with mtx_*/cnd_*.
// glibc implements those without going through the pthread_* symbols, so ThreadSanitizer never
// sees librdkafka's threads start (they crash in its allocator) nor its locks (so it cannot tell
// synchronised from racy). Routing the C11 calls through pthread_*, which it intercepts, fixes both.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

static int result(int error) {
    if (error == 0) return thrd_success;
    if (error == ENOMEM) return thrd_nomem;
    if (error == ETIMEDOUT) return thrd_timedout;
    if (error == EBUSY) return thrd_busy;
    return thrd_error;
}

struct start { thrd_start_t function; void *argument; };

static void *trampoline(void *raw) {
    struct start start = *(struct start *)raw;
    free(raw);
    return (void *)(intptr_t)start.function(start.argument);
}

int thrd_create(thrd_t *thread, thrd_start_t function, void *argument) {
    struct start *start = malloc(sizeof *start);
    if (!start) return thrd_nomem;
    start->function = function;
    start->argument = argument;
    int error = pthread_create((pthread_t *)thread, NULL, trampoline, start);
    if (error) free(start);
    return result(error);
}

int thrd_join(thrd_t thread, int *exit_code) {
    void *value = NULL;
    int error = pthread_join((pthread_t)thread, &value);
    if (!error && exit_code) *exit_code = (int)(intptr_t)value;
    return result(error);
}

int thrd_detach(thrd_t thread) { return result(pthread_detach((pthread_t)thread)); }

int mtx_init(mtx_t *mutex, int type) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    if (type & mtx_recursive) pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    int error = pthread_mutex_init((pthread_mutex_t *)mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
    return result(error);
}
int mtx_lock(mtx_t *mutex) { return result(pthread_mutex_lock((pthread_mutex_t *)mutex)); }
int mtx_trylock(mtx_t *mutex) { return result(pthread_mutex_trylock((pthread_mutex_t *)mutex)); }
int mtx_timedlock(mtx_t *mutex, const struct timespec *deadline) {
    return result(pthread_mutex_timedlock((pthread_mutex_t *)mutex, deadline));
}
int mtx_unlock(mtx_t *mutex) { return result(pthread_mutex_unlock((pthread_mutex_t *)mutex)); }
void mtx_destroy(mtx_t *mutex) { pthread_mutex_destroy((pthread_mutex_t *)mutex); }

int cnd_init(cnd_t *condition) { return result(pthread_cond_init((pthread_cond_t *)condition, NULL)); }
int cnd_signal(cnd_t *condition) { return result(pthread_cond_signal((pthread_cond_t *)condition)); }
int cnd_broadcast(cnd_t *condition) { return result(pthread_cond_broadcast((pthread_cond_t *)condition)); }
int cnd_wait(cnd_t *condition, mtx_t *mutex) {
    return result(pthread_cond_wait((pthread_cond_t *)condition, (pthread_mutex_t *)mutex));
}
int cnd_timedwait(cnd_t *condition, mtx_t *mutex, const struct timespec *deadline) {
    return result(pthread_cond_timedwait((pthread_cond_t *)condition, (pthread_mutex_t *)mutex, deadline));
}
void cnd_destroy(cnd_t *condition) { pthread_cond_destroy((pthread_cond_t *)condition); }
