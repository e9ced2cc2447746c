#!/bin/sh
# cli.sh - the motcua command line end to end: init, calendar, catalog import
# of the national crawl, dossiers, bad input (non-zero exit, one-line
# message, database unchanged), concurrent reception, and check catching an
# edited event log. Needs MOTCUA (the binary) and MOTCUA_ROOT (the repo).
set -u
M=${MOTCUA:?set MOTCUA to the motcua binary}
ROOT=${MOTCUA_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_eq DESC GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok; else no "$1: got '$2', want '$3'"; fi; }
# expect_has DESC HAYSTACK NEEDLE
expect_has() { case "$2" in *"$3"*) ok ;; *) no "$1: '$3' not in '$2'" ;; esac; }

D="$T/node"
export MOTCUA_TEST_NOW="2026-03-02 08:00"
dump() { sqlite3 "$D/motcua.db" .dump | sha256sum; }

# expect_fail DESC CMD... : non-zero exit, one line on stderr, nothing on
# stdout, database unchanged
expect_fail() {
	desc=$1
	shift
	before=$(dump)
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	after=$(dump)
	if [ "$rc" -eq 0 ]; then no "$desc: exit 0"; else ok; fi
	lines=$(wc -l <"$T/err")
	expect_eq "$desc: one-line message ($(head -c 200 "$T/err"))" "$lines" 1
	expect_eq "$desc: database unchanged" "$after" "$before"
}

# ---- help and calendar (no data directory) ----
out=$("$M" help)
expect_has "help lists init" "$out" "motcua init"
expect_has "help lists dossier receive" "$out" "motcua dossier receive"
out=$("$M" help dossier act)
expect_has "help for one command" "$out" "usage: motcua dossier act"
"$M" frobnicate >/dev/null 2>&1 && no "unknown command accepted" || ok
expect_eq "lunar Tết 2025" "$("$M" calendar lunar 2025-01-29)" '{"day":1,"month":1,"year":2025,"leap":false}'
expect_eq "lunar leap" "$("$M" calendar lunar 2023-03-22)" '{"day":1,"month":2,"year":2023,"leap":true}'
expect_eq "solar of 10/3/2026" "$("$M" calendar solar --lunar-year 2026 --lunar-month 3 --lunar-day 10)" "2026-04-26"
expect_eq "solar of leap 1/2/2023" "$("$M" calendar solar --lunar-year 2023 --lunar-month 2 --lunar-day 1 --leap)" "2023-03-22"
"$M" calendar solar --lunar-year 2024 --lunar-month 2 --lunar-day 1 --leap >/dev/null 2>&1 && no "leap month that does not exist" || ok
offs=$("$M" calendar days-off 2025)
expect_has "2025 Tết off" "$offs" "2025-01-29"
case "$offs" in *2025-04-26*) no "make-up Saturday listed as off" ;; *) ok ;; esac
expect_has "2025 swapped day off" "$offs" "2025-05-02"
n=$(echo "$offs" | wc -l)
expect_eq "2025 has 104 weekend days + 12 weekday days off - 1 make-up" "$n" "115"
sorted=$(echo "$offs" | sort -c 2>&1 && echo sorted)
expect_eq "days-off sorted" "$sorted" "sorted"
"$M" calendar days-off 2027 >/dev/null 2>"$T/err"
expect_has "default year noted" "$(cat "$T/err")" "Labour Code"
expect_eq "due 1 working day from Monday 07:00" "$("$M" calendar due --at "2026-03-02 07:00" --time 1 --unit working_days)" "2026-03-02 17:00"
expect_eq "due across Tết 2026" "$("$M" calendar due --at "2026-02-13 16:00" --time 1 --unit working_days)" "2026-02-23 16:00"
expect_eq "same day before cut-off" "$("$M" calendar due --at "2026-03-03 14:59" --time 1 --unit same_day)" "2026-03-03 17:00"
expect_eq "same day after cut-off" "$("$M" calendar due --at "2026-03-03 15:00" --time 1 --unit same_day)" "2026-03-04 17:00"
expect_eq "make-up Saturday works" "$("$M" calendar due --at "2026-01-09 16:00" --time 2 --unit working_hours)" "2026-01-10 08:00"
expect_eq "calendar days onto a weekend" "$("$M" calendar due --at "2026-03-04 10:00" --time 3 --unit calendar_days)" "2026-03-09 17:00"
for bad in "calendar lunar 2025-13-01" "calendar lunar yesterday" "calendar due --at 2026-03-02 --time 1 --unit working_days" \
	"calendar due --at 2026-03-02T07:00 --time -1 --unit working_days" "calendar due --at 2026-03-02T07:00 --time 1 --unit fortnights" \
	"calendar days-off 1066" "calendar solar --lunar-year 2025 --lunar-month 13 --lunar-day 1"; do
	# shellcheck disable=SC2086
	"$M" $bad >/dev/null 2>"$T/err" && no "accepted: $bad" || ok
	expect_eq "one line for: $bad" "$(wc -l <"$T/err")" 1
