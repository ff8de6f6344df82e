#!/bin/bash
# Before/after check of an ingest change: compare.sh OUT BINARY ORGDIR (ORGDIR from `absence generate --format native`)
# for the old and the new binary, then cmpdiff.sh OUT_OLD OUT_NEW.
# compare.sh OUTDIR BIN ORGDIR : imports an organisation (periods db and events db, plus a second
# periods snapshot with changes, plus dirty fixtures) and writes every report as JSON into OUTDIR.
set -u
out=$1; bin=$2; org=$3; here=$(cd "$(dirname "$0")" && pwd); fx=$here/../../../datasets/fixtures
mkdir -p $out; d=$(mktemp -d)
imp() { db=$1; shift; $bin import -db $d/$db "$@" 2>&1 | sed -E 's/[0-9.]+(ms|s|µs)\b/T/g; s/import [0-9]+/import N/g; s#'"$d"'#D#g' ; }
awk 'NR==1 || NR%50!=7' $org/absence_periods.csv | sed -E '0~97s/,100,/,60,/' > $d/periods2.csv
{
imp p.duckdb -extract-date 2026-06-30 $org/employments.csv
imp p.duckdb -extract-date 2026-06-30 -rejects $d/rej1.csv $org/absence_periods.csv
imp p.duckdb -extract-date 2026-06-30 $org/interventions.csv
[ -f $org/milestones.csv ] && imp p.duckdb -extract-date 2026-06-30 $org/milestones.csv
imp p.duckdb -extract-date 2026-07-31 -allow-shrink -rejects $d/rej2.csv $d/periods2.csv
imp e.duckdb -extract-date 2026-06-30 $org/employments.csv
imp e.duckdb -extract-date 2026-06-30 -rejects $d/rej3.csv $org/absence_events.csv
imp f.duckdb -extract-date 2026-06-30 $fx/afas_dienstverband.csv
for f in messy_afas_verzuim.csv org_afas_events.csv org_native_periods.csv org_visma_periods.csv visma_vangnet.csv damaged/absence_periods.csv damaged/mixed_line_endings.csv; do
  imp f.duckdb -extract-date 2026-06-30 -dry-run -rejects $d/rej-$(basename $f) $fx/$f
done
# A bureau's combined files: the organisation's employees split over two employers (the name
# now and then lower case, after a space), one row naming an employer the installation lacks.
for e in "Bakkerij Jansen" "Zorggroep Noord"; do $bin employers add -db $d/c.duckdb "$e" > /dev/null; done
for f in employments absence_periods; do
  awk -F, 'NR==1 {print "Werkgever," $0; next} {w = substr($1, length($1)) % 2 ? "Bakkerij Jansen" : "Zorggroep Noord"
    if (NR % 7 == 0) w = " " tolower(w); if (NR == 5) w = "Onbekend BV"; print "\"" w "\"," $0}' $org/$f.csv > $d/bureau_$f.csv
done
imp c.duckdb -extract-date 2026-06-30 -profile $fx/bureau_employments.toml $d/bureau_employments.csv
imp c.duckdb -extract-date 2026-06-30 -profile $fx/bureau_periods.toml -rejects $d/rej4.csv $d/bureau_absence_periods.csv
} > $out/imports.txt
cat $d/rej*.csv > $out/rejects.csv 2>/dev/null
for db in p e; do
  for a in "" "-by department" "-by age"; do
    $bin report -db $d/$db.duckdb -from 2025-01-01 -to 2025-12-31 $a -format json > "$out/$db-kpis${a// /_}.json" 2>&1
  done
  for k in survival outcomes progression interventions; do
    $bin report $k -db $d/$db.duckdb -format json > $out/$db-$k.json 2>&1
  done
done
for e in "Bakkerij Jansen" "Zorggroep Noord"; do
  $bin report -db $d/c.duckdb -employer "$e" -from 2025-01-01 -to 2025-12-31 -format json > "$out/c-kpis-${e// /_}.json" 2>&1
  $bin report survival -db $d/c.duckdb -employer "$e" -format json > "$out/c-survival-${e// /_}.json" 2>&1
done
rm -rf $d
