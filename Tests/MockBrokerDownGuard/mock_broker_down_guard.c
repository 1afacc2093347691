// Keeps librdkafka's mock from taking a broker down while the test process starts a child.
//
// Why: taking a mock broker down (rd_kafka_mock_broker_set_down) closes the broker's listening
// socket and binds a new socket to the same port at once, and librdkafka asserts that this bind
// succeeds (rdkafka_mock.c, "Failed to create mock broker listener"). A child process holds a
// copy of every descriptor of its parent from the moment it is forked until it executes its
// program, close-on-exec ones included. If a child is being started at that moment, the old
// socket is still open in it and still listening, the bind fails with EADDRINUSE, and the
// assertion aborts the whole test process. The busier the machine, the longer a child takes to
// reach exec, and the likelier the overlap.
//
// How: every child of the test process is started by TestSupport's ChildProcess. Its child
// closes every descriptor above the standard three as its last step before exec (a file
// action), and glibc's posix_spawn returns only once the child has reached exec, so by then
// the child holds none of the parent's sockets. (Close-on-exec alone is not enough: the kernel
// lets the parent of a vfork-style spawn go on a moment before it closes those descriptors.)
// ChildProcess holds this lock shared for that call. This definition of
// rd_kafka_mock_broker_set_down in the test executable takes precedence over librdkafka's, so
// every call to it in the test process takes the lock exclusively and then calls librdkafka's:
// a broker is never taken down while a child holds a copy of its socket.
#define _GNU_SOURCE
#include "mock_broker_down_guard.h"

#include <dlfcn.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static pthread_rwlock_t starting_children;
static pthread_once_t initialised = PTHREAD_ONCE_INIT;
static rd_kafka_resp_err_t (*librdkafka_set_down)(rd_kafka_mock_cluster_t *, int32_t);
static atomic_long downs;

static void initialise(void) {
    pthread_rwlockattr_t attributes;
    pthread_rwlockattr_init(&attributes);
    // Children are started often and briefly; a broker waiting to go down must not starve.
    pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&starting_children, &attributes);
    pthread_rwlockattr_destroy(&attributes);
    librdkafka_set_down = (rd_kafka_resp_err_t(*)(rd_kafka_mock_cluster_t *, int32_t))dlsym(
        RTLD_NEXT, "rd_kafka_mock_broker_set_down");
}

void mock_broker_down_guard_start_child_begin(void) {
    pthread_once(&initialised, initialise);
    pthread_rwlock_rdlock(&starting_children);
}

void mock_broker_down_guard_start_child_end(void) { pthread_rwlock_unlock(&starting_children); }

long mock_broker_down_guard_downs(void) { return atomic_load(&downs); }

int mock_broker_down_guard_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

rd_kafka_resp_err_t rd_kafka_mock_broker_set_down(rd_kafka_mock_cluster_t *mcluster, int32_t broker_id) {
    pthread_once(&initialised, initialise);
    // Only a broken link could leave librdkafka's own function unfound; there is no way on.
    if (librdkafka_set_down == NULL) abort();
    pthread_rwlock_wrlock(&starting_children);
    rd_kafka_resp_err_t result = librdkafka_set_down(mcluster, broker_id);
    pthread_rwlock_unlock(&starting_children);
    atomic_fetch_add(&downs, 1);
    return result;
}
