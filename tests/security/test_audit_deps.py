"""bin/audit-deps fails on a vulnerability and never passes off "not audited" as clean."""

from __future__ import annotations

from scripts.audit_deps import verdict


def test_a_known_vulnerability_fails_the_audit():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "redis", "version": "5.0", "vulns": []},
        ]
    }
    code, message = verdict(report)
    assert code == 1
    assert "VULNERABLE django 5.2.0: PYSEC-1 (fixed in: 5.2.1)" in message


def test_packages_without_advisory_data_are_reported_as_not_audited_without_failing():
    report = {"dependencies": [{"name": "celery", "skip_reason": "Dependency not found on PyPI"}]}
    code, message = verdict(report)
    assert code == 0
    assert "NOT AUDITED" in message and "celery" in message
    assert "this is not a pass" in message


def test_a_clean_report_says_how_many_packages_were_audited():
    report = {"dependencies": [{"name": "redis", "version": "5.0", "vulns": []}]}
    assert verdict(report) == (0, "pip-audit: no known vulnerabilities in the 1 packages audited.")
