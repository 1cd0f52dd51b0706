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
	if (!rules)
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

static __always_inline int name_is_busybox(const char *name)
{
	const char busybox[] = "busybox";
	for (int i = 0; i < sizeof(busybox); i++)
		if (name[i] != busybox[i])
			return 0;
	return 1;
}

static __always_inline int report_name(__u64 cgroup_id, struct dg_name_key *key, const char *path)
{
	struct dg_name_value *v = bpf_map_lookup_elem(&dg_names, key);
	if (!v)
		return 0;
	if (v->verdict == DG_VERDICT_ENFORCE)
		bpf_send_signal(SIGKILL);
	struct dg_event *e = reserve_event(cgroup_id, DG_EVENT_EXEC, v->verdict);
	if (e) {
		e->name_rule = v->rule;
		__builtin_memcpy(e->name, key->name, DG_NAME_LEN);
		__builtin_memcpy(e->path, path, DG_PATH_LEN);
		bpf_ringbuf_submit(e, 0);
	}
	return 1;
}

/*
 * Kill by invoked name. A busybox applet runs as whatever name it was invoked by, so the program
 * checks the base name of the file given to execve, the base name of argv[0] (exec -a), and
 * argv[1] when argv[0] is busybox itself ("busybox nc ..."). SIGKILL here reaches the new
 * program before its first instruction.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(dg_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	if (!bpf_map_lookup_elem(&dg_containers, &cgroup_id))
		return 0;

	char path[DG_PATH_LEN] = {};
	const char *filename = BPF_CORE_READ(bprm, filename);
	long len = bpf_probe_read_kernel_str(path, sizeof(path), filename);
	if (len <= 0)
		return 0;
	struct dg_name_key key = { .cgroup_id = cgroup_id };
	bpf_probe_read_kernel_str(key.name, sizeof(key.name), filename + basename_offset(path, len));
	if (report_name(cgroup_id, &key, path))
		return 0;

	char arg[DG_PATH_LEN] = {};
	unsigned long arg_start = BPF_CORE_READ(p, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(p, mm, arg_end);
	len = bpf_probe_read_user_str(arg, sizeof(arg), (const void *)arg_start);
	if (len <= 0)
		return 0;
	__builtin_memset(key.name, 0, sizeof(key.name));
	bpf_probe_read_user_str(key.name, sizeof(key.name), (const char *)arg_start + basename_offset(arg, len));
	if (report_name(cgroup_id, &key, path))
		return 0;
	if (!name_is_busybox(key.name) || arg_start + len >= arg_end)
		return 0;
	__builtin_memset(key.name, 0, sizeof(key.name));
	bpf_probe_read_user_str(key.name, sizeof(key.name), (const char *)arg_start + len);
	report_name(cgroup_id, &key, path);
	return 0;
}
