// Both builds (invoker.properties) ran the consumer's tests; none was skipped under CI.
def log = new File(basedir, 'build.log').text
def totals = (log =~ /(?m)^\[INFO\] Tests run: (\d+), Failures: 0, Errors: 0, Skipped: (\d+)$/).collect { it }
assert totals.size() == 2 : "expected two test runs (oldest, newest), found ${totals.size()}"
totals.each { assert (it[1] as int) >= 8 : "a run executed only ${it[1]} tests" }
def required = System.getenv('CM_REQUIRE_SERVICES') in ['true', '1']
if (required) {
  totals.each { assert (it[2] as int) == 0 : 'tests were skipped under CM_REQUIRE_SERVICES' }
}

// docs/embedding.md quotes these regions ("// [name]" ... "// [name]") verbatim, de-indented.
def docs = new File(basedir, '../../../../docs/embedding.md').text
def quoted = { String path, String region ->
  def lines = new File(basedir, path).readLines()
  def marks = lines.findIndexValues { it.trim().startsWith("// [${region}]") }
  assert marks.size() == 2 : "${path}: region ${region} needs an opening and a closing marker"
  def body = lines[((marks[0] as int) + 1)..<(marks[1] as int)].findAll { it.trim() }
  def indent = body.collect { it.length() - it.stripLeading().length() }.min()
  def text = body.collect { it.substring(indent) }.join('\n')
  assert docs.contains(text) : "docs/embedding.md does not quote region ${region} of ${path}:\n${text}"
}
quoted('src/main/java/com/example/shop/Monitoring.java', 'monitor')
quoted('src/main/java/com/example/shop/Monitoring.java', 'registry')
quoted('src/main/java/com/example/shop/Monitoring.java', 'server')
quoted('src/test/java/com/example/shop/HealthWaitTest.java', 'health')
return true
