package io.driftguard.daemon.bpf;

/** The kernel mechanisms driftguard may use, each with the program in probe.bpf.o that tests it. */
public enum Mechanism {
    BPF_LSM("probe_lsm", true, "BPF LSM (lsm/*)"),
    FENTRY("probe_fentry", true, "fentry/fexit trampolines"),
    CGROUP_SOCK_ADDR("probe_cgroup_sock_addr", false, "cgroup/connect4,connect6,sendmsg4,sendmsg6"),
    CGROUP_SKB("probe_cgroup_skb", false, "cgroup_skb/ingress,egress"),
    TP_BTF("probe_tp_btf", true, "tp_btf (BTF-typed tracepoints)"),
    RAW_TRACEPOINT("probe_raw_tp", true, "raw_tp"),
    KPROBE("probe_kprobe", true, "kprobe"),
    SEND_SIGNAL("probe_send_signal", true, "bpf_send_signal from tp_btf");

    private final String probeProgram;
    /** Tracing programs are attached for a moment too: some kernels load them but refuse attaching. */
    private final boolean attachInProbe;
    private final String description;

    Mechanism(String probeProgram, boolean attachInProbe, String description) {
        this.probeProgram = probeProgram;
        this.attachInProbe = attachInProbe;
        this.description = description;
    }

    String probeProgram() {
        return probeProgram;
    }

    boolean attachInProbe() {
        return attachInProbe;
    }

    public String description() {
        return description;
    }
}
