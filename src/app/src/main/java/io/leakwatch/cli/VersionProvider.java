package io.leakwatch.cli;

import picocli.CommandLine;

/** Version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = LeakwatchCommand.class.getPackage().getImplementationVersion();
        return new String[] {"leakwatch " + (version == null ? "dev" : version)};
    }
}
