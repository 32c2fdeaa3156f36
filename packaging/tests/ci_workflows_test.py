#!/usr/bin/env python3
"""The GitHub Actions workflows in .github/workflows/ (docs/ci.md), checked
without GitHub: each file parses as YAML; only keys GitHub Actions defines are
used at the workflow, job and step level; every step either runs a command or
uses an action pinned to a version, with only inputs that action takes; every
${{ matrix.X }} names a matrix dimension; and what they assume of this
repository holds (the workflow preset exists, the reports uploaded are the
ones written, the ClusterFuzzLite language matches .clusterfuzzlite/project.yaml,
docs/ci.md shows every workflow).

  ci_workflows_test.py SOURCE_DIR
"""
import glob
import json
import os
import re
import sys

import yaml

WORKFLOW_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
TRIGGERS = {"push", "pull_request", "pull_request_target", "workflow_dispatch", "schedule",
            "workflow_call", "release", "merge_group"}
JOB_KEYS = {"name", "needs", "permissions", "if", "runs-on", "environment", "concurrency",
            "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy",
            "continue-on-error", "container", "services"}
STEP_KEYS = {"id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error",
             "timeout-minutes", "working-directory"}
# The inputs of the actions used (from each action's action.yml).
ACTION_INPUTS = {
    "actions/checkout": {"repository", "ref", "token", "ssh-key", "persist-credentials", "path",
                         "clean", "fetch-depth", "fetch-tags", "submodules", "lfs"},
    "actions/upload-artifact": {"name", "path", "if-no-files-found", "retention-days",
                                "compression-level", "overwrite", "include-hidden-files"},
    "google/clusterfuzzlite/actions/build_fuzzers": {
        "language", "github-token", "sanitizer", "dry-run", "allowed-broken-targets-percentage",
        "project-src-path", "bad-build-check", "keep-unaffected-fuzz-targets", "upload-build",
        "storage-repo", "storage-repo-branch", "storage-repo-branch-coverage", "output-sarif",
        "architecture"},
    "google/clusterfuzzlite/actions/run_fuzzers": {
        "github-token", "fuzz-seconds", "mode", "sanitizer", "dry-run", "report-unreproducible-crashes",
        "report-timeouts", "report-ooms", "minimize-crashes", "storage-repo", "storage-repo-branch",
        "storage-repo-branch-coverage", "output-sarif", "parallel-fuzzing", "language"},
}
REQUIRED_INPUTS = {
    "actions/upload-artifact": {"path"},
    "google/clusterfuzzlite/actions/build_fuzzers": {"language", "sanitizer"},
    "google/clusterfuzzlite/actions/run_fuzzers": {"github-token", "fuzz-seconds", "mode",
                                                   "sanitizer"},
}
RUN_FUZZERS_MODES = {"code-change", "batch", "prune", "coverage"}
SANITIZERS = {"address", "undefined", "memory", "coverage"}

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


def strings_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    else:
        yield str(value)


def check_step(where, step, matrix):
    for key in set(step) - STEP_KEYS:
        problem(where, f"unknown step key {key!r}")
    if ("uses" in step) == ("run" in step):
        problem(where, "a step needs exactly one of 'uses' and 'run'")
    if "uses" in step:
        match = re.fullmatch(r"([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([\w.-]+)", step["uses"])
        if not match:
            problem(where, f"'uses: {step['uses']}' is not OWNER/REPO[/PATH]@VERSION")
            return
        action = match.group(1)
        inputs = set(step.get("with", {}))
        if action not in ACTION_INPUTS:
            problem(where, f"action {action} is not one this test knows the inputs of")
            return
        for name in inputs - ACTION_INPUTS[action]:
            problem(where, f"{action} takes no input {name!r}")
        for name in REQUIRED_INPUTS.get(action, set()) - inputs:
            problem(where, f"{action} needs the input {name!r}")
        with_ = step.get("with", {})
        if action.endswith("run_fuzzers") and with_.get("mode") not in RUN_FUZZERS_MODES:
            problem(where, f"run_fuzzers mode {with_.get('mode')!r} is not one of {RUN_FUZZERS_MODES}")
    text = "\n".join(strings_in(step))
    for name in re.findall(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}", text):
        if name not in matrix:
            problem(where, f"matrix.{name} is not a matrix dimension")
    if text.count("${{") != text.count("}}"):
        problem(where, "unbalanced ${{ }}")