done

# the CLI and the API share one check (app_days_off, app_due): same words
"$M" calendar due --at "2026-03-02 07:00" --time 1 --unit fortnights >/dev/null 2>"$T/err"
expect_eq "unit message" "$(cat "$T/err")" "motcua: unit must be working_days, working_hours, calendar_days or same_day, not 'fortnights'"
"$M" calendar due --at "2026-03-02 07:00" --time -1 --unit working_days >/dev/null 2>"$T/err"
expect_eq "time message" "$(cat "$T/err")" "motcua: time must be a positive number, not '-1'"
"$M" calendar days-off 1066 >/dev/null 2>"$T/err"
expect_eq "year message" "$(cat "$T/err")" "motcua: year must be a whole number from 1900 to 2199, not '1066'"
expect_eq "due with an ISO time and offset" "$("$M" calendar due --at "2026-03-02T07:00+07:00" --time 1 --unit working_days)" "2026-03-02 17:00"
MOTCUA_TEST_NOW=yesterday "$M" calendar days-off 2026 >/dev/null 2>"$T/err" && no "a malformed MOTCUA_TEST_NOW accepted" || ok
expect_has "MOTCUA_TEST_NOW named" "$(cat "$T/err")" "MOTCUA_TEST_NOW: "

# ---- init ----
"$M" dossier list >/dev/null 2>"$T/err" && no "list without a data directory" || ok
expect_has "missing dir message" "$(cat "$T/err")" "data directory"
"$M" dossier list --dir "$T/nowhere" >/dev/null 2>"$T/err" && no "list in a missing dir" || ok
"$M" init --dir "$D" --agency 000.31.45.H45 --name "Xã Kim Bôi" >/dev/null || no "init"
expect_eq "private key is 0600" "$(stat -c %a "$D/node.key")" "600"
# files: the data directory and the database are the node's alone, even
# when init is given a directory made by hand with a looser mode
expect_eq "data directory is 0700" "$(stat -c %a "$D")" "700"
expect_eq "database is 0600" "$(stat -c %a "$D/motcua.db")" "600"
mkdir -m 755 "$T/loose"
"$M" init --dir "$T/loose" >/dev/null || no "init in an existing 0755 directory"
expect_eq "existing directory made 0700" "$(stat -c %a "$T/loose")" "700"
expect_eq "its database is 0600" "$(stat -c %a "$T/loose/motcua.db")" "600"
expect_eq "its public key is 0600 too (umask 077)" "$(stat -c %a "$T/loose/node.pub")" "600"
chmod 755 "$T/loose"
"$M" check --dir "$T/loose" >/dev/null 2>"$T/err" && no "opened a directory others can read" || ok
expect_has "says how to fix it" "$(cat "$T/err")" "chmod 700 $T/loose"
expect_eq "one line" "$(wc -l <"$T/err")" 1
chmod 700 "$T/loose"
"$M" check --dir "$T/loose" >/dev/null || no "check after chmod 700"
expect_eq "schema version" "$(sqlite3 "$D/motcua.db" 'PRAGMA user_version')" "$(ls "$ROOT"/src/store/migrations/*.sql | sed -n 's|.*/0*\([0-9][0-9]*\)-[^/]*$|\1|p' | sort -n | tail -1)"
# a version-1 database is migrated in place on open
mkdir -m 700 "$T/old"
{ cat "$ROOT/src/store/migrations/0001-schema.sql"; echo "PRAGMA user_version = 1;"
  echo "INSERT INTO setting VALUES ('agency','000.31.45.H45'),('agency_name','Xã cũ');"; } | sqlite3 "$T/old/motcua.db"
