package io.jenkins.plugins.cloudfrontdeploy.engine.report;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Expected values are what git 2.39 prints with core.quotePath=false. */
public class GitQuotingTest {
    @Test
    public void plainNamesStayAsTheyAre() {
        assertEquals("a b/it's.html", GitQuoting.quote("a b/it's.html"));
        assertEquals("ünïcödé/日本語.html", GitQuoting.quote("ünïcödé/日本語.html"));
        assertEquals("$(x)*#%~.txt", GitQuoting.quote("$(x)*#%~.txt"));
    }

    @Test
    public void specialCharactersAreCQuoted() {
        assertEquals("\"new\\nline\"", GitQuoting.quote("new\nline"));
        assertEquals("\"tab\\there\"", GitQuoting.quote("tab\there"));
        assertEquals("\"back\\\\slash\"", GitQuoting.quote("back\\slash"));
        assertEquals("\"double\\\"quote\"", GitQuoting.quote("double\"quote"));
        assertEquals("\"bell\\a\\001\\177\"", GitQuoting.quote("bell\u0007\u0001\u007f"));
    }

    @Test
    public void unquoteUndoesQuoteForEveryAwkwardName() {
        for (String name : new String[] {"plain.html", "tab\there", "new\nline", "q\"uote", "back\\slash",
            "bell\u0007\u0001\u007f", "\"leading quote", "caf\u00e9 \u2603.html", "trailing\\"}) {
            assertEquals(name, GitQuoting.unquote(GitQuoting.quote(name)));
        }
    }
}
