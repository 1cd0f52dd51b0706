// SPDX-License-Identifier: GPL-2.0
/*
 * driftguard's kernel side: network rules on each container's cgroup (connect4/6, sendmsg4/6),
 * syscall and invoked-name rules on global tracepoints filtered by the caller's cgroup id, and
 * packet drops for isolated containers. Every finding goes to Java through one ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "driftguard.h"

#define SIGKILL 9
#define SIGSTOP 19
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MAX_CGROUP_DEPTH 16

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct dg_container);
} dg_containers SEC(".maps");

/*
 * Containers Docker knows but has not started yet, by container id: the cgroup_mkdir program
 * copies a selected one's entry to dg_containers as its cgroup is made, before runc can exec
 * anything in it, so the first exec of a container is judged like every later one.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct dg_template_key);
	__type(value, struct dg_container);
} dg_templates SEC(".maps");

/*
 * The rules of a container cgroup made before the daemon knew its container (index 0): every name
 * and drift check of every policy, with verdict DG_VERDICT_HOLD, so that an exec that some policy
 * forbids is stopped until the daemon has looked the container up. Unused while .selected is 0.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dg_container);
} dg_fallback SEC(".maps");

/* Container cgroups made without a template (index 0): Java reports every increase. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dg_untemplated SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dg_lpm4_key);
	__type(value, __u64);
} dg_cidr4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct dg_lpm6_key);
	__type(value, __u64);
} dg_cidr6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct dg_port_key);
	__type(value, __u64);
} dg_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct dg_name_key);
	__type(value, struct dg_name_value);
} dg_names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} dg_events SEC(".maps");

/* Room to build an executable's path right-aligned (see exe_path); per CPU, as programs do not nest per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[2 * DG_PATH_LEN]);
} dg_scratch SEC(".maps");

/* Events that did not fit into dg_events; Java reports every increase. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dg_lost SEC(".maps");

/*
 * Ring buffer records have no map value type, so without this the compiler would leave struct
 * dg_event out of the object's BTF, where the layout test reads it (costs 8 bytes of .bss).
 */
struct dg_event *dg_event_btf_anchor __attribute__((unused));

