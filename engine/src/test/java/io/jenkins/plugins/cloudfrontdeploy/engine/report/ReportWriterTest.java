package io.jenkins.plugins.cloudfrontdeploy.engine.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.cloudfrontdeploy.engine.DiffResult;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Diffs;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Processes;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.RecordingListener;
import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The two report files, end to end through a local diff. */
public class ReportWriterTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void changesTxtAndReportJson() throws Exception {
        Path www = tmp.newFolder("www").toPath();
        Path live = www.resolve("1.0.3");
        Trees.write(live, "index.html", "old\n");
        Trees.write(live, "keep.css", "same\n");
        Trees.write(live, "gone/old.js", "bye\n");
        Trees.write(live, "tab\tname.txt", "t\n");
        Files.createSymbolicLink(www.resolve("production"), Path.of("1.0.3"));
        Path build = tmp.newFolder("build").toPath();
        Trees.write(build, "index.html", "new!\n");
        Trees.write(build, "keep.css", "same\n");
        Trees.write(build, "new\nline.html", "n\n");
        Trees.write(build, "tab\tname.txt", "T\n");
        Files.createDirectories(build.resolve("empty-dir"));
        Path reports = tmp.getRoot().toPath().resolve("reports");

        DiffResult r = Diffs.run(build, www.resolve("production").toString(), null, reports, new RecordingListener());

        assertEquals("D\tgone/old.js\nM\tindex.html\nA\t\"new\\nline.html\"\nM\t\"tab\\tname.txt\"\n",
                Files.readString(reports.resolve("changes.txt"), StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertEquals("1.0.3", json.get("release").asText());
        assertEquals("local", json.get("transport").asText());
        assertEquals(www.resolve("production").toString(), json.get("target").asText());
        assertEquals(build.toString(), json.get("source").asText());
        assertEquals(1, json.at("/counts/added").asInt());
        assertEquals(2, json.at("/counts/modified").asInt());
        assertEquals(1, json.at("/counts/removed").asInt());
        assertEquals(1, json.at("/counts/unchanged").asInt());
        assertEquals(2, json.at("/bytes/added").asLong());
        assertEquals(5 + 2, json.at("/bytes/modified").asLong());
        assertEquals(4, json.at("/bytes/removed").asLong());
        assertTrue(json.at("/timings/totalMs").isNumber());
        assertEquals(List.of("empty-dir"), List.of(json.at("/directories/added/0").asText()));
        assertEquals("gone", json.at("/directories/removed/0").asText());

        JsonNode index = json.get("changes").get(1);
        assertEquals("index.html", index.get("path").asText());
        assertEquals("modified", index.get("change").asText());
        assertEquals(5, index.get("size").asLong());
        String sum = Processes.run(build, List.of("sha256sum", "index.html")).substring(0, 64);
        assertEquals(sum, index.get("sha256").asText());
        assertEquals(4, index.get("previousSize").asLong());
        assertEquals(4, json.get("changes").size());
        assertEquals(4, r.added() + r.modified() + r.removed());
        assertFalse("no temporary file is left behind", Files.exists(reports.resolve("report.json.tmp")));
    }
}
