#!/usr/bin/env bash
# Runs a command and then says what the machine lent to others meanwhile: the share of CPU time
# the hypervisor gave to other guests ("steal", from /proc/stat), and the load average before.
# On a shared virtual machine a benchmark's wall clock can move with the steal (the same binary
# has run 25 % slower here than an hour before), so a figure in BENCHMARKS.md reads better with
# this line beside it. (`top -bn1` is no measure of it: its first frame is not a real interval.)
# Usage: scripts/machine.sh COMMAND [ARGS...]   (the command's exit status is kept)
set -uo pipefail
if [ $# -eq 0 ]; then
  echo "usage: scripts/machine.sh COMMAND [ARGS...]" >&2
  exit 2
fi
cpu() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $9}' /proc/stat; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
read -r total0 steal0 < <(cpu)
"$@"
status=$?
read -r total1 steal1 < <(cpu)
awk -v t="$((total1 - total0))" -v s="$((steal1 - steal0))" -v l="$load" 'BEGIN {
  share = (t > 0) ? 100 * s / t : 0
  printf "machine: %.0f %% of CPU time stolen by other guests during the run; load average before: %s\n", share, l
}' >&2
exit $status
