package io.driftguard.scan.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.event.Severity;
import io.driftguard.scan.layer.ImageView;
import io.driftguard.scan.layer.SecretHit;
import io.driftguard.scan.layer.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Misconfigurations and secrets of an image's config and files: the effective user is root
 * (resolved through the image's /etc/passwd, so {@code USER 0} and a renamed uid 0 count), setuid or
 * setgid files, {@code ADD} of a URL, accounts with an empty password, and secrets in the config's
 * Env, in its history, and in every layer.
 */
final class ConfigChecks {
    private static final Pattern ADD_URL = Pattern.compile("\\bADD\\s+(?:--\\S+\\s+)*(?:https?|ftp)://\\S+");

    private ConfigChecks() {
    }

    static List<ImageFinding> check(JsonNode config, ImageView view) {
        List<ImageFinding> found = new ArrayList<>();
        rootUser(config.path("config").path("User").asText(""), view).ifPresent(found::add);
        for (JsonNode env : config.path("config").path("Env")) {
            for (SecretHit hit : Secrets.inEnv(env.asText())) {
                found.add(secret(hit, null, false));
            }
        }
        int step = 0;
        for (JsonNode h : config.path("history")) {
            String createdBy = h.path("created_by").asText("");
            for (SecretHit hit : Secrets.find("history step " + step, createdBy)) {
                found.add(secret(hit, null, false));
            }
            if (ADD_URL.matcher(createdBy).find()) {
                found.add(new ImageFinding(ImageFinding.Category.MISCONFIGURATION, Severity.MEDIUM, "add-url",
                        "Misconfiguration: ADD of a URL (content fetched at build time, unverified)",
                        Map.of("history_step", Integer.toString(step), "created_by", clip(createdBy))));
            }
            step++;
        }
        for (ImageView.PlacedSecret s : view.secrets()) {
            found.add(secret(s.hit(), s.layer(), s.deletedLater()));
        }
        for (ImageView.PlacedFile f : view.setuidFiles()) {
            int space = f.entry().lastIndexOf(' ');
            found.add(new ImageFinding(ImageFinding.Category.MISCONFIGURATION, Severity.LOW, "setuid-file",
                    "Misconfiguration: setuid/setgid file '" + f.entry().substring(0, space) + "'",
                    Map.of("layer", f.layer(), "path", f.entry().substring(0, space), "mode", f.entry().substring(space + 1))));
        }
        emptyPasswords(view, found);
        return found;
    }

    /** Root when User is empty, "root", uid 0, or a name that /etc/passwd gives uid 0. */
    static Optional<ImageFinding> rootUser(String user, ImageView view) {
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        boolean root = name.isEmpty() || name.equals("root") || name.matches("0+");
        String how = name.isEmpty() ? "the config sets no User" : "User '" + user + "' is uid 0";
        if (!root && !name.matches("[0-9]+")) {
            root = uidOf(view, name).filter(uid -> uid.equals("0")).isPresent();
        }
        if (!root) {
            return Optional.empty();
        }
        return Optional.of(new ImageFinding(ImageFinding.Category.MISCONFIGURATION, Severity.MEDIUM, "root-user",
                "Misconfiguration: 'root' user allowed to run container", Map.of("user", user, "reason", how)));
    }

    private static Optional<String> uidOf(ImageView view, String name) {
        return view.text("etc/passwd").flatMap(passwd -> passwd.lines().map(l -> l.split(":", -1))
                .filter(f -> f.length >= 3 && f[0].equals(name)).map(f -> f[2]).findFirst());
    }

    private static void emptyPasswords(ImageView view, List<ImageFinding> found) {
        for (String file : List.of("etc/shadow", "etc/passwd")) {
            view.text(file).ifPresent(text -> text.lines().map(l -> l.split(":", -1))
                    .filter(f -> f.length >= 2 && !f[0].isEmpty() && f[1].isEmpty())
                    .forEach(f -> found.add(new ImageFinding(ImageFinding.Category.MISCONFIGURATION, Severity.HIGH,
                            "empty-password", "Misconfiguration: account '" + f[0] + "' has an empty password in /" + file,
                            Map.of("path", file, "account", f[0])))));
        }
    }

    private static ImageFinding secret(SecretHit hit, String layer, boolean deletedLater) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("rule", hit.rule());
        details.put("path", hit.path());
        details.put("match", hit.excerpt());
        if (layer != null) {
            details.put("layer", layer);
            details.put("deleted_by_later_layer", Boolean.toString(deletedLater));
        }
        String where = layer == null ? "in " + hit.path() : "in layer " + layer + " at " + hit.path()
                + (deletedLater ? " (deleted by a later layer, still in the image's blobs)" : "");
        return new ImageFinding(ImageFinding.Category.SECRET, Severity.HIGH, hit.rule(),
                "Secret: " + hit.rule() + " " + where, details);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
