// The build must have failed because Sneaky uses an internal class (the ArchUnit rule, or javac
// refusing an unexported package once our modules have a module-info), not for another reason.
def log = new File(basedir, 'build.log').text
def archUnit = log.contains("Rule 'no classes should depend on classes that reside in a package 'io.clustermonitor..internal..'") &&
    log =~ /com\.example\.sneaky\.Sneaky[^\n]*io\.clustermonitor\.exporters\.internal\.BuildInfo/
def jpms = log =~ /package io\.clustermonitor\.exporters\.internal is (not visible|declared in module [\w.]+, which does not export it)/
assert archUnit || jpms : 'expected the build to fail on the use of io.clustermonitor.exporters.internal.BuildInfo'
assert !log.contains('Could not resolve dependencies') : 'the build must resolve our artifacts'
return true
