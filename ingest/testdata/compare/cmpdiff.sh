#!/bin/bash
# cmpdiff.sh A B: imports and rejects byte for byte; reports byte for byte, else floats within 1e-9
# relative (DuckDB's parallel sums differ in the last digits from run to run); the interventions'
# bootstrap intervals (low/high) differ from run to run of the same binary and are not compared.
a=$1; b=$2; rc=0
cmp -s $a/imports.txt $b/imports.txt && echo "imports.txt byte-identical" || { echo "imports differ"; rc=1; }
cmp -s $a/rejects.csv $b/rejects.csv && echo "rejects.csv byte-identical" || { echo "rejects differ"; rc=1; }
for f in $a/*.json; do n=$(basename $f); cmp -s $f $b/$n && { echo "$n byte-identical"; continue; }
  skip=""; [[ $n == *interventions* ]] && skip="low high"
  if python3 "$(dirname "$0")/jsoneq.py" $f $b/$n $skip > "$b/eq.out"; then echo "$n equal within 1e-9${skip:+ (low/high skipped)}"; else echo "$n DIFFERS"; head -3 "$b/eq.out"; rc=1; fi; done
exit $rc
