/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structs and constants shared by the BPF programs and the daemon. Their Java twin is
 * io.driftguard.daemon.bpf.DriftguardH; StructLayoutTest compares it with the BTF of the
 * compiled object, so change both sides together.
 */
#ifndef DRIFTGUARD_H
#define DRIFTGUARD_H

#define DG_MAX_NET_RULES 64   /* one bit per network rule of a container */
#define DG_SYSCALL_WORDS 8    /* 8 x 64 bits: syscall numbers 0..511 */
#define DG_NAME_LEN 32        /* invoked names, NUL included */
#define DG_PATH_LEN 128       /* exec file name in events, NUL included */
#define DG_COMM_LEN 16        /* TASK_COMM_LEN */
#define DG_MAX_DEVS 16        /* superblocks a container's executables may come from */
#define DG_ID_LEN 64          /* a Docker container id: 64 hex digits */

enum dg_event_kind {
	DG_EVENT_NETWORK = 1,
	DG_EVENT_SYSCALL = 2,
	DG_EVENT_EXEC = 3,
	DG_EVENT_DRIFT = 4, /* an exec that cannot be an image file, under [policy.drift] */
};

/* How an exec was recognised (dg_event.how); Java twin: bpf.ExecMethod. */
enum dg_how {
	DG_HOW_FILE_NAME = 1,      /* the base name of the file given to execve */
	DG_HOW_ARGV0 = 2,          /* the base name of argv[0] (exec -a) */
	DG_HOW_BUSYBOX_APPLET = 3, /* argv[1] of busybox ("busybox sh", "busybox.x sh") */
	DG_HOW_LOADER_ARG = 4,     /* argv[1] of the dynamic loader run as a program */
	DG_HOW_MEMFD = 5,          /* drift: the file is a memfd */
	DG_HOW_DELETED = 6,        /* drift: the file has no name left (unlinked) */
	DG_HOW_LOADER = 7,         /* drift: the dynamic loader run as a program */
	DG_HOW_NEW_MOUNT = 8,      /* drift: the file lies on a file system the container did not have */
};

enum dg_verdict {
	DG_VERDICT_ALERT = 1,   /* reported, nothing stopped */
	DG_VERDICT_ENFORCE = 2, /* connect/sendmsg failed with EPERM, or the caller got SIGKILL */
	DG_VERDICT_HOLD = 3,    /* the caller got SIGSTOP: the daemon decides (a container it did not know yet) */
};

/*
 * Per container (key: cgroup v2 id): what its rules need on the hot path. Also the value of
 * dg_templates (key: container id), copied to its cgroup id when the cgroup is made.
 */
struct dg_container {
	__u64 rules_id;      /* key of the container's dg_names entries */
	__u32 drift_verdict; /* 0: no drift rule; else enum dg_verdict for drift kills */
	__u32 dev_count;     /* entries of devs in use; 0: file systems not checked */
	__u32 devs[DG_MAX_DEVS]; /* kernel dev_t of each superblock the container's files come from */
	__u32 selected;      /* template: 1 when a policy selects the container, 0 known but not selected */
	__u32 pad;           /* zero */
	__u64 net_enforce;   /* network rules that block (bit i = rule i) */
	__u64 net_any_port;  /* network rules without ports */
	__u64 net_any_proto; /* network rules without protocols */
	__u64 net_tcp;       /* network rules naming tcp */
	__u64 net_udp;       /* network rules naming udp */
	__u64 syscall_kill[DG_SYSCALL_WORDS];  /* bit n = syscall n kills the caller */
	__u64 syscall_alert[DG_SYSCALL_WORDS]; /* bit n = syscall n is reported */
	__u64 net_allow;     /* network rules that allow: a match lets the call through, whatever else matches */
};

/*
 * LPM trie keys: the cgroup id is part of the matched data, so one trie serves every container;
 * prefixlen = 64 + CIDR prefix. Bytes, not __u64, so that no padding enters the matched data.
 * Value: __u64 mask of the rules whose CIDRs contain this prefix and none of whose except CIDRs
 * does (Java stores every except CIDR as a prefix too, so the longest match is exact).
 */
struct dg_lpm4_key {
	__u32 prefixlen;
	__u8 cgroup_id[8]; /* native byte order */
	__u8 addr[4];      /* network byte order */
};

struct dg_lpm6_key {
	__u32 prefixlen;
	__u8 cgroup_id[8];
	__u8 addr[16];
};

/* Value: __u64 mask of the rules naming this port. */
struct dg_port_key {
	__u64 cgroup_id;
	__u16 port;   /* host byte order */
	__u16 pad[3]; /* zero: part of the hash key */
};

struct dg_name_key {
	__u64 rules_id;   /* dg_container.rules_id */
	char name[DG_NAME_LEN]; /* NUL-padded */
};

struct dg_name_value {
	enum dg_verdict verdict;
	__u32 rule;    /* index of the process rule in the container's list */
};

/* Key of dg_templates: a container id as Docker writes it, in lower-case hex. */
struct dg_template_key {
	char id[DG_ID_LEN];
};

/* The one record type of the ring buffer. Fields that do not apply to a kind are zero. */
struct dg_event {
	__u64 cgroup_id;
	__u64 rules_id;   /* exec, drift: the container's dg_container.rules_id */
	__u64 rules;      /* network: mask of the deciding rules */
	enum dg_event_kind kind;
	enum dg_verdict verdict;
	__u32 pid;        /* thread group id */
	__u32 tid;
	__u32 uid;
	__u32 syscall_nr; /* syscall */
	__u32 name_rule;  /* exec: rule index */
	enum dg_how how;  /* exec, drift */
	__u32 pad;        /* zero */
	__u16 port;       /* network: destination, host byte order */
	__u8 family;      /* network: AF_INET or AF_INET6 */
	__u8 protocol;    /* network: IPPROTO_TCP, IPPROTO_UDP, ... */
	__u8 addr[16];    /* network: destination, network byte order; IPv4 in the first 4 */
	char comm[DG_COMM_LEN];
	char name[DG_NAME_LEN]; /* exec: the name that matched; drift: the file's own name */
	char path[DG_PATH_LEN]; /* exec: the file name given to execve, left-aligned; network, syscall:
				 * the executable's path, right-aligned (leading NULs) */
};

#endif
