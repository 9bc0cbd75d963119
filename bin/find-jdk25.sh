# Sourced by ./longbel, ./mvn25 and .ci/run: sets JAVA_HOME to a JDK 25 or exits with a clear message.
# Looks at JAVA_HOME first, then in the directories of LONGBEL_JDK_DIRS (colon-separated; default /usr/lib/jvm):
# their *25* entries first, then every entry. A JDK is a directory with bin/java and bin/javac whose
# java.specification.version is 25.
longbel_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
longbel_find_jdk25() {
  local c d dirs candidates=("${JAVA_HOME:-}")
  IFS=: read -r -a dirs <<<"${LONGBEL_JDK_DIRS:-/usr/lib/jvm}"
  for d in ${dirs[@]+"${dirs[@]}"}; do candidates+=("$d"/*25* "$d"/*); done
  for c in "${candidates[@]}"; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    if [ "$(longbel_jdk_major "$c")" = "25" ]; then JAVA_HOME=$c; return 0; fi
  done
  return 1
}
if ! longbel_find_jdk25; then
  echo "longbel: no JDK 25 found. Looked at JAVA_HOME (${JAVA_HOME:-unset}) and $(sed 's|:|/*, |g; s|$|/*|' <<<"${LONGBEL_JDK_DIRS:-/usr/lib/jvm}")." >&2
  echo "longbel: install a JDK 25 (for example Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
fi
