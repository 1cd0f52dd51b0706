/*
 * driftguard-runtime: the OCI runtime Docker is given in daemon.json (runtimes, default-runtime).
 * It wraps runc so that driftguard attaches to a container before the container's first exec:
 *
 *   driftguard-runtime --driftguard-runc=PATH --driftguard-socket=PATH [--driftguard-fail=closed|open]
 *                      [--driftguard-timeout=MS] RUNC-ARGS...
 *     `create`: adds a createRuntime hook (this same binary, as driftguard-hook) to the bundle's
 *     config.json, beside the hooks already there, then execs runc with RUNC-ARGS unchanged.
 *     Every other subcommand (start, exec, kill, delete, state ...) execs runc at once.
 *
 *   driftguard-hook --socket=PATH --fail=closed|open --timeout=MS   (run by runc, state JSON on stdin)
 *     hands the state (id, pid, bundle) to the daemon's hook socket and waits until the daemon
 *     answers that enforcement is attached or that no policy selects the container. When the
 *     daemon does not answer in time (down, slow) or cannot attach, `fail` decides: closed refuses
 *     the start (exit 1: runc fails the create), open lets it start. Every such fallback is written
 *     to syslog and as a record in PATH.fallbacks/, which the daemon turns into an event.
 *
 * Small and C because it runs on every container start (a JVM would add a second); it parses only
 * the JSON members it needs, with a validating skipper, and refuses what it cannot read safely.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONFIG (64 << 20)
#define MAX_STATE (1 << 20)
#define MAX_DEPTH 128
#define HOOK_MAX 8192

/* ---- JSON: a validating skipper over a byte span (RFC 8259), enough to find members. ---- */

struct cur { const char *p, *end; int depth; };

static void ws(struct cur *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

/* A string at c->p; [*s, *e) is its raw content between the quotes. */
static int skip_string(struct cur *c, const char **s, const char **e) {
    if (c->p >= c->end || *c->p != '"') return -1;
    c->p++;
    *s = c->p;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char) *c->p;
        if (ch == '"') { *e = c->p; c->p++; return 0; }
        if (ch < 0x20) return -1;
        if (ch == '\\') {
            c->p++;
            if (c->p >= c->end) return -1;
            if (*c->p == 'u') {
                for (int i = 1; i <= 4; i++) {
                    if (c->p + i >= c->end || !strchr("0123456789abcdefABCDEF", c->p[i]) || c->p[i] == 0) return -1;
                }
                c->p += 4;
            } else if (!strchr("\"\\/bfnrt", *c->p) || *c->p == 0) {
                return -1;
            }
        }
        c->p++;
    }
    return -1;
}

static int digits(struct cur *c) {
    const char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') c->p++;
    return c->p > start ? 0 : -1;
}

static int skip_number(struct cur *c) {
    if (c->p < c->end && *c->p == '-') c->p++;
    if (c->p < c->end && *c->p == '0') c->p++;
    else if (digits(c)) return -1;
    if (c->p < c->end && *c->p == '.') { c->p++; if (digits(c)) return -1; }
    if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
        c->p++;
        if (c->p < c->end && (*c->p == '+' || *c->p == '-')) c->p++;
        if (digits(c)) return -1;
    }
    return 0;
}

static int skip_value(struct cur *c);

/* Calls member(key span, value start) for each member of the object at c->p; stops on error. */
typedef int (*member_fn)(void *ctx, const char *ks, const char *ke, struct cur *c);

static int each_member(struct cur *c, member_fn member, void *ctx) {
    if (c->p >= c->end || *c->p != '{' || ++c->depth > MAX_DEPTH) return -1;
    c->p++;
    ws(c);
    if (c->p < c->end && *c->p == '}') { c->p++; c->depth--; return 0; }
    for (;;) {
        const char *ks, *ke;
        ws(c);
        if (skip_string(c, &ks, &ke)) return -1;
        ws(c);
        if (c->p >= c->end || *c->p != ':') return -1;
        c->p++;
        ws(c);
        if (member ? member(ctx, ks, ke, c) : skip_value(c)) return -1;
        ws(c);
        if (c->p < c->end && *c->p == ',') { c->p++; continue; }
        if (c->p < c->end && *c->p == '}') { c->p++; c->depth--; return 0; }
        return -1;
    }
}

