/*
 * driftguard-protect PID protect|release PATH...
 *
 * Makes PATHs read-only (protect) or writable again (release) inside the mount namespace of
 * process PID, for driftguard's protected paths. The daemon is a multithreaded JVM, which
 * setns(2) refuses for mount namespaces, hence this single-threaded helper. It runs no other
 * program, so nothing inside the container is ever executed with the daemon's privileges.
 *
 * protect: a recursive bind of PATH onto itself, made read-only recursively with mount_setattr,
 * attached in one step (open_tree + move_mount) so the path is never half protected.
 * release:  detaches the topmost mount at PATH (the one protect added).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
/* Syscall numbers of the generic table, the same on x86_64 and aarch64. */
#define NR_open_tree 428
#define NR_move_mount 429
#define NR_mount_setattr 442

struct dg_mount_attr { uint64_t attr_set, attr_clr, propagation, userns_fd; };

static int valid_path(const char *p) {
    if (p[0] != '/' || strcmp(p, "/") == 0 || strstr(p, "/../") || strstr(p, "//") || strstr(p, "/./")) return 0;
    size_t n = strlen(p);
    return !(n >= 3 && strcmp(p + n - 3, "/..") == 0) && !(n >= 2 && strcmp(p + n - 2, "/.") == 0);
}

static int protect(const char *path) {
    int tree = (int) syscall(NR_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | AT_RECURSIVE | O_CLOEXEC);
    if (tree < 0) { fprintf(stderr, "open_tree(%s): %s\n", path, strerror(errno)); return 1; }
    struct dg_mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
    if (syscall(NR_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
        fprintf(stderr, "mount_setattr(%s, read-only): %s\n", path, strerror(errno)); return 1;
    }
    if (syscall(NR_move_mount, tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
        fprintf(stderr, "move_mount(%s): %s\n", path, strerror(errno)); return 1;
    }
    close(tree);
    return 0;
}

static int release(const char *path) {
    if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) != 0) {
        fprintf(stderr, "umount2(%s): %s\n", path, strerror(errno)); return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4 || (strcmp(argv[2], "protect") != 0 && strcmp(argv[2], "release") != 0)) {
        fprintf(stderr, "usage: driftguard-protect PID protect|release PATH...\n");
        return 2;
    }
    char *end;
    long pid = strtol(argv[1], &end, 10);
    if (*end != '\0' || pid <= 1) { fprintf(stderr, "bad pid '%s'\n", argv[1]); return 2; }
    for (int i = 3; i < argc; i++) {
        if (!valid_path(argv[i])) { fprintf(stderr, "refusing path '%s'\n", argv[i]); return 2; }
    }
    char ns[64];
    snprintf(ns, sizeof ns, "/proc/%ld/ns/mnt", pid);
    int fd = open(ns, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { fprintf(stderr, "open(%s): %s\n", ns, strerror(errno)); return 1; }
    if (setns(fd, CLONE_NEWNS) != 0) { fprintf(stderr, "setns(%s): %s\n", ns, strerror(errno)); return 1; }
    close(fd);
    if (chdir("/") != 0) { fprintf(stderr, "chdir(/): %s\n", strerror(errno)); return 1; }
    int failed = 0;
    for (int i = 3; i < argc; i++) {
        failed |= strcmp(argv[2], "protect") == 0 ? protect(argv[i]) : release(argv[i]);
    }
    return failed;
}
