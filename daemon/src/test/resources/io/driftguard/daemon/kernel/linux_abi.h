/*
 * The headers LibC mirrors, for LinuxAbiTest: it appends a main() that prints every constant,
 * struct size, field offset and field size that LibC declares, and compares them with LibC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

/* Newer than the build's headers (Debian 12: Linux 6.1), defined as the kernel defines them. */
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID AT_REMOVEDIR /* include/uapi/linux/fcntl.h since 6.5 */
#endif
