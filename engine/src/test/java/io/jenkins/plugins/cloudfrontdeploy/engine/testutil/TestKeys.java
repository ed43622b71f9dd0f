package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Key pairs made by the real ssh-keygen, in the formats users have: OpenSSH or PEM, with or without passphrase. */
public final class TestKeys {
    private TestKeys() {}

    /**
     * Generates {@code dir/name} and {@code dir/name.pub}.
     *
     * @param type ed25519, ecdsa or rsa
     * @param passphrase "" for none
     * @param pem PEM (traditional) format instead of OpenSSH's
     */
    public static Path generate(Path dir, String name, String type, String passphrase, boolean pem)
            throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C",
                "test-" + name, "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        if (pem) {
            cmd.addAll(List.of("-m", "PEM"));
        }
        Processes.run(dir, cmd);
        return key;
    }

    public static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }
}
