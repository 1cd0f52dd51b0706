package io.driftguard.daemon.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a create request (or an inspected container: the same schema) asks of Docker that the
 * admission rules judge. Named volumes are kept by name: whether one is a host path in disguise
 * (a local volume with o=bind) is asked of the engine later.
 */
record ContainerSettings(String image, Map<String, String> labels, String user, boolean privileged,
                         Map<String, String> namespaces, List<String> capAdd, List<String> capabilities,
                         List<String> devices, boolean deviceCgroupRules, boolean deviceRequests,
                         List<HostMount> hostMounts, List<String> namedVolumes, boolean volumesFrom,
                         List<String> securityOpt, boolean unmaskedPaths, String runtime, String cgroupParent) {
    /** HostConfig keys of the namespaces that "host" shares with the host, and the flag users type. */
    static final Map<String, String> NAMESPACE_FLAGS = Map.of("NetworkMode", "--network", "PidMode", "--pid",
            "IpcMode", "--ipc", "UTSMode", "--uts", "UsernsMode", "--userns", "CgroupnsMode", "--cgroupns");

    /** Docker's defaults (oci/defaults.go); a list given without one of them exposes that path. */
    private static final List<String> DEFAULT_MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware");
    private static final List<String> DEFAULT_READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    static ContainerSettings of(JsonNode body) {
        JsonNode host = Fields.object(body, "HostConfig").orElse(null);
        Map<String, String> namespaces = new java.util.TreeMap<>();
        for (String key : NAMESPACE_FLAGS.keySet()) {
            namespaces.put(key, Fields.string(host, key));
        }
        List<HostMount> mounts = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        for (String bind : Fields.strings(host, "Binds", false)) {
            String[] parts = bind.split(":");
            if (parts.length < 2) {
                continue;
            }
            if (parts[0].startsWith("/")) {
                mounts.add(new HostMount(parts[0], parts[1], "-v " + bind));
            } else {
                volumes.add(parts[0]);
            }
        }
        for (JsonNode mount : Fields.objects(host, "Mounts")) {
            mount(mount, mounts, volumes);
        }
        List<String> devices = new ArrayList<>();
        for (JsonNode device : Fields.objects(host, "Devices")) {
            devices.add(Fields.string(device, "PathOnHost"));
        }
        return new ContainerSettings(Fields.string(body, "Image"), Fields.stringMap(body, "Labels"),
                Fields.string(body, "User"), Fields.bool(host, "Privileged"), namespaces,
                Fields.strings(host, "CapAdd", true), Fields.strings(host, "Capabilities", false), devices,
                !Fields.strings(host, "DeviceCgroupRules", false).isEmpty(), !Fields.objects(host, "DeviceRequests").isEmpty(),
                mounts, volumes, !Fields.strings(host, "VolumesFrom", false).isEmpty(),
                Fields.strings(host, "SecurityOpt", false),
                unmasks(host, "MaskedPaths", DEFAULT_MASKED) || unmasks(host, "ReadonlyPaths", DEFAULT_READONLY),
                Fields.string(host, "Runtime"), Fields.string(host, "CgroupParent"));
    }

    /** MaskedPaths or ReadonlyPaths given (the API takes them; the CLI does not) without all of Docker's defaults. */
    private static boolean unmasks(JsonNode host, String key, List<String> defaults) {
        return Fields.present(host, key) && !Fields.strings(host, key, false).containsAll(defaults);
    }

    /** A --mount: bind sources are host paths; a volume with local bind options is one too. */
    private static void mount(JsonNode mount, List<HostMount> mounts, List<String> volumes) {
        String type = Fields.string(mount, "Type");
        String source = Fields.string(mount, "Source");
        String target = Fields.string(mount, "Target");
        switch (type) {
            case "bind" -> mounts.add(new HostMount(source, target, "--mount type=bind,source=" + source));
            case "volume" -> {
                Optional<JsonNode> driver = Fields.object(mount, "VolumeOptions")
                        .flatMap(options -> Fields.object(options, "DriverConfig"));
                Map<String, String> options = driver.map(d -> Fields.stringMap(d, "Options")).orElse(Map.of());
                Optional<String> device = LocalVolumes.hostPath(options);
                if (device.isPresent()) {
                    mounts.add(new HostMount(device.get(), target, "--mount type=volume,volume-opt=device=" + device.get()));
                } else if (!source.isEmpty()) {
                    volumes.add(source);
                }
            }
            case "tmpfs", "npipe" -> {
                // No host path.
            }
            default -> throw new Unjudgeable("a mount has the unknown type '" + type + "'");
        }
    }
}