"$M" check --dir "$T/old" >/dev/null || no "check on a migrated v1 database"
expect_eq "v1 migrated" "$(sqlite3 "$T/old/motcua.db" 'PRAGMA user_version')" "$(ls "$ROOT"/src/store/migrations/*.sql | sed -n 's|.*/0*\([0-9][0-9]*\)-[^/]*$|\1|p' | sort -n | tail -1)"
expect_eq "v1 migration added sessions" "$(sqlite3 "$T/old/motcua.db" "select count(*) from sqlite_master where name = 'session'")" "1"
expect_eq "journal is WAL" "$(sqlite3 "$D/motcua.db" 'PRAGMA journal_mode')" "wal"
"$M" init --dir "$D" >/dev/null 2>"$T/err" && no "init over an existing dir" || ok
expect_has "init refuses" "$(cat "$T/err")" "refusing"
"$M" init --dir "$T/bad" --agency "x; drop table" >/dev/null 2>&1 && no "init with a bad agency" || ok
# an init that fails half-way leaves nothing behind, and can be retried
MOTCUA_TEST_FAULT=3:io "$M" init --dir "$T/half" >/dev/null 2>&1 && no "init with a failing disk" || ok
[ ! -e "$T/half" ] && ok || no "failed init left $(ls "$T/half" 2>&1)"
"$M" init --dir "$T/half" >/dev/null && ok || no "init retry"
export MOTCUA_DIR="$D"
printf 'mat-khau-123\n' | "$M" user add tn --role reception --name "Nguyễn Thị Lan" >/dev/null || no "user add tn"
printf 'mat-khau-123\n' | "$M" user add cv --role specialist --name "Trần Văn Minh" >/dev/null || no "user add cv"
printf 'mat-khau-123\n' | "$M" user add ld --role leader --name "Hoàng Văn Dũng" >/dev/null || no "user add ld"
expect_has "user list" "$("$M" user list)" "Trần Văn Minh"

# ---- catalog: the national crawl, all 588 ----
out=$("$M" catalog import "$ROOT/tests/data/national-catalog-commune.jsonl")
expect_has "588 imported" "$out" "588 procedures"
expect_has "none rejected" "$out" "0 rejected"
full=$(echo "$out" | sed -n 's/.*: \([0-9]*\) parsed fully.*/\1/p')
[ "${full:-0}" -ge 380 ] && ok || no "fully parsed only ${full:-0} of 588"
expect_eq "588 rows" "$(sqlite3 "$D/motcua.db" 'select count(*) from procedure')" "588"
out=$("$M" catalog import "$ROOT/tests/data/national-catalog-commune.jsonl")
expect_has "re-import updates in place" "$out" "0 new, 588 updated"
expect_eq "still 588 rows" "$(sqlite3 "$D/motcua.db" 'select count(*) from procedure')" "588"
show=$("$M" catalog show 1.000253 --json)
expect_has "1.000253 direct 7 days" "$show" '"time": 7'
expect_has "1.000253 unit" "$show" '"unit": "calendar_days"'
expect_has "1.000253 result code" "$show" 'KQ.G01.00263'
expect_has "text show" "$("$M" catalog show 1.000253)" "Kênh direct"
n1=$("$M" catalog list --q "khai sinh" 2>/dev/null | wc -l)
n2=$("$M" catalog list --q "KHAI SINH" 2>/dev/null | wc -l)
n3=$("$M" catalog list --q "khai sinh" 2>/dev/null | grep -ci "khai sinh")
[ "$n1" -ge 2 ] && ok || no "search khai sinh found $n1"
expect_eq "search ignores case and diacritics" "$n2" "$n1"
expect_eq "every hit matches" "$n3" "$n1"
expect_fail "catalog show unknown" "$M" catalog show 9.999999
expect_fail "catalog import missing file" "$M" catalog import "$T/none.jsonl"
printf 'not json\n{"also":"bad"}\n' >"$T/bad.jsonl"
head -n 3 "$ROOT/tests/data/national-catalog-commune.jsonl" >"$T/three.jsonl"
expect_fail "several files: one missing changes nothing" "$M" catalog import "$T/three.jsonl" "$T/none.jsonl"
expect_fail "catalog import of nothing usable" "$M" catalog import "$T/bad.jsonl"

# ---- dossiers ----
PROC=1.000253
out=$("$M" dossier receive --as tn --procedure $PROC --channel direct --name "Nguyễn Văn An" \
	--id-number 025090001234 --phone 0912345678 --summary "Khai báo tạm trú")
