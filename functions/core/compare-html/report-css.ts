/** The report page's stylesheet (inline: the page loads nothing). */
export const REPORT_CSS = `
body{margin:0;background:#f6f7f9;color:#1d2330;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:0 0 6px}
section,header{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:16px 20px;margin:0 0 16px}
.groups{margin:4px 0}.group{display:inline-block;border-left:4px solid;padding:2px 10px;background:#fafbfc}
.vs{color:#888;margin:0 6px}.meta,.hint,footer{color:#5d6575;font-size:12.5px}.none{color:#5d6575}
code{font:12.5px/1.3 ui-monospace,"DejaVu Sans Mono",Menlo,monospace;background:#f0f2f5;border-radius:3px;padding:1px 4px}
ol.findings{padding-left:22px;margin:8px 0 0}li.finding{padding:6px 0;border-bottom:1px solid #eef0f3;display:grid;grid-template-columns:118px 1fr 230px;gap:10px;align-items:center}
.kind{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#5d6575}
.badge{font-size:12px;color:#333;background:#f0f2f5;border-radius:10px;padding:2px 8px;justify-self:start}
table{border-collapse:collapse;width:100%;margin-top:8px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:middle}
th{font-size:12px;color:#5d6575;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(470px,1fr));gap:12px}figure{margin:0}figcaption{margin-bottom:4px}
svg .axis{font-size:10.5px;fill:#5d6575}svg .label{font-size:13px;font-weight:600;fill:#1d2330}svg .inbar{font-size:11px;fill:#fff}
svg .track{fill:#eef0f3}svg .baseline{stroke:#999;stroke-width:1}
.only{font-size:11px;border-radius:8px;padding:1px 6px;color:#fff}.only.a{background:#c0392b}.only.b{background:#2e6da4}
footer{text-align:center;margin-top:8px}
`
