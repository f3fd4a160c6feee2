"""Audit the installed Python dependencies for known vulnerabilities (pip-audit), honestly.

Exit 1 when pip-audit reports a vulnerability. When the advisory service cannot be reached, or
answers for none (or only some) of the packages, say so plainly: such packages were NOT
audited. That alone does not fail CI (the build machine may have no route to the service), but
the message never reads as a clean bill of health.
"""

from __future__ import annotations

import json
import subprocess
import sys

TIMEOUT = 300


def verdict(report: dict) -> tuple[int, str]:
    """The exit code and the message for a pip-audit JSON report."""
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(
                f"VULNERABLE {dep['name']} {dep.get('version', '')}: {vuln['id']} "
                f"(fixed in: {fixes})"
            )
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(
            f"NOT AUDITED: the advisory service gave no data for {len(skipped)} of {len(deps)} "
            f"packages ({names}). They may have known vulnerabilities; run bin/audit-deps where "
            "pypi.org's JSON API is reachable."
        )
    if vulnerable:
        lines.append(f"pip-audit: {len(vulnerable)} vulnerable package(s).")
        return 1, "\n".join(lines)
    if audited:
        lines.append(f"pip-audit: no known vulnerabilities in the {audited} packages audited.")
    else:
        lines.append("pip-audit: nothing could be audited; this is not a pass.")
    return 0, "\n".join(lines)


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "-f", "json", "--progress-spinner", "off"]
    command += ["--skip-editable", *sys.argv[1:]]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"NOT AUDITED: pip-audit did not finish in {TIMEOUT} s (no route to the service?).")
        return 0
    except FileNotFoundError:
        print("NOT AUDITED: pip-audit is not installed (pip install -e '.[dev]').")
        return 0
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"NOT AUDITED: pip-audit could not reach the advisory service ({last}).")
        return 0
    code, message = verdict(report)
    print(message)
    return code


if __name__ == "__main__":
    sys.exit(main())
