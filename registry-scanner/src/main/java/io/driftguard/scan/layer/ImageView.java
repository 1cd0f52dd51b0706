package io.driftguard.scan.layer;

import io.driftguard.scan.packages.InstalledPackage;
import io.driftguard.scan.packages.OsRelease;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image's files as a container would see them, as far as a scan needs them: the layers'
 * contents applied bottom to top, each layer's whiteouts and opaque folders removing what the
 * layers below it put there. Secrets are kept from every layer: one deleted later is still in the image's blobs.
 */
public final class ImageView {
    /** A secret with the layer it is in and whether a later layer deletes the file. */
    public record PlacedSecret(SecretHit hit, String layer, boolean deletedLater) {
    }

    /** A setuid or setgid file ("path mode") with the layer that adds it. */
    public record PlacedFile(String entry, String layer) {
    }

    private final Map<String, List<InstalledPackage>> databases = new LinkedHashMap<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    private final List<PlacedSecret> secrets = new ArrayList<>();
    private final List<PlacedFile> setuid = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private ImageView() {
    }

    /** {@code layers} bottom first, each with its digest. */
    public static ImageView of(List<Map.Entry<String, LayerContent>> layers) {
        ImageView view = new ImageView();
        for (int i = 0; i < layers.size(); i++) {
            String digest = layers.get(i).getKey();
            LayerContent layer = layers.get(i).getValue();
            for (String dir : layer.opaqueDirectories()) {
                view.remove(dir, true);
            }
            for (String gone : layer.whiteouts()) {
                view.remove(gone, false);
            }
            view.databases.putAll(layer.packageDatabases());
            layer.texts().forEach((path, text) -> {
                view.texts.put(path, text);
                view.links.remove(path);
            });
            layer.links().forEach((path, target) -> {
                view.links.put(path, target);
                view.texts.remove(path);
                view.databases.remove(path);
            });
            for (SecretHit hit : layer.secrets()) {
                view.secrets.add(new PlacedSecret(hit, digest, deletedAbove(layers, i, hit.path())));
            }
            layer.setuidFiles().forEach(f -> view.setuid.add(new PlacedFile(f, digest)));
            layer.problems().forEach(p -> view.problems.add(digest + ": " + p));
        }
        return view;
    }

    private static boolean deletedAbove(List<Map.Entry<String, LayerContent>> layers, int index, String path) {
        for (int j = index + 1; j < layers.size(); j++) {
            LayerContent above = layers.get(j).getValue();
            for (String gone : above.whiteouts()) {
                if (path.equals(gone) || path.startsWith(gone + "/")) {
                    return true;
                }
            }
            for (String dir : above.opaqueDirectories()) {
                if (dir.isEmpty() || path.startsWith(dir + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes {@code path} and what is under it; for an opaque folder only what is under it. */
    private void remove(String path, boolean onlyBelow) {
        String prefix = path.isEmpty() ? "" : path + "/";
        for (Map<String, ?> map : List.of(databases, texts, links)) {
            map.keySet().removeIf(p -> p.startsWith(prefix) || (!onlyBelow && p.equals(path)));
        }
    }

    /** Every installed package of every package database left in the image. */
    public List<InstalledPackage> packages() {
        List<InstalledPackage> all = new ArrayList<>();
        databases.values().forEach(all::addAll);
        return all;
    }

    public OsRelease osRelease() {
        return text("etc/os-release").or(() -> text("usr/lib/os-release")).map(OsRelease::parse).orElse(OsRelease.UNKNOWN);
    }

    /** A small text file the view keeps, following symlinks inside the image (a few hops). */
    public Optional<String> text(String path) {
        String p = path;
        for (int hop = 0; hop < 8 && p != null; hop++) {
            if (texts.containsKey(p)) {
                return Optional.of(texts.get(p));
            }
            p = links.get(p);
        }
        return Optional.empty();
    }

    public List<PlacedSecret> secrets() {
        return List.copyOf(secrets);
    }

    public List<PlacedFile> setuidFiles() {
        return List.copyOf(setuid);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }
}
