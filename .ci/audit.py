"""Dependency audit (`make audit`): pip-audit over the packages installed from the pins of `pyproject.toml`.

Exit status: 0 every package audited and none vulnerable; 1 a known vulnerability (listed); 3 « not audited » — the
vulnerability service could not be reached, or answered for only some packages (pip-audit then reports them as
skipped and would say « No known vulnerabilities found »: that is never taken as a pass); 2 pip-audit itself failed.
"""

import json
import subprocess
import sys
from pathlib import Path

NOT_AUDITED = 3
VENV_BIN = Path(sys.executable).parent


def main() -> int:
    command = [
        str(VENV_BIN / "pip-audit"),
        "--local",  # the virtualenv's packages: the pins and what they pull in
        "--skip-editable",  # Maille itself
        "--format",
        "json",
        "--progress-spinner",
        "off",
        *sys.argv[1:],
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit a échoué (code {result.returncode}) : {result.stderr.strip()[-500:]}")
        return 2
    dependencies = report.get("dependencies", [])
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "aucun correctif"
            print(f"{dep['name']} {dep.get('version', '')} : {vuln['id']} (corrigé dans : {fixes})")
    audited = len(dependencies) - len(skipped)
    if vulnerable:
        print(f"AUDIT : {len(vulnerable)} paquet(s) vulnérable(s) sur {audited} audités.")
        return 1
    if not dependencies or skipped:
        reason = skipped[0]["skip_reason"] if skipped else "aucun paquet"
        print(
            f"NON AUDITÉ : {len(skipped)} paquet(s) sur {len(dependencies)} non vérifiés, service de vulnérabilités "
            f"injoignable ({reason})."
        )
        return NOT_AUDITED
    print(f"AUDIT : {audited} paquets audités, aucune vulnérabilité connue.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