static __always_inline struct dg_event *reserve_event(__u64 cgroup_id, enum dg_event_kind kind,
						      enum dg_verdict verdict)
{
	struct dg_event *e = bpf_ringbuf_reserve(&dg_events, sizeof(*e), 0);
	if (!e) {
		__u32 zero = 0;
		__u64 *lost = bpf_map_lookup_elem(&dg_lost, &zero);
		if (lost)
			__sync_fetch_and_add(lost, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	e->cgroup_id = cgroup_id;
	e->kind = kind;
	e->verdict = verdict;
	e->pid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/*
 * The caller's executable as a path inside its mount (the container's root for container
 * processes), built from the dentry chain of mm->exe_file and stored right-aligned in
 * path[0..DG_PATH_LEN-1] (Java skips the leading NULs). Done in the kernel because a blocked or
 * killed process may be gone before Java could read /proc/PID/exe. Deeper or longer paths keep
 * their last components only.
 */
static __always_inline void exe_path(char *path)
{
	__u32 zero = 0;
	char *buf = bpf_map_lookup_elem(&dg_scratch, &zero);
	if (!buf)
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct dentry *d = BPF_CORE_READ(task, mm, exe_file, f_path.dentry);
	__builtin_memset(buf, 0, DG_PATH_LEN);
	__u32 end = DG_PATH_LEN - 1; /* buf[end] is the terminating NUL */
	for (int i = 0; i < 16 && d; i++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (parent == d)
			break;
		__u32 len = BPF_CORE_READ(d, d_name.len);
		if (len + 1 > end)
			break;
		__u32 start = end - len;
		bpf_probe_read_kernel(buf + (start & (DG_PATH_LEN - 1)), len & (DG_PATH_LEN - 1), BPF_CORE_READ(d, d_name.name));
		end = start - 1;
		buf[end & (DG_PATH_LEN - 1)] = '/';
		d = parent;
	}
	__builtin_memcpy(path, buf, DG_PATH_LEN);
}

/*
 * The container a cgroup program runs for: the caller's own cgroup, or (when a process moved into
 * a child cgroup of the container) its nearest registered ancestor. Cgroup programs run only for
 * the attached subtree, so this walk costs nothing outside containers.
 */
static __always_inline struct dg_container *container_of_caller(__u64 *cgroup_id)
{
	__u64 id = bpf_get_current_cgroup_id();
	struct dg_container *c = bpf_map_lookup_elem(&dg_containers, &id);
	if (c) {
		*cgroup_id = id;
		return c;
	}
	for (int level = MAX_CGROUP_DEPTH - 1; level >= 0; level--) {
		id = bpf_get_current_ancestor_cgroup_id(level);
		if (!id)
			continue;
		c = bpf_map_lookup_elem(&dg_containers, &id);
		if (c) {
			*cgroup_id = id;
			return c;
		}
	}
	return NULL;
}

/* Returns 1 to allow, 0 to fail the call with EPERM. */
static __always_inline int decide(struct bpf_sock_addr *ctx, struct dg_container *c, __u64 cgroup_id,
				  __u64 cidr_rules, __u8 family, const __u8 *addr, __u32 addr_len)
{
	if (!cidr_rules)
		return 1;
	__u16 port = bpf_ntohs((__u16)ctx->user_port);
	__u8 protocol = (__u8)ctx->protocol;
	struct dg_port_key pk = { .cgroup_id = cgroup_id, .port = port };
	__u64 *port_rules = bpf_map_lookup_elem(&dg_ports, &pk);
	__u64 rules = cidr_rules & (c->net_any_port | (port_rules ? *port_rules : 0));
	__u64 proto_rules = c->net_any_proto;
	if (protocol == IPPROTO_TCP)
		proto_rules |= c->net_tcp;
	else if (protocol == IPPROTO_UDP)
		proto_rules |= c->net_udp;
	rules &= proto_rules;
	if (!rules || (rules & c->net_allow))
		return 1;
	__u64 enforce = rules & c->net_enforce;
	struct dg_event *e = reserve_event(cgroup_id, DG_EVENT_NETWORK,
					   enforce ? DG_VERDICT_ENFORCE : DG_VERDICT_ALERT);
	if (e) {
		e->rules = enforce ? enforce : rules;
		e->port = port;
		e->family = family;
		e->protocol = protocol;
		exe_path(e->path);
		if (addr_len == 4)
			__builtin_memcpy(e->addr, addr, 4);
		else
			__builtin_memcpy(e->addr, addr, 16);
		bpf_ringbuf_submit(e, 0);
	}
	return enforce ? 0 : 1;
}

static __always_inline int check4(struct bpf_sock_addr *ctx)
{
	__u64 cgroup_id;
	struct dg_container *c = container_of_caller(&cgroup_id);
	if (!c)
		return 1;
	__u32 ip = ctx->user_ip4;
	struct dg_lpm4_key key = { .prefixlen = 64 + 32 };
	__builtin_memcpy(key.cgroup_id, &cgroup_id, 8);
	__builtin_memcpy(key.addr, &ip, 4);
	__u64 *rules = bpf_map_lookup_elem(&dg_cidr4, &key);
	return decide(ctx, c, cgroup_id, rules ? *rules : 0, AF_INET, key.addr, 4);
}

static __always_inline int check6(struct bpf_sock_addr *ctx)
{
	__u64 cgroup_id;
	struct dg_container *c = container_of_caller(&cgroup_id);
	if (!c)
		return 1;
	__u32 ip[4];
	ip[0] = ctx->user_ip6[0];
	ip[1] = ctx->user_ip6[1];
	ip[2] = ctx->user_ip6[2];
	ip[3] = ctx->user_ip6[3];
	/* ::ffff:a.b.c.d on a dual-stack socket goes out as IPv4: judge it by the IPv4 rules. */
	if (ip[0] == 0 && ip[1] == 0 && ip[2] == bpf_htonl(0x0000ffff)) {
		struct dg_lpm4_key key4 = { .prefixlen = 64 + 32 };
		__builtin_memcpy(key4.cgroup_id, &cgroup_id, 8);
		__builtin_memcpy(key4.addr, &ip[3], 4);
		__u64 *rules = bpf_map_lookup_elem(&dg_cidr4, &key4);
		return decide(ctx, c, cgroup_id, rules ? *rules : 0, AF_INET, key4.addr, 4);
	}
	struct dg_lpm6_key key = { .prefixlen = 64 + 128 };
	__builtin_memcpy(key.cgroup_id, &cgroup_id, 8);
	__builtin_memcpy(key.addr, ip, 16);
	__u64 *rules = bpf_map_lookup_elem(&dg_cidr6, &key);
	return decide(ctx, c, cgroup_id, rules ? *rules : 0, AF_INET6, key.addr, 16);
}

SEC("cgroup/connect4")
int dg_connect4(struct bpf_sock_addr *ctx)
{
	return check4(ctx);
}

SEC("cgroup/sendmsg4")
int dg_sendmsg4(struct bpf_sock_addr *ctx)
{
	return check4(ctx);
}

SEC("cgroup/connect6")
int dg_connect6(struct bpf_sock_addr *ctx)
{
	return check6(ctx);
}

SEC("cgroup/sendmsg6")
int dg_sendmsg6(struct bpf_sock_addr *ctx)
{
	return check6(ctx);
}

/* Isolation: attached to a container's cgroup only while it is isolated. */
SEC("cgroup_skb/egress")
int dg_isolate_egress(struct __sk_buff *skb)
{
	return 0;
}

SEC("cgroup_skb/ingress")
int dg_isolate_ingress(struct __sk_buff *skb)
{
	return 0;
}

#ifdef __TARGET_ARCH_x86
#define TS_COMPAT 0x0002 /* arch/x86/include/asm/thread_info.h: a 32-bit syscall is running */
/* 32-bit syscalls (int 0x80, ia32 binaries) have their own numbers: 26 is ptrace there, msync here. */
static __always_inline int compat_syscall(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	return BPF_CORE_READ(task, thread_info.status) & TS_COMPAT;
}
#else
static __always_inline int compat_syscall(void)
{
	return 0;
}
#endif

/*
 * Syscall rules. Without BPF LSM a tracepoint cannot fail a syscall, so a kill rule sends SIGKILL:
 * the signal is delivered before the syscall returns to user space, so the caller never sees a
 * result, but the syscall itself has already started by then.
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(dg_sys_enter, struct pt_regs *regs, long id)
{
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	struct dg_container *c = bpf_map_lookup_elem(&dg_containers, &cgroup_id);
	if (!c || id < 0 || id >= DG_SYSCALL_WORDS * 64 || compat_syscall())
		return 0;
	__u32 word = ((__u32)id >> 6) & (DG_SYSCALL_WORDS - 1);
	__u64 bit = 1ULL << (id & 63);
	enum dg_verdict verdict;
	if (c->syscall_kill[word] & bit) {
		bpf_send_signal(SIGKILL);
		verdict = DG_VERDICT_ENFORCE;
	} else if (c->syscall_alert[word] & bit) {
		verdict = DG_VERDICT_ALERT;
	} else {
		return 0;
	}
	struct dg_event *e = reserve_event(cgroup_id, DG_EVENT_SYSCALL, verdict);
	if (e) {
		e->syscall_nr = (__u32)id;
		exe_path(e->path);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

/* Offset just past the last '/' of a NUL-terminated string, 0 when there is none. */
static __always_inline __u32 basename_offset(const char *s, __u32 len)
{
	__u32 start = 0;
	for (__u32 i = 0; i < DG_PATH_LEN; i++) {
		if (i >= len || s[i] == 0)
			break;
		if (s[i] == '/')
			start = i + 1;
	}
	return start;
}

/* Whether name begins with prefix (a string literal, NUL not compared). */
#define has_prefix(name, prefix) has_prefix_n(name, prefix, sizeof(prefix) - 1)
static __always_inline int has_prefix_n(const char *name, const char *prefix, int n)
{
	for (int i = 0; i < n; i++)
		if (name[i] != prefix[i])
			return 0;
	return 1;
}

/*
 * The dynamic loader by its file name: glibc's ld-linux*.so.* and ld.so, musl's ld-musl-*. Run as
 * a program it maps and runs another file that the kernel never execs.
 */
static __always_inline int name_is_loader(const char *name)
{
	return has_prefix(name, "ld-linux") || has_prefix(name, "ld-musl-") || has_prefix(name, "ld.so");
}

static __always_inline void report(__u64 cgroup_id, struct dg_container *c, enum dg_event_kind kind,
				   enum dg_verdict verdict, __u32 rule, enum dg_how how, const char *name,
				   const char *path)
{
	if (verdict == DG_VERDICT_ENFORCE)
		bpf_send_signal(SIGKILL);
	else if (verdict == DG_VERDICT_HOLD)
		bpf_send_signal(SIGSTOP);
	struct dg_event *e = reserve_event(cgroup_id, kind, verdict);
	if (e) {
		e->rules_id = c->rules_id;
		e->name_rule = rule;
		e->how = how;
		__builtin_memcpy(e->name, name, DG_NAME_LEN);
		__builtin_memcpy(e->path, path, DG_PATH_LEN);
		bpf_ringbuf_submit(e, 0);
	}
}

static __always_inline int report_name(__u64 cgroup_id, struct dg_container *c, struct dg_name_key *key,
				       enum dg_how how, const char *path)
{
	struct dg_name_value *v = bpf_map_lookup_elem(&dg_names, key);
	if (!v)
		return 0;
	report(cgroup_id, c, DG_EVENT_EXEC, v->verdict, v->rule, how, key->name, path);
	return 1;
}

/* The argument after argv[0] (of length len0, NUL included) as a base name into key, 0 when there is none. */
static __always_inline int second_arg(struct dg_name_key *key, char *arg, unsigned long arg_start,
				      unsigned long arg_end, long len0)
{
	if (arg_start + len0 >= arg_end)
		return 0;
	long len = bpf_probe_read_user_str(arg, DG_PATH_LEN, (const char *)arg_start + len0);
	if (len <= 0)
		return 0;
	__builtin_memset(key->name, 0, sizeof(key->name));
	bpf_probe_read_user_str(key->name, sizeof(key->name), (const char *)arg_start + len0 + basename_offset(arg, len));
	return 1;
}

/*
 * Under [policy.drift], execs that cannot be an image file, decidable from the file that runs
 * (bprm->file) alone: a memfd, a file with no name left, the dynamic loader run as a program, a
 * file on a file system the container did not have when it was attached (a tmpfs mounted inside,
 * a mount propagated in later). Returns 1 when reported.
 */
static __always_inline int check_drift(__u64 cgroup_id, struct dg_container *c, struct linux_binprm *bprm,
				       const char *path)
{
	if (!c->drift_verdict)
		return 0;
	struct file *file = BPF_CORE_READ(bprm, file);
	char name[DG_NAME_LEN] = {};
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(file, f_path.dentry, d_name.name));
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	enum dg_how how = 0;
	if (has_prefix(name, "memfd:"))
		how = DG_HOW_MEMFD;
	else if (BPF_CORE_READ(inode, __i_nlink) == 0)
		how = DG_HOW_DELETED;
	else if (name_is_loader(name))
		how = DG_HOW_LOADER;
	else if (c->dev_count) {
		__u32 dev = BPF_CORE_READ(inode, i_sb, s_dev);
		how = DG_HOW_NEW_MOUNT;
		for (int i = 0; i < DG_MAX_DEVS; i++) {
			if (i < c->dev_count && c->devs[i] == dev) {
				how = 0;
				break;
			}
		}
	}
	if (!how)
		return 0;
	report(cgroup_id, c, DG_EVENT_DRIFT, c->drift_verdict, 0, how, name, path);
	return 1;
}

/*
 * The exec backstop, judged as the new program is installed and before its first instruction
 * (SIGKILL from here is delivered first). Names: a busybox applet runs as whatever name it was
 * invoked by, so the program checks the base name of the file given to execve, the base name of
 * argv[0] (exec -a), argv[1] when argv[0] is busybox ("busybox sh", busybox's own rule: any
 * name starting with "busybox"), and argv[1] when the file is the dynamic loader
 * ("ld-linux-x86-64.so.2 /bin/bash"). Then drift, see check_drift.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(dg_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	struct dg_container *c = bpf_map_lookup_elem(&dg_containers, &cgroup_id);
	if (!c)
		return 0;

	char path[DG_PATH_LEN] = {};
	const char *filename = BPF_CORE_READ(bprm, filename);
	long len = bpf_probe_read_kernel_str(path, sizeof(path), filename);
	if (len <= 0)
		return 0;
	struct dg_name_key key = { .rules_id = c->rules_id };
	bpf_probe_read_kernel_str(key.name, sizeof(key.name), filename + basename_offset(path, len));
	if (report_name(cgroup_id, c, &key, DG_HOW_FILE_NAME, path))
		return 0;
	char file_name[DG_NAME_LEN] = {};
	bpf_probe_read_kernel_str(file_name, sizeof(file_name), BPF_CORE_READ(bprm, file, f_path.dentry, d_name.name));
	int loader = name_is_loader(file_name) || name_is_loader(key.name);

	__u32 zero = 0;
	char *arg = bpf_map_lookup_elem(&dg_scratch, &zero);
	if (!arg)
		return 0;
	unsigned long arg_start = BPF_CORE_READ(p, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(p, mm, arg_end);
	len = bpf_probe_read_user_str(arg, DG_PATH_LEN, (const void *)arg_start);
	if (len > 0) {
		__builtin_memset(key.name, 0, sizeof(key.name));
		bpf_probe_read_user_str(key.name, sizeof(key.name), (const char *)arg_start + basename_offset(arg, len));
		if (report_name(cgroup_id, c, &key, DG_HOW_ARGV0, path))
			return 0;
		int busybox = has_prefix(key.name, "busybox");
		if ((busybox || loader) && second_arg(&key, arg, arg_start, arg_end, len)
		    && report_name(cgroup_id, c, &key, busybox ? DG_HOW_BUSYBOX_APPLET : DG_HOW_LOADER_ARG, path))
			return 0;
	}
	check_drift(cgroup_id, c, bprm, path);
	return 0;
}

/*
 * A new cgroup v2 directory named after a container Docker knows (cgroupfs driver: ".../<id>",
 * systemd driver: "docker-<id>.scope") gets the container's rules at once. runc puts its init
 * process into the cgroup before that process execs the container's command.
 */
SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(dg_cgroup_mkdir, struct cgroup *cgrp, const char *cgroup_path)
{
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return 0; /* a cgroup v1 hierarchy */
	char name[80] = {};
	long len = bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(cgrp, kn, name));
	struct dg_template_key key = {};
	if (len == DG_ID_LEN + 1)
		__builtin_memcpy(key.id, name, DG_ID_LEN);
	else if (len == DG_ID_LEN + 14 && has_prefix(name, "docker-") && has_prefix(name + 7 + DG_ID_LEN, ".scope"))
		__builtin_memcpy(key.id, name + 7, DG_ID_LEN);
	else
		return 0;
	for (int i = 0; i < DG_ID_LEN; i++) {
		char ch = key.id[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return 0;
	}
	struct dg_container *t = bpf_map_lookup_elem(&dg_templates, &key);
	if (!t) {
		__u32 zero = 0;
		__u64 *count = bpf_map_lookup_elem(&dg_untemplated, &zero);
		if (count)
			__sync_fetch_and_add(count, 1);
		t = bpf_map_lookup_elem(&dg_fallback, &zero);
		if (!t)
			return 0;
	}
	if (!t->selected)
		return 0;
	__u64 id = BPF_CORE_READ(cgrp, kn, id);
	bpf_map_update_elem(&dg_containers, &id, t, BPF_NOEXIST);
	return 0;
}

/* A removed cgroup takes its entry with it, whether or not the daemon ever attached to it. */
SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(dg_cgroup_rmdir, struct cgroup *cgrp, const char *cgroup_path)
{
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return 0;
	__u64 id = BPF_CORE_READ(cgrp, kn, id);
	bpf_map_delete_elem(&dg_containers, &id);
	return 0;
}
