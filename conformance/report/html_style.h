// The inline style sheet and script of the HTML report (html_report.cc),
// apart so that the markup code stays readable. No fonts, images or URLs:
// the report must render offline and its Content-Security-Policy forbids
// every network request.
#pragma once

namespace echo::conformance::report {

inline constexpr const char* kHtmlStyle = R"css(
:root { color-scheme: light; --border: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #1f2328; background: #ffffff; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
dl.run { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0 0 .75rem; }
dl.run div { display: flex; gap: .4rem; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; font-weight: 600; }
ul.legend { display: flex; flex-wrap: wrap; gap: .4rem 1rem; list-style: none; padding: 0; margin: 0 0 .75rem; }
ul.legend li { display: flex; align-items: center; gap: .35rem; color: var(--muted); }
.swatch { display: inline-block; min-width: 3.2rem; text-align: center; padding: 0 .3rem;
  border-radius: 4px; font-weight: 600; font-size: 12px; text-transform: uppercase; }
html:not(.js) .controls { display: none; }
.controls { display: flex; gap: .75rem; align-items: center; margin-bottom: 1rem; }
button { font: inherit; padding: .2rem .7rem; border: 1px solid var(--border); border-radius: 6px;
  background: #f6f8fa; cursor: pointer; }
table.matrix { border-collapse: separate; border-spacing: 0; width: 100%; }
table.matrix th, table.matrix td { border-bottom: 1px solid var(--border); padding: .35rem .5rem;
  vertical-align: top; text-align: left; }
table.matrix thead th { position: sticky; top: 0; background: #f6f8fa; z-index: 1;
  border-bottom: 2px solid var(--border); }
th.target small { display: block; font-weight: normal; color: var(--muted); }
th.target .counts { display: block; font-weight: normal; font-size: 12px; }
th.target .badge { font-size: 11px; font-weight: 600; text-transform: uppercase; padding: 0 .3rem;
  border-radius: 4px; background: #fff1e5; color: #9a3c00; vertical-align: middle; }
td.cell details[open] summary .preview { display: none; }
td.cell summary .preview { display: block; font-weight: normal; text-transform: none; font-size: 12px;
  overflow-wrap: anywhere; }
th.target .note { display: block; font-weight: normal; font-size: 12px; color: #9a3c00; }
th.case .title { font-weight: normal; }
th.case .source { font-weight: normal; color: var(--muted); font-size: 12px; }
td.level { color: var(--muted); font-size: 12px; white-space: nowrap; }
td.level.level-required { color: #1f2328; font-weight: 600; }
td.cell { min-width: 9rem; }
td.cell summary { cursor: pointer; font-weight: 600; text-transform: uppercase; font-size: 12px; }
td.cell summary .duration { font-weight: normal; text-transform: none; color: var(--muted); }
td.cell dl { margin: .4rem 0 0; display: grid; grid-template-columns: auto 1fr; gap: .1rem .5rem; }
td.cell dt { color: var(--muted); }
td.cell dd { margin: 0; }
td.cell pre { white-space: pre-wrap; word-break: break-all; margin: .4rem 0 0; padding: .4rem;
  background: rgba(255,255,255,.7); border-radius: 4px; max-height: 20rem; overflow: auto; }
table.figures { border-collapse: collapse; margin-top: .4rem; font-size: 12px; }
table.figures td { border: none; padding: 0 .6rem 0 0; }
.verdict-pass { background: #dafbe1; color: #116329; }
.verdict-fail { background: #ffebe9; color: #a40e26; }
.verdict-warn { background: #fff8c5; color: #7d4e00; }
.verdict-info { background: #ddf4ff; color: #0550ae; }
.verdict-skip { background: #f6f8fa; color: #6e7781; }
.verdict-not-judged { background: #f6f8fa; color: #6e7781; font-style: italic; }
section.findings { margin: 0 0 16px; }
section.findings h3 small { font-weight: normal; color: #6e7781; }
ol.finding-list { padding-left: 20px; }
li.finding { margin: 0 0 10px; }
li.finding p { margin: 4px 0; max-width: 110ch; }
.finding-head { font-weight: 600; }
.severity { text-transform: uppercase; font-size: 12px; padding: 1px 5px; border-radius: 3px; }
.severity-error .severity { background: #ffebe9; color: #cf222e; }
.severity-warning .severity { background: #fff8c5; color: #9a6700; }
.severity-note .severity { background: #ddf4ff; color: #0550ae; }
p.explains, p.diagnosis { color: #57606a; font-size: 13px; }
.verdict-none { background: #ffffff; color: #6e7781; }
tr.differs th.case { box-shadow: inset 4px 0 0 #fb8500; background: #fff1e5; }
td.cell.differs-cell { outline: 2px solid #fb8500; outline-offset: -2px; }
.swatch.differs { background: #fff1e5; color: #9a3c00; box-shadow: inset 4px 0 0 #fb8500; }
body.only-problems tr.case:not(.problem) { display: none; }
)css";

inline constexpr const char* kHtmlScript = R"js(
document.documentElement.classList.add('js');
document.getElementById('expand').addEventListener('click', function () {
  document.querySelectorAll('td.cell details').forEach(function (d) { d.open = true; });
});
document.getElementById('collapse').addEventListener('click', function () {
  document.querySelectorAll('td.cell details').forEach(function (d) { d.open = false; });
});
document.getElementById('only-problems').addEventListener('change', function (e) {
  document.body.classList.toggle('only-problems', e.target.checked);
});
)js";

}  // namespace echo::conformance::report
