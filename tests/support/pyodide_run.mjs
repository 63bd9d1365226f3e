// Run a workbook's main.py under Pyodide in Node.js with the Lite book double
// (tests/fake_lite.py) and print the double's record as JSON on the last line.
// Usage: node pyodide_run.mjs PYODIDE_DIR JOB.json
// JOB: {"fake_lite": text, "main": text, "name": text, "values": {sheet: rows},
//       "script_index": n}. No network: Pyodide loads from PYODIDE_DIR only.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, jobPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const started = Date.now();
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: (s) => console.error(s) });
const job = JSON.parse(readFileSync(jobPath, "utf8"));
pyodide.FS.mkdirTree("/lite");
pyodide.FS.writeFile("/lite/fake_lite.py", job.fake_lite);
pyodide.FS.writeFile("/lite/job.json", JSON.stringify(job));
const out = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/lite")
import fake_lite
with open("/lite/job.json", encoding="utf-8") as fh:
    job = json.load(fh)
book = fake_lite.Book(job["name"], job["values"])
record = fake_lite.run_main(job["main"], book, job.get("script_index", 0))
record["python"] = sys.version.split()[0]
record["platform"] = sys.platform
json.dumps(record)
`);
console.error(`pyodide run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(out);
