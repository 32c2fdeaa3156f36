/* yardstick-server: the smallest honest echo server, a calibration yardstick.
 * One thread, one epoll set, level-triggered, non-blocking sockets; TCP and UDP
 * on the same 127.0.0.1 port. Whatever is read is written straight back; bytes
 * the peer is not ready to take wait in a per-connection buffer, and reading
 * from that connection pauses until they are gone.
 *
 *   yardstick-server PORT      (0: the kernel picks; prints "listening tcp 127.0.0.1:PORT")
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kBufferSize = 65536, kMaxEvents = 256 };

struct conn {
  int fd;
  size_t pending; /* bytes of buf not yet written back */
  size_t offset;  /* where they start */
  char buf[kBufferSize];
};

static int epfd;

static void die(const char* what) {
  perror(what);
  exit(1);
}

static void watch(int op, int fd, unsigned events, void* ptr) {
  struct epoll_event ev = {.events = events, .data.ptr = ptr};
  if (epoll_ctl(epfd, op, fd, &ev) != 0) die("epoll_ctl");
}

static void drop(struct conn* c) {
  close(c->fd); /* also leaves the epoll set */
  free(c);
}

/* Writes what is pending; returns 0 when all is written, 1 if it must wait, -1 on error. */
static int flush(struct conn* c) {
  while (c->pending > 0) {
    ssize_t n = send(c->fd, c->buf + c->offset, c->pending, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 1 : -1;
    c->offset += (size_t)n;
    c->pending -= (size_t)n;
  }
  c->offset = 0;
  return 0;
}

static void on_conn(struct conn* c, unsigned events) {
  if (c->pending > 0) { /* EPOLLOUT: the peer takes bytes again */
    int state = flush(c);
    if (state < 0) {
      drop(c);
      return;
    }
    if (state > 0) return;
    watch(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
  }
  if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
  for (;;) {
    ssize_t n = recv(c->fd, c->buf, sizeof c->buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      drop(c);
      return;
    }
    c->pending = (size_t)n;
    int state = flush(c);
    if (state < 0) {
      drop(c);
      return;
    }
    if (state > 0) {
      watch(EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);
      return;
    }
    if ((size_t)n < sizeof c->buf) return; /* drained: back to epoll */
  }
}

static void on_accept(int listener) {
  for (;;) {
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return; /* EAGAIN, or EMFILE: try again on the next wake-up */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn* c = malloc(sizeof *c);
    if (c == NULL) {
      close(fd);
      continue;
    }
    c->fd = fd;
    c->pending = c->offset = 0;
    watch(EPOLL_CTL_ADD, fd, EPOLLIN, c);
  }
}

static void on_udp(int fd) {
  static char datagram[65536];
  for (;;) {
    struct sockaddr_storage peer;
    socklen_t len = sizeof peer;
    ssize_t n = recvfrom(fd, datagram, sizeof datagram, 0, (struct sockaddr*)&peer, &len);
    if (n < 0) return;
    sendto(fd, datagram, (size_t)n, MSG_NOSIGNAL, (struct sockaddr*)&peer, len);
  }
}

static int bound_socket(int type, unsigned short port) {
  int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr*)&addr, sizeof addr) != 0) die("bind");
  return fd;
}

int main(int argc, char** argv) {
  char* end = NULL;
  long port = argc == 2 ? strtol(argv[1], &end, 10) : -1;
  if (argc != 2 || *end != '\0' || port < 0 || port > 65535) {
    fprintf(stderr, "usage: yardstick-server PORT   (0: any free port)\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int listener = bound_socket(SOCK_STREAM, (unsigned short)port);
  if (listen(listener, 4096) != 0) die("listen");
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  if (getsockname(listener, (struct sockaddr*)&addr, &len) != 0) die("getsockname");
  int udp = bound_socket(SOCK_DGRAM, ntohs(addr.sin_port));
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) die("epoll_create1");
  watch(EPOLL_CTL_ADD, listener, EPOLLIN, &listener);
  watch(EPOLL_CTL_ADD, udp, EPOLLIN, &udp);
  printf("listening tcp 127.0.0.1:%u\nlistening udp 127.0.0.1:%u\n", ntohs(addr.sin_port),
         ntohs(addr.sin_port));
  fflush(stdout);
  struct epoll_event events[kMaxEvents];
  for (;;) {
    int n = epoll_wait(epfd, events, kMaxEvents, -1);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      void* ptr = events[i].data.ptr;
      if (ptr == &listener) {
        on_accept(listener);
      } else if (ptr == &udp) {
        on_udp(udp);
      } else {
        on_conn(ptr, events[i].events);
      }
    }
  }
}
