// Both builds (invoker.properties) ran the consumer's tests; none was skipped under CI.
def log = new File(basedir, 'build.log').text
def totals = (log =~ /(?m)^\[INFO\] Tests run: (\d+), Failures: 0, Errors: 0, Skipped: (\d+)$/).collect { it }
assert totals.size() == 2 : "expected two test runs (oldest, newest), found ${totals.size()}"
totals.each { assert (it[1] as int) >= 5 : "a run executed only ${it[1]} tests" }
def required = System.getenv('CM_REQUIRE_SERVICES') in ['true', '1']
if (required) {
  totals.each { assert (it[2] as int) == 0 : 'tests were skipped under CM_REQUIRE_SERVICES' }
}
return true