static int skip_value(struct cur *c) {
    const char *s, *e;
    if (c->p >= c->end) return -1;
    switch (*c->p) {
    case '{':
        return each_member(c, NULL, NULL);
    case '[':
        if (++c->depth > MAX_DEPTH) return -1;
        c->p++;
        ws(c);
        if (c->p < c->end && *c->p == ']') { c->p++; c->depth--; return 0; }
        for (;;) {
            ws(c);
            if (skip_value(c)) return -1;
            ws(c);
            if (c->p < c->end && *c->p == ',') { c->p++; continue; }
            if (c->p < c->end && *c->p == ']') { c->p++; c->depth--; return 0; }
            return -1;
        }
    case '"':
        return skip_string(c, &s, &e);
    case 't':
        if (c->end - c->p >= 4 && !memcmp(c->p, "true", 4)) { c->p += 4; return 0; }
        return -1;
    case 'f':
        if (c->end - c->p >= 5 && !memcmp(c->p, "false", 5)) { c->p += 5; return 0; }
        return -1;
    case 'n':
        if (c->end - c->p >= 4 && !memcmp(c->p, "null", 4)) { c->p += 4; return 0; }
        return -1;
    default:
        return skip_number(c);
    }
}

/*
 * Go's encoding/json (runc's reader) matches member names case-insensitively, with Unicode
 * folding, and decodes escapes: a name that is not plain ASCII, or matches `want` only so, is
 * refused rather than guessed at. Returns 1 for the member, 0 for another one, -1 to refuse.
 */
static int key_is(const char *ks, const char *ke, const char *want) {
    size_t n = (size_t) (ke - ks);
    for (const char *k = ks; k < ke; k++) {
        if (*k == '\\' || (unsigned char) *k >= 0x80) return -1;
    }
    if (n != strlen(want) || strncasecmp(ks, want, n)) return 0;
    return memcmp(ks, want, n) ? -1 : 1;
}

/* One member found in an object: where its value starts and ends, and how often it was seen. */
struct found { const char *want, *vs, *ve; int count; };

static int find_member(void *ctx, const char *ks, const char *ke, struct cur *c) {
    struct found *f = ctx;
    int is = key_is(ks, ke, f->want);
    if (is < 0) return -1;
    const char *vs = c->p;
    if (skip_value(c)) return -1;
    if (is) { f->vs = vs; f->ve = c->p; f->count++; }
    return 0;
}

/* The whole span must be one object; finds `want` in it (f->count 0 when absent, >1 refused). */
static int object_member(const char *s, const char *e, const char *want, struct found *f, int *empty) {
    struct cur c = { s, e, 0 };
    memset(f, 0, sizeof *f);
    f->want = want;
    ws(&c);
    const char *open = c.p;
    if (each_member(&c, find_member, f)) return -1;
    ws(&c);
    if (c.p != e || f->count > 1) return -1;
    struct cur inner = { open + 1, e, 0 };
    ws(&inner);
    *empty = *inner.p == '}';
    return 0;
}

/* ---- small helpers ---- */

static void logmsg(int priority, const char *fmt, ...) {
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "driftguard: %s\n", text);
    openlog("driftguard-runtime", LOG_PID, LOG_DAEMON);
    syslog(priority, "%s", text);
    closelog();
}

