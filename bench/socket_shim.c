/* Diagnostic only, not built by CMake: an LD_PRELOAD shim that shows what two socket settings the hub lacks are
 * worth, without touching hub/ (BENCHMARKS.md, "Sync and hub"). TCP_NODELAY on every accepted socket (cpp-httplib
 * 0.11 leaves Nagle on, and writes a response's headers and body in two send() calls), and a listen backlog of at
 * least 1024 (cpp-httplib 0.11's is 5). Delete it once the hub sets both itself.
 *
 *   cc -shared -fPIC -O2 -o /tmp/socket_shim.so bench/socket_shim.c -ldl
 *   LD_PRELOAD=/tmp/socket_shim.so scripts/bench --only sync,hub          # both settings
 *   SHIM_NODELAY=0 LD_PRELOAD=/tmp/socket_shim.so scripts/bench ...       # only the backlog (SHIM_BACKLOG=0: only Nagle)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int enabled(const char* name) {
    const char* value = getenv(name);
    return value == NULL || strcmp(value, "0") != 0;
}

static int no_delay(int fd) {
    if (fd >= 0 && enabled("SHIM_NODELAY")) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return fd;
}

int accept(int socket, struct sockaddr* address, socklen_t* length) {
    static int (*real)(int, struct sockaddr*, socklen_t*);
    if (!real) real = (int (*)(int, struct sockaddr*, socklen_t*))dlsym(RTLD_NEXT, "accept");
    return no_delay(real(socket, address, length));
}

int accept4(int socket, struct sockaddr* address, socklen_t* length, int flags) {
    static int (*real)(int, struct sockaddr*, socklen_t*, int);
    if (!real) real = (int (*)(int, struct sockaddr*, socklen_t*, int))dlsym(RTLD_NEXT, "accept4");
    return no_delay(real(socket, address, length, flags));
}

int listen(int socket, int backlog) {
    static int (*real)(int, int);
    if (!real) real = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
    return real(socket, enabled("SHIM_BACKLOG") && backlog < 1024 ? 1024 : backlog);
}
