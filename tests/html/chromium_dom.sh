#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# chromium_dom.sh VIGIL BUILD_DIR - the HTML report in a real browser.
# Builds results whose evidence holds markup and script (a file named
# "<img src=x onerror=alert(1)>.xml", a value closing the JSON script
# element, an attribute breaker), renders `vigil report --format html` in
# headless Chromium, dumps the DOM and takes a screenshot into BUILD_DIR.
# Passes when: the evidence shows as text, no element came from evidence,
# no evidence script ran (document.title unchanged), and the page's own
# script ran (table filter count and timeline bars present).
# Without chromium it prints a visible skip and exits 77 (ctest: skipped).
set -u
vigil=$1
out=$(cd "$2" && pwd)/html-test
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "# SKIP chromium not installed (Debian package 'chromium')"
    exit 77
fi
rm -rf "$out"; mkdir -p "$out"
ud=$(mktemp -d); trap 'rm -rf "$ud"' EXIT
cat >"$out/in.jsonl" <<'JSONL'
{"schema_version":1,"@timestamp":"2023-11-03T09:12:44Z","host":{"name":"RX01"},"event":{"module":"files","severity":3,"kind":"alert"},"vigil":{"severity":"high","title":"MSBuild inline task payload","reason":"C# inline task in an XML project in a temp folder","remediation":"isolate the host"},"file":{"path":"C:/Windows/Temp/<img src=x onerror=alert(1)>.xml"}}
{"schema_version":1,"@timestamp":"2023-11-02T10:00:00Z","host":{"name":"RX01<b>bold</b>"},"event":{"module":"hunt","severity":2,"kind":"alert"},"vigil":{"severity":"medium","title":"</script><script>document.title='PWNED-json'</script>","matched":{"a\"b":"\" onmouseover=\"document.title='PWNED-attr'","c":"<!--<script>document.title='PWNED-comment'</script>"}},"file":{"path":"System.evtx"},"evidence":{"record_id":3}}
{"schema_version":1,"host":{"name":"RX01"},"event":{"module":"rmm","severity":0,"kind":"alert"},"vigil":{"severity":"info","title":"<svg onload=\"document.title='PWNED-svg'\">AnyDesk","extra":{"id":"<iframe src=javascript:document.title='PWNED-frame'>"}},"file":{"path":"C:/ProgramData/AnyDesk/system.conf"}}
JSONL
"$vigil" report --format html --output "$out/report.html" "$out/in.jsonl"
[ $? -le 1 ] || { echo "vigil report failed"; echo "0 passed, 1 failed"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update
       --disable-sync "--user-data-dir=$ud")
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/report.html" \
    >"$out/dom.html" 2>"$out/chromium.err"
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$out/report.html#sort=2" \
    >"$out/dom-sorted.html" 2>>"$out/chromium.err"
timeout 120 "$browser" "${flags[@]}" --window-size=1280,1600 \
    "--screenshot=$out/report.png" "file://$out/report.html" \
    >/dev/null 2>>"$out/chromium.err"

pass=0 fail=0
check() { # check NAME COMMAND...
    if "${@:2}"; then pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
dom="$out/dom.html"
check "DOM dumped" test -s "$dom"
check "no <img> element from evidence" bash -c "! grep -q '<img' '$dom'"
check "no <iframe> element from evidence" bash -c "! grep -q '<iframe' '$dom'"
check "no <b> element from evidence" bash -c "! grep -q '<b>bold' '$dom'"
check "no evidence svg element with onload" bash -c "! grep -qi '<svg onload' '$dom'"
check "file name shown as text" grep -qF '&lt;img src=x onerror=alert(1)&gt;.xml' "$dom"
check "script-closing title shown as text" grep -qF '&lt;/script&gt;&lt;script&gt;document.title=' "$dom"
check "no evidence script ran" bash -c "! grep -q '<title>[^<]*PWNED' '$dom'"
check "exactly the page's two script elements" test "$(grep -o '<script' "$dom" | wc -l)" -eq 2
check "page script ran: filter count" grep -qF '<span id="shown">3 of 3 shown</span>' "$dom"
check "page script ran: timeline bars" grep -q '<rect x=' "$dom"
check "inventory row present" grep -qF 'AnyDesk</td>' "$dom"
check "verdict shown" grep -qF '<p class="vw">COMPROMISED</p>' "$dom"
check "screenshot taken" test -s "$out/report.png"
# rows as Vigil wrote them: high, medium, info; sorted by score ascending
# (#sort=2): info, medium, high
order() { grep -o '<tr data-sev="[0-9]"' "$1" | tr -dc '0-9'; }
check "table as written: severity order" test "$(order "$dom")" = "320"
check "table sorted by score, ascending" test "$(order "$out/dom-sorted.html")" = "023"
check "sorted column marked" grep -q 'aria-sort="ascending"' "$out/dom-sorted.html"
echo "screenshot: $out/report.png"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