def check_workflow(path):
    name = os.path.basename(path)
    with open(path) as f:
        workflow = yaml.safe_load(f)
    if not isinstance(workflow, dict):
        problem(name, "not a mapping")
        return workflow
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    for key in set(workflow) - WORKFLOW_KEYS:
        problem(name, f"unknown workflow key {key!r}")
    for key in ("name", "on", "jobs"):
        if key not in workflow:
            problem(name, f"missing {key!r}")
    triggers = workflow.get("on") or {}
    for trigger in (triggers if isinstance(triggers, dict) else [triggers]):
        if trigger not in TRIGGERS:
            problem(name, f"unknown trigger {trigger!r}")
    for job_id, job in (workflow.get("jobs") or {}).items():
        where = f"{name} job {job_id}"
        for key in set(job) - JOB_KEYS:
            problem(where, f"unknown job key {key!r}")
        if "runs-on" not in job or not job.get("steps"):
            problem(where, "needs 'runs-on' and 'steps'")
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        for sanitizer in matrix.get("sanitizer", []):
            if sanitizer not in SANITIZERS:
                problem(where, f"unknown sanitizer {sanitizer!r}")
        for index, step in enumerate(job.get("steps") or []):
            check_step(f"{where} step {index + 1} ({step.get('name', '')})", step, matrix)
    return workflow


def steps_of(workflow):
    for job in workflow["jobs"].values():
        yield from job["steps"]


def check_repository_assumptions(source_dir, workflows):
    with open(os.path.join(source_dir, "CMakePresets.json")) as f:
        presets = json.load(f)
    workflow_presets = {p["name"] for p in presets.get("workflowPresets", [])}
    with open(os.path.join(source_dir, ".clusterfuzzlite/project.yaml")) as f:
        cflite_language = yaml.safe_load(f)["language"]
    with open(os.path.join(source_dir, "docs/ci.md")) as f:
        ci_doc = f.read()
    for name, workflow in workflows.items():
        if f".github/workflows/{name}" not in ci_doc:
            problem(name, "docs/ci.md does not show it")
        runs = "\n".join(step.get("run", "") for step in steps_of(workflow))
        for preset in re.findall(r"--workflow --preset (\S+)", runs):
            if preset not in workflow_presets:
                problem(name, f"no workflow preset {preset!r} in CMakePresets.json")
        written = set(re.findall(r"--report (?:json|junit|html)=(\S+)", runs))
        for fmt in re.findall(r"--report (\w+)=", runs):
            if fmt not in ("json", "junit", "html"):
                problem(name, f"echo-conformance writes no {fmt!r} report")
        for step in steps_of(workflow):
            uses = step.get("uses", "")
            if uses.startswith("actions/upload-artifact"):
                uploaded = set(str(step["with"]["path"]).split())
                if uploaded != written:
                    problem(name, f"uploads {sorted(uploaded)} but writes {sorted(written)}")
            if "clusterfuzzlite/actions/build_fuzzers" in uses:
                if step["with"]["language"] != cflite_language:
                    problem(name, f"language {step['with']['language']!r} but "
                                  f".clusterfuzzlite/project.yaml says {cflite_language!r}")
    if "echo-conformance.yml" not in workflows:
        problem(".github/workflows", "no echo-conformance.yml")
    modes = {step.get("with", {}).get("mode") for w in workflows.values() for step in steps_of(w)}
    for mode in ("code-change", "batch"):
        if mode not in modes:
            problem(".github/workflows", f"no ClusterFuzzLite {mode} workflow")


def main():
    source_dir = sys.argv[1]
    paths = sorted(glob.glob(os.path.join(source_dir, ".github/workflows/*.yml")))
    workflows = {}
    for path in paths:
        try:
            workflows[os.path.basename(path)] = check_workflow(path)
        except yaml.YAMLError as error:
            problem(os.path.basename(path), f"not valid YAML: {error}")
    if not problems:
        check_repository_assumptions(source_dir, workflows)
    for line in problems:
        print("FAIL:", line)
    print(f"{len(paths)} workflows, {len(problems)} problems")
    return 1 if problems or not paths else 0


if __name__ == "__main__":
    sys.exit(main())