code=$(echo "$out" | cut -f1)
expect_eq "first code" "$code" "000.31.45.H45-260302-0001"
expect_eq "due printed" "$(echo "$out" | cut -f2)" "2026-03-09 17:00"
json=$("$M" dossier receive --as tn --procedure $PROC --channel online --name "Lê Thị Bình" \
	--id-number 025190001234 --phone 0987654321 --json)
expect_has "json receive" "$json" '"code":"000.31.45.H45-260302-0002"'
expect_fail "unknown procedure" "$M" dossier receive --as tn --procedure 9.999999 --name A --id-number 025090001234 --phone 0912345678
expect_fail "bad CCCD" "$M" dossier receive --as tn --procedure $PROC --name A --id-number 12345 --phone 0912345678
expect_fail "CCCD with a bad province" "$M" dossier receive --as tn --procedure $PROC --name A --id-number 099090001234 --phone 0912345678
expect_fail "malformed date" "$M" dossier receive --procedure $PROC --name A --id-number 025090001234 --phone 0912345678 --at "02/03/2026"
expect_fail "back-dating by reception" "$M" dossier receive --as tn --procedure $PROC --name A --id-number 025090001234 --phone 0912345678 --at "2026-02-02 08:00"
expect_fail "bad channel" "$M" dossier receive --as tn --procedure $PROC --channel fax --name A --id-number 025090001234 --phone 0912345678
expect_fail "missing name" "$M" dossier receive --as tn --procedure $PROC --id-number 025090001234 --phone 0912345678
expect_fail "SQL in a name is only text, but a bad phone is refused" "$M" dossier receive --as tn --procedure $PROC --name "x'); DROP TABLE dossier;--" --id-number 025090001234 --phone "1; DROP"
expect_fail "specialist cannot receive" "$M" dossier receive --as cv --procedure $PROC --name A --id-number 025090001234 --phone 0912345678
expect_fail "unknown actor" "$M" dossier receive --as nobody --procedure $PROC --name A --id-number 025090001234 --phone 0912345678
expect_fail "unknown option" "$M" dossier receive --as tn --procedure $PROC --name A --id-number 025090001234 --phone 0912345678 --colour red
expect_fail "unknown action" "$M" dossier act "$code" teleport --as tn
expect_fail "wrong state" "$M" dossier act "$code" approve --as ld
expect_fail "wrong role" "$M" dossier act "$code" assign --to cv --as cv
expect_fail "assign needs --to" "$M" dossier act "$code" assign --as tn
expect_fail "unknown dossier" "$M" dossier act "000.31.45.H45-260302-0999" assign --to cv --as tn
expect_fail "path-like code" "$M" dossier show "../../etc/passwd"
expect_fail "bad new due" "$M" dossier act "$code" apology --new-due "tomorrow" --comment x --as ld
# an SQL-looking name is stored as text
"$M" dossier receive --as tn --procedure $PROC --name "Robert'); DROP TABLE dossier;--" \
	--id-number 025090001234 --phone 0912345678 >/dev/null || no "sql-looking name refused"
expect_eq "dossier table intact" "$(sqlite3 "$D/motcua.db" 'select count(*) from dossier')" "3"

