/* yardstick-client: the smallest honest ping-pong load, a calibration yardstick
 * for echo-bench. One thread, one epoll set, non-blocking sockets. Each of
 * CONNECTIONS connections sends SIZE bytes, waits until SIZE bytes have come
 * back, and sends again, for SECONDS seconds; then it prints the rate:
 *
 *   yardstick-client HOST PORT CONNECTIONS SIZE SECONDS
 *   412345 msgs/s (1237035 messages in 3.000 s, 50 connections, 64 bytes)
 *
 * Edge-triggered, so a message larger than the socket buffers cannot stall.
 * No verification and no timestamps: only the byte counts are checked, so
 * this is what a load generator costs at the least.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kMaxSize = 1 << 20, kMaxEvents = 256 };

struct conn {
  int fd;
  size_t sent;     /* bytes of the current message sent */
  size_t received; /* bytes of its echo received */
};

static char message[kMaxSize];
static char scratch[kMaxSize];
static size_t size;
static long long messages;
static int counting;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char* what) {
  perror(what);
  exit(1);
}

/* Sends the rest of the current message; returns -1 on error. */
static int push(struct conn* c) {
  while (c->sent < size) {
    ssize_t n = send(c->fd, message + c->sent, size - c->sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    c->sent += (size_t)n;
  }
  return 0;
}

static int on_ready(struct conn* c) {
  if (push(c) < 0) return -1;
  for (;;) {
    ssize_t n = recv(c->fd, scratch, size - c->received, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    if (n == 0) return -1;
    c->received += (size_t)n;
    if (c->received < size) continue;
    messages += counting;
    c->sent = c->received = 0;
    if (push(c) < 0) return -1;
  }
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: yardstick-client HOST PORT CONNECTIONS SIZE SECONDS\n");
    return 2;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_port = htons((unsigned short)atoi(argv[2]))};
  int count = atoi(argv[3]);
  size = (size_t)atol(argv[4]);
  double seconds = atof(argv[5]);
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 || count < 1 || size < 1 ||
      size > kMaxSize || seconds <= 0) {
    fprintf(stderr, "yardstick-client: bad argument (HOST is an IPv4 literal, SIZE 1-%d)\n",
            kMaxSize);
    return 2;
  }
  memset(message, 'y', size);
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  struct conn* conns = calloc((size_t)count, sizeof *conns);
  if (epfd < 0 || conns == NULL) fail("setup");
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0) fail("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0) fail("fcntl");
    conns[i].fd = fd;
    /* edge-triggered: on_ready() always runs both directions to EAGAIN */
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = &conns[i]};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl");
  }
  double start = now(), end = start + seconds;
  counting = 1;
  for (int i = 0; i < count; ++i)
    if (push(&conns[i]) < 0) fail("send");
  struct epoll_event events[kMaxEvents];
  while (now() < end) {
    int n = epoll_wait(epfd, events, kMaxEvents, 100);
    if (n < 0 && errno != EINTR) fail("epoll_wait");
    for (int i = 0; i < n; ++i)
      if (on_ready(events[i].data.ptr) < 0) fail("connection");
  }
  double elapsed = now() - start;
  printf("%.0f msgs/s (%lld messages in %.3f s, %d connections, %zu bytes)\n",
         (double)messages / elapsed, messages, elapsed, count, size);
  return 0;
}
