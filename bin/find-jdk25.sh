# Sourced by ./longbel, ./mvn25 and .ci/run: sets JAVA_HOME to a JDK 25 or exits with a clear message.
longbel_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
longbel_find_jdk25() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    if [ "$(longbel_jdk_major "$c")" = "25" ]; then JAVA_HOME=$c; return 0; fi
  done
  return 1
}
if ! longbel_find_jdk25; then
  echo "longbel: no JDK 25 found. Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*." >&2
  echo "longbel: install a JDK 25 (for example Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
