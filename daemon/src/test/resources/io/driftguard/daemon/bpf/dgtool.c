/*
 * Test and benchmark helper for the eBPF integration tests, built static with gcc so that it runs
 * inside the busybox test image (copied in with docker cp).
 *   dgtool ptrace                    PTRACE_TRACEME; exit 0 when the call returned
 *   dgtool ptrace32                  PTRACE_TRACEME as a 32-bit syscall (int 0x80, number 26, which
 *                                    is msync for 64-bit calls); prints the result; x86_64 only
 *   dgtool sendto ADDR PORT          one unconnected UDP datagram (sendmsg path); exit 0, or 2 on EPERM
 *   dgtool connect-loop ADDR PORT N  N TCP connects (RST on close); prints mean wall and CPU ns
 *   dgtool exec-loop PATH N          N fork+execve of PATH; prints mean wall and CPU ns
 *   dgtool listen ADDR PORT          accepts and closes TCP connections until killed
 *   dgtool memfd-exec PATH ARGV0 ARG...    copies PATH into a memfd and fexecve()s it as ARGV0 ARG...
 *   dgtool unlinked-exec PATH COPY ARGV0 ARG...  copies PATH to COPY, opens it, unlinks it and
 *                                    fexecve()s the open file; exit 126 when a step fails
 */
#define _GNU_SOURCE /* memfd_create */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static socklen_t parse_addr(const char *text, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, text, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
	fprintf(stderr, "bad address %s\n", text);
	exit(64);
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CPU time (user + system) of this process and its waited-for children: less sensitive than wall
 * time to other load on the machine. */
static long long cpu_ns(void)
{
	struct rusage self, children;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	long long us = 0;
	struct rusage *all[] = { &self, &children };
	for (int i = 0; i < 2; i++)
		us += (all[i]->ru_utime.tv_sec + all[i]->ru_stime.tv_sec) * 1000000LL + all[i]->ru_utime.tv_usec + all[i]->ru_stime.tv_usec;
	return us * 1000;
}

static int do_sendto(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (sendto(fd, "dg", 2, 0, (struct sockaddr *)&ss, len) < 0) {
		printf("sendto: %s\n", strerror(errno));
		return errno == EPERM ? 2 : 1;
	}
	printf("sendto: ok\n");
	return 0;
}

static int connect_loop(const char *addr, int port, int n)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	struct linger rst = { .l_onoff = 1, .l_linger = 0 };
	long long start = now_ns(), cpu_start = cpu_ns();
	for (int i = 0; i < n; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
			printf("connect %d: %s\n", i, strerror(errno));
			return 1;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
		close(fd);
	}
	printf("connects %d mean_ns %lld cpu_ns %lld\n", n, (now_ns() - start) / n, (cpu_ns() - cpu_start) / n);
	return 0;
}

static int exec_loop(const char *path, int n)
{
	long long start = now_ns(), cpu_start = cpu_ns();
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execl(path, path, (char *)NULL);
			_exit(127);
		}
		int status;
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("exec %d of %s failed: status %d\n", i, path, status);
			return 1;
		}
	}
	printf("execs %d mean_ns %lld cpu_ns %lld\n", n, (now_ns() - start) / n, (cpu_ns() - cpu_start) / n);
	return 0;
}

static int listen_loop(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 1024) < 0) {
		perror("bind/listen");
		return 1;
	}
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

/* Copies the file at path to fd (a memfd or a new file); 0 on success. */
static int copy_into(const char *path, int fd)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (in < 0 || fstat(in, &st) != 0) {
		perror(path);
		return -1;
	}
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(fd, in, NULL, st.st_size - done);
		if (n <= 0) {
			perror("sendfile");
			return -1;
		}
		done += n;
	}
	close(in);
	return 0;
}

static int memfd_exec(const char *path, char **argv)
{
	int fd = memfd_create("dgtool", MFD_CLOEXEC);
	if (fd < 0 || copy_into(path, fd) != 0)
		return 126;
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	fexecve(fd, argv, env);
	perror("fexecve");
	return 126;
}

static int unlinked_exec(const char *path, const char *copy, char **argv)
{
	int fd = open(copy, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || copy_into(path, fd) != 0)
		return 126;
	close(fd);
	fd = open(copy, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || unlink(copy) != 0) {
		perror(copy);
		return 126;
	}
	char *env[] = { "PATH=/usr/bin:/bin", NULL };
	fexecve(fd, argv, env);
	perror("fexecve");
	return 126;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "memfd-exec"))
		return memfd_exec(argv[2], argv + 3);
	if (argc >= 5 && !strcmp(argv[1], "unlinked-exec"))
		return unlinked_exec(argv[2], argv[3], argv + 4);
	if (argc == 2 && !strcmp(argv[1], "ptrace")) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		printf("ptrace: %ld\n", r);
		return r == 0 ? 0 : 1;
	}
#ifdef __x86_64__
	if (argc == 2 && !strcmp(argv[1], "ptrace32")) {
		long r = 26; /* __NR_ptrace of the i386 table */
		__asm__ volatile("int $0x80" : "+a"(r) : "b"(0), "c"(0), "d"(0), "S"(0) : "memory");
		printf("ptrace32: %ld\n", r);
		return 0;
	}
#endif
	if (argc == 4 && !strcmp(argv[1], "sendto"))
		return do_sendto(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "connect-loop"))
		return connect_loop(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "exec-loop"))
		return exec_loop(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "listen"))
		return listen_loop(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: dgtool ptrace | sendto ADDR PORT | connect-loop ADDR PORT N | exec-loop PATH N | listen ADDR PORT"
		" | memfd-exec PATH ARGV0 ARG... | unlinked-exec PATH COPY ARGV0 ARG...\n");
	return 64;
}