static int read_all(int fd, char **out, size_t *len, size_t max) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) return -1;
    for (;;) {
        if (n == cap) {
            if (cap >= max) { free(buf); errno = EFBIG; return -1; }
            cap *= 2;
            char *more = realloc(buf, cap + 1);
            if (!more) { free(buf); return -1; }
            buf = more;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { free(buf); return -1; }
        if (r == 0) break;
        n += (size_t) r;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

/* Appends s as a JSON string (quoted, escaped) to buf of size cap; -1 when it does not fit. */
static int json_string(char *buf, size_t cap, size_t *at, const char *s) {
    char one[8];
    if (*at + 1 >= cap) return -1;
    buf[(*at)++] = '"';
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        if (*p == '"' || *p == '\\') snprintf(one, sizeof one, "\\%c", *p);
        else if (*p < 0x20) snprintf(one, sizeof one, "\\u%04x", *p);
        else { one[0] = (char) *p; one[1] = 0; }
        size_t n = strlen(one);
        if (*at + n + 1 >= cap) return -1;
        memcpy(buf + *at, one, n);
        *at += n;
    }
    buf[(*at)++] = '"';
    buf[*at] = 0;
    return 0;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the wrapper: create gets the hook ---- */

static void record_fallback(const char *path, const char *id, const char *fail, const char *reason);

struct settings { const char *runc, *socket, *fail; long timeout_ms; };

/* runc's global options that take a value as the next argument. */
static int takes_value(const char *arg) {
    static const char *with_value[] = { "--log", "--log-format", "--root", "--criu", "--rootless", NULL };
    for (int i = 0; with_value[i]; i++) {
        if (!strcmp(arg, with_value[i])) return 1;
    }
    return 0;
}

/* The hook entry this wrapper adds, as JSON. */
static int hook_entry(const struct settings *s, char *buf, size_t cap) {
    char self[PATH_MAX], arg[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return -1;
    self[n] = 0;
    size_t at = 0;
    at += (size_t) snprintf(buf, cap, "{\"path\":");
    if (json_string(buf, cap, &at, self)) return -1;
    at += (size_t) snprintf(buf + at, cap - at, ",\"args\":[\"driftguard-hook\",");
    snprintf(arg, sizeof arg, "--socket=%s", s->socket);
    if (at >= cap || json_string(buf, cap, &at, arg)) return -1;
    snprintf(arg, sizeof arg, "--fail=%s", s->fail);
    if (at + 1 >= cap) return -1;
    buf[at++] = ',';
    if (json_string(buf, cap, &at, arg)) return -1;
    int w = snprintf(buf + at, cap - at, ",\"--timeout=%ld\"],\"timeout\":%ld}", s->timeout_ms, s->timeout_ms / 1000 + 5);
    return w < 0 || (size_t) w >= cap - at ? -1 : 0;
}

/* config.json with the hook spliced in; the caller frees *out. */
static int with_hook(const char *json, size_t len, const char *hook, char **out, size_t *out_len) {
    const char *s = json, *e = json + len, *at;
    const char *insert_before, *insert_after; /* the splice replaces [insert_before, insert_after) */
    char piece[HOOK_MAX + 64];
    struct found hooks, runtime;
    int empty;
    if (strstr(json, hook)) { *out = NULL; return 0; } /* already there (a retried create) */
    if (object_member(s, e, "hooks", &hooks, &empty)) return -1;
    if (hooks.count == 0) {
        at = memchr(s, '{', len) + 1;
        snprintf(piece, sizeof piece, "\"hooks\":{\"createRuntime\":[%s]}%s", hook, empty ? "" : ",");
        insert_before = insert_after = at;
    } else if (hooks.ve - hooks.vs == 4 && !memcmp(hooks.vs, "null", 4)) {
        snprintf(piece, sizeof piece, "{\"createRuntime\":[%s]}", hook);
        insert_before = hooks.vs;
        insert_after = hooks.ve;
    } else {
        if (*hooks.vs != '{' || object_member(hooks.vs, hooks.ve, "createRuntime", &runtime, &empty)) return -1;
        if (runtime.count == 0) {
            snprintf(piece, sizeof piece, "\"createRuntime\":[%s]%s", hook, empty ? "" : ",");
            insert_before = insert_after = hooks.vs + 1;
        } else if (runtime.ve - runtime.vs == 4 && !memcmp(runtime.vs, "null", 4)) {
            snprintf(piece, sizeof piece, "[%s]", hook);
            insert_before = runtime.vs;
            insert_after = runtime.ve;
        } else if (*runtime.vs == '[') {
            struct cur c = { runtime.vs + 1, runtime.ve, 0 };
            ws(&c);
            snprintf(piece, sizeof piece, "%s%s", hook, *c.p == ']' ? "" : ",");
            insert_before = insert_after = runtime.vs + 1;
        } else {
            return -1;
        }
    }
    size_t plen = strlen(piece);
    size_t head = (size_t) (insert_before - s), tail = (size_t) (e - insert_after);
    *out = malloc(head + plen + tail + 1);
    if (!*out) return -1;
    memcpy(*out, s, head);
    memcpy(*out + head, piece, plen);
    memcpy(*out + head + plen, insert_after, tail);
    *out_len = head + plen + tail;
    (*out)[*out_len] = 0;
    return 0;
}

/* Rewrites BUNDLE/config.json with the hook, by rename, keeping its mode. */
static int add_hook(const char *bundle, const struct settings *s, char *why, size_t why_len) {
    char path[PATH_MAX], temp[PATH_MAX], hook[HOOK_MAX];
    char *json = NULL, *patched = NULL;
    size_t len, patched_len;
    struct stat st;
    int rc = -1, fd = -1, out = -1;
    if (snprintf(path, sizeof path, "%s/config.json", bundle) >= (int) sizeof path
            || snprintf(temp, sizeof temp, "%s/.config.json.driftguard-XXXXXX", bundle) >= (int) sizeof temp) {
        snprintf(why, why_len, "bundle path too long");
        return -1;
    }
    if (hook_entry(s, hook, sizeof hook)) { snprintf(why, why_len, "cannot write the hook entry"); return -1; }
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) || read_all(fd, &json, &len, MAX_CONFIG)) {
        snprintf(why, why_len, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    if (memchr(json, 0, len) || with_hook(json, len, hook, &patched, &patched_len)) {
        snprintf(why, why_len, "%s is not JSON this wrapper can safely add a hook to", path);
        goto done;
    }
    if (!patched) { rc = 0; goto done; }
    out = mkstemp(temp);
    if (out < 0) { snprintf(why, why_len, "cannot create %s: %s", temp, strerror(errno)); goto done; }
    size_t written = 0;
    while (written < patched_len) {
        ssize_t w = write(out, patched + written, patched_len - written);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        written += (size_t) w;
    }
    if (written != patched_len || fchmod(out, st.st_mode & 07777) || close(out) || rename(temp, path)) {
        out = -1;
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
        unlink(temp);
        goto done;
    }
    out = -1;
    rc = 0;
done:
    if (fd >= 0) close(fd);
    if (out >= 0) { close(out); unlink(temp); }
    free(json);
    free(patched);
    return rc;
}

static int runtime_main(int argc, char **argv) {
    struct settings s = { NULL, NULL, "closed", 5000 };
    if (argc == 2 && !strcmp(argv[1], "--help")) {
        puts("Usage: driftguard-runtime --driftguard-runc=PATH [--driftguard-socket=PATH]\n"
             "         [--driftguard-fail=closed|open] [--driftguard-timeout=MS] RUNC-ARGUMENTS...\n"
             "Docker's runtime, registered by `driftguard docker setup`: adds driftguard's createRuntime\n"
             "hook on create, then runs runc. See driftguard-runtime(8).");
        return 0;
    }
    int first = 1;
    for (; first < argc && !strncmp(argv[first], "--driftguard-", 13); first++) {
        const char *a = argv[first];
        if (!strncmp(a, "--driftguard-runc=", 18)) s.runc = a + 18;
        else if (!strncmp(a, "--driftguard-socket=", 20)) s.socket = a + 20;
        else if (!strncmp(a, "--driftguard-fail=", 18)) s.fail = a + 18;
        else if (!strncmp(a, "--driftguard-timeout=", 21)) s.timeout_ms = strtol(a + 21, NULL, 10);
        else { logmsg(LOG_ERR, "unknown option %s", a); return 1; }
    }
    if (!s.runc || s.runc[0] != '/') { logmsg(LOG_ERR, "--driftguard-runc=ABSOLUTE-PATH is required"); return 1; }
    if (strcmp(s.fail, "closed") && strcmp(s.fail, "open")) { logmsg(LOG_ERR, "--driftguard-fail must be closed or open"); return 1; }
    if (s.timeout_ms < 1 || s.timeout_ms > 600000) { logmsg(LOG_ERR, "--driftguard-timeout must be 1 to 600000 ms"); return 1; }

    /* runc's argv: runc, then every argument after ours, unchanged. */
    char **args = calloc((size_t) (argc - first + 2), sizeof *args);
    if (!args) return 1;
    args[0] = (char *) s.runc;
    for (int i = first; i < argc; i++) args[i - first + 1] = argv[i];

    int command = first;
    while (command < argc && argv[command][0] == '-') command += takes_value(argv[command]) ? 2 : 1;
    if (s.socket && command < argc && !strcmp(argv[command], "create")) {
        const char *bundle = ".";
        for (int i = command + 1; i < argc; i++) {
            if ((!strcmp(argv[i], "--bundle") || !strcmp(argv[i], "-b")) && i + 1 < argc) bundle = argv[++i];
            else if (!strncmp(argv[i], "--bundle=", 9)) bundle = argv[i] + 9;
            else if (!strncmp(argv[i], "-b=", 3)) bundle = argv[i] + 3;
        }
        char why[PATH_MAX + 128];
        if (add_hook(bundle, &s, why, sizeof why)) {
            /* runc create's last argument is the container id (containerd's runc client puts it there). */
            record_fallback(s.socket, argv[argc - 1], s.fail, why);
            if (!strcmp(s.fail, "closed")) {
                logmsg(LOG_ERR, "refusing to create the container (fail = closed): %s", why);
                return 1;
            }
            logmsg(LOG_WARNING, "creating the container without driftguard's hook (fail = open): %s", why);
        }
    }
    execv(s.runc, args);
    logmsg(LOG_ERR, "cannot run %s: %s", s.runc, strerror(errno));
    return 127;
}

/* ---- the hook ---- */

/* The container id from the state, checked to be a name a file can have; empty when absent. */
struct id_ctx { char id[129]; };

static int state_member(void *ctx, const char *ks, const char *ke, struct cur *c) {
    struct id_ctx *state = ctx;
    int is = key_is(ks, ke, "id");
    const char *vs, *ve;
    if (is == 1 && *c->p == '"') {
        if (skip_string(c, &vs, &ve)) return -1;
        size_t n = (size_t) (ve - vs);
        if (n == 0 || n >= sizeof state->id) return -1;
        for (const char *p = vs; p < ve; p++) {
            if (!strchr("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.-", *p) || *p == 0) return -1;
        }
        memcpy(state->id, vs, n);
        state->id[n] = 0;
        return 0;
    }
    return is < 0 ? -1 : skip_value(c);
}

/* A record of the fallback in SOCKET.fallbacks/ for the daemon, 0600 in a 0700 folder. */
static void record_fallback(const char *path, const char *id, const char *fail, const char *reason) {
    char dir[PATH_MAX], file[PATH_MAX], line[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (snprintf(dir, sizeof dir, "%s", path) >= (int) sizeof dir) return;
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) { *slash = 0; mkdir(dir, 0700); } /* the daemon's folder, if it never ran */
    if (snprintf(dir, sizeof dir, "%s.fallbacks", path) >= (int) sizeof dir) return;
    if (mkdir(dir, 0700) && errno != EEXIST) return;
    if (snprintf(file, sizeof file, "%s/%lld.%09ld.%d", dir, (long long) ts.tv_sec, ts.tv_nsec, (int) getpid()) >= (int) sizeof file) return;
    size_t at = (size_t) snprintf(line, sizeof line, "{\"time_ms\":%lld,\"id\":", (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    if (json_string(line, sizeof line, &at, id) || at + 10 >= sizeof line) return;
    at += (size_t) snprintf(line + at, sizeof line - at, ",\"fail\":");
    if (json_string(line, sizeof line, &at, fail) || at + 12 >= sizeof line) return;
    at += (size_t) snprintf(line + at, sizeof line - at, ",\"reason\":");
    if (json_string(line, sizeof line, &at, reason) || at + 3 >= sizeof line) return;
    line[at++] = '}';
    line[at++] = '\n';
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (write(fd, line, at) != (ssize_t) at) unlink(file);
    close(fd);
}

/* Waits for fd to be ready for `events` until `deadline`; 0 when ready. */
static int wait_fd(int fd, short events, long long deadline) {
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) return -1;
        struct pollfd p = { fd, events, 0 };
        int r = poll(&p, 1, (int) left);
        if (r > 0) return 0;
        if (r < 0 && errno != EINTR) return -1;
    }
}

/* Puts the state to the daemon; fills `answer` with its reply line. 0 on a reply, else why not in `why`. */
static int ask_daemon(const char *path, const char *state, size_t state_len, int retry, long long deadline,
                      char *answer, size_t answer_len, char *why, size_t why_len) {
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) { snprintf(why, why_len, "socket path too long"); return -1; }
    strcpy(addr.sun_path, path);
    int fd = -1;
    for (;;) {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) { snprintf(why, why_len, "socket: %s", strerror(errno)); return -1; }
        if (connect(fd, (struct sockaddr *) &addr, sizeof addr) == 0) break;
        int err = errno;
        close(fd);
        /* A daemon that restarts comes back within the timeout; EAGAIN: its backlog is full. */
        if ((err == EAGAIN || ((err == ENOENT || err == ECONNREFUSED) && retry)) && now_ms() + 50 < deadline) {
            usleep(50000);
            continue;
        }
        snprintf(why, why_len, "the daemon does not answer on %s (%s)", path, strerror(err));
        return -1;
    }
    size_t sent = 0;
    while (sent < state_len) {
        if (wait_fd(fd, POLLOUT, deadline)) { snprintf(why, why_len, "timed out sending to %s", path); close(fd); return -1; }
        ssize_t w = send(fd, state + sent, state_len - sent, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (w < 0) { snprintf(why, why_len, "sending to %s: %s", path, strerror(errno)); close(fd); return -1; }
        sent += (size_t) w;
    }
    shutdown(fd, SHUT_WR);
    size_t got = 0;
    while (got + 1 < answer_len && !memchr(answer, '\n', got)) {
        if (wait_fd(fd, POLLIN, deadline)) {
            snprintf(why, why_len, "the daemon did not answer within the timeout");
            close(fd);
            return -1;
        }
        ssize_t r = read(fd, answer + got, answer_len - 1 - got);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r <= 0) break;
        got += (size_t) r;
        answer[got] = 0;
    }
    close(fd);
    answer[got] = 0;
    char *nl = strchr(answer, '\n');
    if (!nl) { snprintf(why, why_len, "the daemon closed the connection without an answer"); return -1; }
    *nl = 0;
    return 0;
}

static int hook_main(int argc, char **argv) {
    const char *socket_path = NULL, *fail = "closed";
    long timeout_ms = 5000;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--socket=", 9)) socket_path = argv[i] + 9;
        else if (!strncmp(argv[i], "--fail=", 7)) fail = argv[i] + 7;
        else if (!strncmp(argv[i], "--timeout=", 10)) timeout_ms = strtol(argv[i] + 10, NULL, 10);
    }
    int closed = strcmp(fail, "open") != 0;
    long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 5000);
    char *state = NULL, answer[1024] = "", why[PATH_MAX + 256] = "";
    size_t len = 0;
    struct id_ctx id = { "" };
    if (!socket_path) {
        snprintf(why, sizeof why, "the hook has no --socket");
    } else if (read_all(0, &state, &len, MAX_STATE)) {
        snprintf(why, sizeof why, "cannot read the container state on stdin: %s", strerror(errno));
    } else {
        struct cur c = { state, state + len, 0 };
        ws(&c);
        if (memchr(state, 0, len) || each_member(&c, state_member, &id) || !id.id[0]) {
            snprintf(why, sizeof why, "the container state on stdin is not the JSON runc sends");
        } else if (ask_daemon(socket_path, state, len, closed, deadline, answer, sizeof answer, why, sizeof why) == 0) {
            if (!strcmp(answer, "attached") || !strcmp(answer, "not-selected")) {
                free(state);
                return 0;
            }
            snprintf(why, sizeof why, "%.900s", answer);
        }
    }
    free(state);
    const char *shown = id.id[0] ? id.id : "(unknown)";
    record_fallback(socket_path ? socket_path : "/run/driftguard/hook.sock", shown, closed ? "closed" : "open", why);
    if (closed) {
        logmsg(LOG_ERR, "container %s not started (fail = closed): %s", shown, why);
        return 1;
    }
    logmsg(LOG_WARNING, "container %s started without confirmed enforcement (fail = open): %s", shown, why);
    return 0;
}

int main(int argc, char **argv) {
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    return strcmp(name, "driftguard-hook") ? runtime_main(argc, argv) : hook_main(argc, argv);
}
