// Gives librdkafka's mock brokers, in the test process, listening ports below the kernel's
// ephemeral range.
//
// Why: taking a mock broker down (rd_kafka_mock_broker_set_down) closes its listening socket
// and binds a new one to the same port at once, and librdkafka asserts that this bind
// succeeds. The mock's first bind asks for port 0, so its port comes from the ephemeral range,
// which every outgoing connection and every other port-0 bind in the process and on the
// machine draw from too; and SO_REUSEADDR lets another port-0 bind share a port whose only
// sockets are not listening. Once the old listener is closed, anything else may be handed the
// port, and the whole test process aborts. Below the ephemeral range the kernel never hands a
// port out on its own, so a downed broker's port stays free for it.
//
// How: this definition of bind(2) in the test executable takes precedence over the C
// library's for every caller in the process. It changes only what the mock's listener does
// (a TCP socket with SO_REUSEADDR bound to 127.0.0.1 port 0) and passes every other call
// through unchanged. Ports are taken in turn from a window below the ephemeral range, each
// tried without SO_REUSEADDR first, so that a port any socket still holds (a listener, a
// connection, a TIME_WAIT) is skipped; they are not reused within the process.
#define _GNU_SOURCE
#include "mock_broker_ports.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static atomic_long placed;
static atomic_ulong turn;

static int system_bind(int fd, const struct sockaddr *address, socklen_t length) {
    return (int)syscall(SYS_bind, fd, address, length);
}

int mock_broker_ports_ephemeral_low(void) {
    FILE *file = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (file == NULL) return -1;
    int low = -1, high = -1;
    int read = fscanf(file, "%d %d", &low, &high);
    fclose(file);
    return read == 2 ? low : -1;
}

long mock_broker_ports_placed(void) { return atomic_load(&placed); }

static int is_mock_listener(int fd, const struct sockaddr *address, socklen_t length) {
    if (address == NULL || length < (socklen_t)sizeof(struct sockaddr_in) || address->sa_family != AF_INET) return 0;
    const struct sockaddr_in *inet = (const struct sockaddr_in *)address;
    if (inet->sin_port != 0 || inet->sin_addr.s_addr != htonl(INADDR_LOOPBACK)) return 0;
    int type = 0, reuse = 0;
    socklen_t size = sizeof(int);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) != 0 || type != SOCK_STREAM) return 0;
    size = sizeof(int);
    if (getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &size) != 0 || reuse == 0) return 0;
    return 1;
}

int bind(int fd, const struct sockaddr *address, socklen_t length) {
    if (!is_mock_listener(fd, address, length)) return system_bind(fd, address, length);
    int low = mock_broker_ports_ephemeral_low();
    // The window: up to 16,384 ports just below the ephemeral range, never below 1024.
    int first = low - 16384 < 1024 ? 1024 : low - 16384;
    int size = low - first;
    if (size < 256) return system_bind(fd, address, length);
    // Processes started together begin at different places in the window.
    unsigned long start = (unsigned long)getpid() * 7919UL;
    const int on = 1, off = 0;
    for (int attempt = 0; attempt < size; attempt++) {
        unsigned long index = (start + atomic_fetch_add(&turn, 1)) % (unsigned long)size;
        struct sockaddr_in candidate = *(const struct sockaddr_in *)address;
        candidate.sin_port = htons((uint16_t)(first + (int)index));
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof off);
        int result = system_bind(fd, (const struct sockaddr *)&candidate, sizeof candidate);
        int error = errno;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (result == 0) {
            atomic_fetch_add(&placed, 1);
            return 0;
        }
        if (error != EADDRINUSE && error != EACCES) {
            errno = error;
            return result;
        }
    }
    return system_bind(fd, address, length);
}