export MOTCUA_TEST_NOW="2026-03-02 09:00"
"$M" dossier act "$code" assign --to cv --as tn >/dev/null || no "assign"
export MOTCUA_TEST_NOW="2026-03-03 09:00"
"$M" dossier act "$code" request_supplement --comment "Thiếu hộ chiếu" --as cv >/dev/null || no "supplement"
export MOTCUA_TEST_NOW="2026-03-04 09:00"
"$M" dossier act "$code" supplement_received --as tn >/dev/null || no "supplement received"
export MOTCUA_TEST_NOW="2026-03-04 10:00"
"$M" dossier act "$code" submit_approval --as cv >/dev/null || no "submit"
"$M" dossier act "$code" approve --as ld >/dev/null || no "approve"
"$M" dossier act "$code" return --comment "Người nộp nhận" --as tn >/dev/null || no "return"
show=$("$M" dossier show "$code")
expect_has "returned" "$show" '"status": "returned"'
expect_has "due moved by the pause" "$show" '"due_at": "2026-03-10T17:00:00+07:00"'
expect_has "history kept" "$show" '"kind": "dossier.supplement_received"'
expect_has "timeliness" "$show" '"timeliness": "early"'
expect_eq "list by status" "$("$M" dossier list --status returned | cut -f1)" "$code"
expect_eq "search ignores diacritics" "$("$M" dossier list --q "le thi binh" | cut -f1)" "000.31.45.H45-260302-0002"
export MOTCUA_TEST_NOW="2026-03-20 09:00"
expect_has "overdue list" "$("$M" dossier list --overdue)" "000.31.45.H45-260302-0002"
expect_fail "list with a bad status" "$M" dossier list --status nonsense
expect_fail "user add with a bad role" sh -c "printf 'mat-khau-123\n' | '$M' user add x1 --role king --name X"
expect_fail "duplicate login" sh -c "printf 'mat-khau-123\n' | '$M' user add tn --role reception --name X"
expect_fail "calendar import of a bad file" "$M" calendar import "$T/bad.jsonl"
printf 'date,weekday,status,civil_servant_working_day,occasion,source\n2030-11-25,Mon,holiday,0,Ngày mới,test\n' >"$T/y2030.csv"
expect_fail "a partial file cannot replace a year" "$M" calendar import "$T/y2030.csv"
"$M" calendar import "$T/y2030.csv" --add >/dev/null || no "calendar import --add"
expect_has "added holiday is a day off" "$("$M" calendar days-off 2030)" "2030-11-25"
expect_has "statutory days kept" "$("$M" calendar days-off 2030)" "2030-09-02"
expect_has "Tết kept" "$("$M" calendar days-off 2030)" "2030-02-04"
case "$("$M" calendar days-off 2030 --dir "$T/none" 2>/dev/null)" in *2030-11-25*) no "other dir" ;; *) ok ;; esac
printf 'date,weekday,status,civil_servant_working_day,occasion,source\n2031-11-24,Mon,holiday,0,Ng\340y,test\n' >"$T/latin1.csv"
expect_fail "calendar import with Latin-1 text" "$M" calendar import "$T/latin1.csv" --add
# the whole shipped schedule replaces its years
"$M" calendar import "$ROOT/data/calendar/holidays-2024-2026.csv" >/dev/null || no "re-import the shipped schedule"
"$M" check >/dev/null || no "check on a good node"

# ---- concurrent reception: 4 processes x 250 ----
export MOTCUA_TEST_NOW="2026-03-05 08:00"
for i in 1 2 3 4; do
	"$M" test-receive --n 250 --procedure $PROC --as tn >"$T/conc$i" 2>&1 &
done
wait
for i in 1 2 3 4; do expect_eq "process $i received" "$(cat "$T/conc$i")" "received 250"; done
got=$(sqlite3 "$D/motcua.db" "select count(*), count(distinct code), min(substr(code,-4)), max(substr(code,-4)) from dossier where code like '%-260305-%'")
expect_eq "1000 distinct codes, serials 0001-1000" "$got" "1000|1000|0001|1000"
"$M" check >/dev/null || no "check after concurrency"

