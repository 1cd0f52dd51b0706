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

enum dg_event_kind {
	DG_EVENT_NETWORK = 1,
	DG_EVENT_SYSCALL = 2,
	DG_EVENT_EXEC = 3,
};

enum dg_verdict {
	DG_VERDICT_ALERT = 1,   /* reported, nothing stopped */
	DG_VERDICT_ENFORCE = 2, /* connect/sendmsg failed with EPERM, or the caller got SIGKILL */
};

/* Per container (key: cgroup v2 id): what its rules need on the hot path. */
struct dg_container {
	__u64 net_enforce;   /* network rules that block (bit i = rule i) */
	__u64 net_any_port;  /* network rules without ports */
	__u64 net_any_proto; /* network rules without protocols */
	__u64 net_tcp;       /* network rules naming tcp */
	__u64 net_udp;       /* network rules naming udp */
	__u64 syscall_kill[DG_SYSCALL_WORDS];  /* bit n = syscall n kills the caller */
	__u64 syscall_alert[DG_SYSCALL_WORDS]; /* bit n = syscall n is reported */
};

/*
 * LPM trie keys: the cgroup id is part of the matched data, so one trie serves every container;
 * prefixlen = 64 + CIDR prefix. Bytes, not __u64, so that no padding enters the matched data.
 * Value: __u64 mask of the rules whose CIDRs contain this prefix.
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
	__u64 cgroup_id;
	char name[DG_NAME_LEN]; /* NUL-padded */
};

struct dg_name_value {
	enum dg_verdict verdict;
	__u32 rule;    /* index of the process rule in the container's list */
};

/* The one record type of the ring buffer. Fields that do not apply to a kind are zero. */
struct dg_event {
	__u64 cgroup_id;
	__u64 rules;      /* network: mask of the deciding rules */
	enum dg_event_kind kind;
	enum dg_verdict verdict;
	__u32 pid;        /* thread group id */
	__u32 tid;
	__u32 uid;
	__u32 syscall_nr; /* syscall */
	__u32 name_rule;  /* exec: rule index */
	__u16 port;       /* network: destination, host byte order */
	__u8 family;      /* network: AF_INET or AF_INET6 */
	__u8 protocol;    /* network: IPPROTO_TCP, IPPROTO_UDP, ... */
	__u8 addr[16];    /* network: destination, network byte order; IPv4 in the first 4 */
	char comm[DG_COMM_LEN];
	char name[DG_NAME_LEN]; /* exec: the name that matched */
	char path[DG_PATH_LEN]; /* exec: the file name given to execve, left-aligned; network, syscall:
				 * the executable's path, right-aligned (leading NULs) */
};

#endif
