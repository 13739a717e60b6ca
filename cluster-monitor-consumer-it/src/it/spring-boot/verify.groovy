// The Spring Boot test ran, all of it; none was skipped under CI.
def log = new File(basedir, 'build.log').text
def totals = (log =~ /(?m)^\[INFO\] Tests run: (\d+), Failures: 0, Errors: 0, Skipped: (\d+)$/).collect { it }
assert totals.size() == 1 : "expected one test run, found ${totals.size()}"
assert (totals[0][1] as int) == 3 : "ran ${totals[0][1]} tests, expected 3"
if (System.getenv('CM_REQUIRE_SERVICES') in ['true', '1']) {
  assert (totals[0][2] as int) == 0 : 'tests were skipped under CM_REQUIRE_SERVICES'
}

// docs/embedding.md quotes these regions ("// [name]" or "# [name]" ... the same) verbatim, de-indented.
def docs = new File(basedir, '../../../../docs/embedding.md').text
def quoted = { String path, String region ->
  def lines = new File(basedir, path).readLines()
  def marks = lines.findIndexValues { it.trim() in ["// [${region}]".toString(), "# [${region}]".toString()] }
  assert marks.size() == 2 : "${path}: region ${region} needs an opening and a closing marker"
  def body = lines[((marks[0] as int) + 1)..<(marks[1] as int)]
  def indent = body.findAll { it.trim() }.collect { it.length() - it.stripLeading().length() }.min()
  def text = body.collect { it.trim() ? it.substring(indent) : '' }.join('\n')
  assert docs.contains(text) : "docs/embedding.md does not quote region ${region} of ${path}:\n${text}"
}
quoted('src/main/java/com/example/inventory/ClusterMonitorConfiguration.java', 'spring')
quoted('src/main/resources/application.properties', 'spring-properties')
quoted('src/test/java/com/example/inventory/ActuatorPrometheusTest.java', 'spring-test')
return true