# ---- identity: every case of tests/data/identity_cases.json (issue 10) ----
# The same verdicts as over the API and in the browser: an accepted case
# prints the applicant as stored; a refused one exits non-zero with the
# case's code ({"error":...} on stderr with --json) and adds no event.
I="$T/ident"
"$M" init --dir "$I" --demo >/dev/null 2>&1 || no "init for the identity cases"
CASES="$ROOT/tests/data/identity_cases.json"
ncases=$(jq '.cases | length' "$CASES")
expect_eq "identity cases read" "$([ "$ncases" -ge 30 ] && echo yes)" "yes"
events() { sqlite3 "$I/motcua.db" 'select count(*) from event'; }
i=0
while [ "$i" -lt "$ncases" ]; do
	cj() { jq -r --argjson i "$i" "$1" "$CASES"; }
	cname=$(cj '.cases[$i].name')
	set -- --dir "$I" --as tiepnhan --procedure 1.000253 --channel direct \
		--name "$(cj '.base.name')" --phone "$(cj '.base.phone')"
	for k in kind id_type id_number org_name tax_code representative; do
		if [ "$(cj ".cases[\$i].applicant | has(\"$k\")")" = true ]; then
			set -- "$@" "--$(echo "$k" | tr _ -)" "$(cj ".cases[\$i].applicant.$k")"
		fi
	done
	before=$(events)
	"$M" dossier receive "$@" --json >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$(cj '.cases[$i].ok')" = true ]; then
		expect_eq "identity '$cname' accepted ($(head -c 200 "$T/err"))" "$rc" 0
		for k in $(cj '.cases[$i].stored | keys[]'); do
			expect_eq "identity '$cname' stores $k" "$(jq -r ".applicant.$k" "$T/out")" "$(cj ".cases[\$i].stored.$k")"
		done
		expect_eq "identity '$cname': one event" "$(events)" $((before + 1))
	else
		if [ "$rc" -eq 0 ]; then no "identity '$cname' accepted"; else ok; fi
		expect_eq "identity '$cname' code" "$(jq -r .error.code "$T/err" 2>/dev/null)" "$(cj '.cases[$i].code')"
		expect_eq "identity '$cname': nothing written" "$(events)" "$before"
	fi
	i=$((i + 1))
done
# without --json the message stays one line of text
"$M" dossier receive --dir "$I" --as tiepnhan --procedure 1.000253 --name A --id-number 0381900012345 --phone 0912345678 >/dev/null 2>"$T/err"
expect_eq "identity error as text" "$(cat "$T/err")" "motcua: id_number must be 12 digits"

# ---- check catches an edited event ----
seq=$(sqlite3 "$D/motcua.db" "select min(seq) from event where kind = 'dossier.received'")
sqlite3 "$D/motcua.db" "DROP TRIGGER event_no_update; UPDATE event SET payload = replace(payload, 'Nguyễn Văn An', 'Nguyễn Văn Ân') WHERE seq = $seq"
"$M" check >/dev/null 2>"$T/err" && no "check missed an edited payload" || ok
expect_has "check names the event" "$(cat "$T/err")" "event $seq"
cp "$D/motcua.db" "$T/copy.db"
sqlite3 "$D/motcua.db" "UPDATE event SET payload = replace(payload, 'Nguyễn Văn Ân', 'Nguyễn Văn An') WHERE seq = $seq"
"$M" check >/dev/null || no "check after restoring"
sqlite3 "$D/motcua.db" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE seq = 5"
"$M" check >/dev/null 2>"$T/err" && no "check missed a deleted event" || ok
expect_has "check names the gap" "$(cat "$T/err")" "event 5"
cp "$T/copy.db" "$D/motcua.db"
rm -f "$D/motcua.db-wal" "$D/motcua.db-shm"
sqlite3 "$D/motcua.db" "UPDATE event SET payload = replace(payload, 'Nguyễn Văn Ân', 'Nguyễn Văn An') WHERE seq = $seq"
"$M" check >/dev/null || no "check on the restored copy"
sqlite3 "$D/motcua.db" "UPDATE event SET actor = actor || char(0) || 'forged' WHERE seq = 7"
"$M" check >/dev/null 2>"$T/err" && no "check missed an edit hidden after a NUL byte" || ok
expect_has "check names the NUL edit" "$(cat "$T/err")" "event 7"
# a log cut short at its tail: the chain verifies, the dossiers do not agree
cp "$T/copy.db" "$D/motcua.db"
rm -f "$D/motcua.db-wal" "$D/motcua.db-shm"
sqlite3 "$D/motcua.db" "UPDATE event SET payload = replace(payload, 'Nguyễn Văn Ân', 'Nguyễn Văn An') WHERE seq = $seq; DROP TRIGGER IF EXISTS event_no_delete; DELETE FROM event WHERE seq > (SELECT max(seq) - 3 FROM event)"
"$M" check >/dev/null 2>"$T/err" && no "check missed a truncated log" || ok
expect_has "check names the missing tail" "$(cat "$T/err")" "missing from the end"

# make bench section 9, small: the reports over made-up dossiers of 5
# communes; the indexed count of the same rows equals II.06a's received.
B="$T/bench"
"$M" init --dir "$B" --agency 000.31.45.H45 --name "Xã Bench" >/dev/null
"$M" catalog import "$ROOT/data/catalog/commune.jsonl" --dir "$B" >/dev/null
out=$("$M" test-bench-reports --n 3000 --agencies 5 --dir "$B" 2>/dev/null) || no "test-bench-reports failed"
expect_has "bench: II.06a timed" "$out" "ii06a year ("
expect_has "bench: 766 timed" "$out" "766   year ("
expect_has "bench: the count agrees" "$out" "(equals II.06a's received)"
expect_has "bench: memory printed" "$out" "peak RSS of the report runs"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
