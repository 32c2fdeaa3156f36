#!/usr/bin/env bash
# The bash completion, driven as bash does (COMP_WORDS, COMP_CWORD) against the
# built programs: subcommands, each program's options, a subcommand's own
# options, and the listed option values.
#   completion_test.sh COMPLETION_FILE BIN_DIR
set -euo pipefail
source "$1"
PATH="$2:$PATH"
failures=0

# expect "WORD..." -- completes "LINE" (the last word is the one completed)
expect() {
  local wanted=$1 line=$2
  read -r -a COMP_WORDS <<<"$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _echo_tools
  local got=" ${COMPREPLY[*]} " word
  for word in $wanted; do
    if [[ "$got" != *" $word "* ]]; then
      echo "FAIL: completing '$line' gave [${COMPREPLY[*]}], missing '$word'"
      failures=$((failures + 1))
    fi
  done
}

# unexpected WORD -- completes "LINE": WORD must not be offered
unexpected() {
  local word=$1 line=$2
  read -r -a COMP_WORDS <<<"$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _echo_tools
  if [[ " ${COMPREPLY[*]} " == *" $word "* ]]; then
    echo "FAIL: completing '$line' offered '$word'"
    failures=$((failures + 1))
  fi
}

expect "check list explain --help --version --cases" "echo-conformance "
expect "check" "echo-conformance ch"
expect "--report --record-corpus" "echo-conformance check --re"
expect "--json" "echo-conformance list --j"
unexpected "--json" "echo-conformance check --j"
expect "--list" "echo-conformance explain --"
expect "json= junit= html=" "echo-conformance check 127.0.0.1:7 --report "
expect "--model --listen --udp-only --version" "echo-server --"
expect "iterative fork epoll" "echo-server --model "
expect "--ping --stream --count --udp -u" "echo-client -"
expect "--rate --json --gso" "echo-bench --"

if [ "$failures" -ne 0 ]; then
  echo "$failures completion check(s) failed"
  exit 1
fi
echo "completion: all checks passed"
