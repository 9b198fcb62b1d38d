/*
 * The first process inside a kubectl jail (see jail.ts). The jail has a network namespace of its
 * own with nothing in it but loopback, so kubectl cannot reach the host's network or its loopback
 * services. This program listens on 127.0.0.1:PORT inside the jail, where the learner's kubeconfig
 * points, and carries each connection to the API server's Unix socket, the one door out. Only
 * then does it start the program (kubectl), under resource limits, so kubectl's first request
 * never races the listener. It exits with the program's status.
 *
 * Usage: jail-init PORT SOCKET DATA_BYTES CPU_SECONDS PROGRAM [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int wake[2];

static void on_child(int sig) {
  (void)sig;
  int saved = errno;
  ssize_t n = write(wake[1], "c", 1);
  (void)n;
  errno = saved;
}

static void die(const char *what) {
  fprintf(stderr, "kubedojo jail: %s: %s\n", what, strerror(errno));
  exit(125);
}

/* Copies bytes both ways between a kubectl connection and the API socket until both sides end. */
static void relay(int a, int b) {
  char buf[65536];
  int open_ab = 1, open_ba = 1;
  while (open_ab || open_ba) {
    struct pollfd p[2] = {{a, open_ab ? POLLIN : 0, 0}, {b, open_ba ? POLLIN : 0, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; i++) {
      int from = i == 0 ? a : b, to = i == 0 ? b : a;
      int *open = i == 0 ? &open_ab : &open_ba;
      if (!*open || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(from, buf, sizeof buf);
      if (n <= 0) {
        *open = 0;
        shutdown(to, SHUT_WR);
        continue;
      }
      for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0) {
          if (errno == EINTR) continue;
          return;
        }
        off += w;
      }
    }
  }
}

static void limit(int what, rlim_t value) {
  struct rlimit r = {value, value};
  if (setrlimit(what, &r) != 0) die("setrlimit");
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: jail-init PORT SOCKET DATA_BYTES CPU_SECONDS PROGRAM [ARG...]\n");
    return 125;
  }
  int port = atoi(argv[1]);
  const char *socket_path = argv[2];
  rlim_t data = strtoull(argv[3], NULL, 10), cpu = strtoull(argv[4], NULL, 10);
  if (port <= 0 || port > 65535 || strlen(socket_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
    fprintf(stderr, "kubedojo jail: bad port or socket path\n");
    return 125;
  }

  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) die("socket");
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0) die("bind");
  if (listen(listener, 64) != 0) die("listen");

  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) die("pipe");
  struct sigaction sa = {0};
  sa.sa_handler = on_child;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);

  pid_t program = fork();
  if (program < 0) die("fork");
  if (program == 0) {
    limit(RLIMIT_DATA, data);
    limit(RLIMIT_CPU, cpu);
    limit(RLIMIT_CORE, 0);
    limit(RLIMIT_FSIZE, 64ull * 1024 * 1024);
    execv(argv[5], argv + 5);
    fprintf(stderr, "kubedojo jail: cannot run %s: %s\n", argv[5], strerror(errno));
    _exit(127);
  }

  for (;;) {
    struct pollfd p[2] = {{listener, POLLIN, 0}, {wake[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0 && errno != EINTR) die("poll");
    if (p[1].revents & POLLIN) {
      char drain[64];
      while (read(wake[0], drain, sizeof drain) > 0) {
      }
      int status;
      pid_t done;
      while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
        if (done != program) continue;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
      }
    }
    if (p[0].revents & POLLIN) {
      int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
      if (conn < 0) continue;
      pid_t carrier = fork();
      if (carrier == 0) {
        signal(SIGCHLD, SIG_DFL);
        close(listener);
        close(wake[0]);
        close(wake[1]);
        int api = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un ua = {0};
        ua.sun_family = AF_UNIX;
        strcpy(ua.sun_path, socket_path);
        if (api < 0 || connect(api, (struct sockaddr *)&ua, sizeof ua) != 0) _exit(1);
        relay(conn, api);
        _exit(0);
      }
      close(conn);
    }
  }
}
