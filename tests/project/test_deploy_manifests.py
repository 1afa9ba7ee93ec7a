"""deploy/kubernetes validates against the Kubernetes schemas (kubernetes-validate, offline, in
.venv-tools: its jsonschema>=4.23 cannot live beside Rasa 3.6), and holds the topology the
capacity plan counts on (docs/deployment.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "kubernetes"
VALIDATOR = ROOT / ".venv-tools" / "bin" / "kubernetes-validate"
K8S_VERSION = "1.30.0"


def documents() -> list[dict]:
    docs = []
    for path in sorted(DEPLOY.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def validate(*paths: Path) -> subprocess.CompletedProcess:
    assert VALIDATOR.exists(), "no .venv-tools: `make test` builds it (requirements-tools.txt)"
    return subprocess.run(
        [str(VALIDATOR), "--strict", "--no-warn", "-k", K8S_VERSION, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_manifests_validate_against_the_kubernetes_schemas():
    paths = sorted(DEPLOY.glob("*.yaml"))
    assert paths
    done = validate(*paths)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("passed") == len(documents())


def test_the_validator_rejects_a_broken_manifest(tmp_path):
    broken = yaml.safe_load_all((DEPLOY / "40-rasa.yaml").read_text())
    deployment = next(d for d in broken if d["kind"] == "Deployment")
    deployment["spec"]["replicas"] = "two"
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["prot"] = 1
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(deployment))
    assert validate(path).returncode != 0


def by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


def test_the_topology_is_complete():
    deployments = by_kind("Deployment")
    assert {"sathi-rasa", "sathi-actions"} <= set(deployments)
    hpa = by_kind("HorizontalPodAutoscaler")
    assert hpa["sathi-rasa"]["spec"]["scaleTargetRef"]["name"] == "sathi-rasa"
    assert hpa["sathi-rasa"]["spec"]["minReplicas"] >= 2
    pdbs = {
        d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for d in by_kind("PodDisruptionBudget").values()
    }
    assert {"sathi-rasa", "sathi-actions"} <= pdbs
    for deployment in deployments.values():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"]
        assert container["livenessProbe"]["httpGet"]["path"]
        refs = [e.get("secretRef", {}).get("name") for e in container.get("envFrom", [])]
        assert "sathi-secrets" in refs
        assert container["resources"]["limits"]["memory"]
    rasa = deployments["sathi-rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert (
        "endpoints.production.yml" in rasa["args"] and "credentials.production.yml" in rasa["args"]
    )
    externals = {
        n for n, s in by_kind("Service").items() if s["spec"].get("type") == "ExternalName"
    }
    assert {"sathi-postgres", "sathi-redis"} <= externals


def test_only_the_whatsapp_webhook_is_public():
    ingresses = list(by_kind("Ingress").values())
    assert len(ingresses) == 1
    paths = [p for rule in ingresses[0]["spec"]["rules"] for p in rule["http"]["paths"]]
    assert [p["path"] for p in paths] == ["/webhooks/whatsapp/"]
    assert paths[0]["backend"]["service"]["name"] == "sathi-rasa"


@pytest.mark.parametrize("kind", ["Secret"])
def test_no_real_secret_is_committed(kind):
    for secret in by_kind(kind).values():
        assert set((secret.get("stringData") or {}).values()) <= {"replace-me"}
        assert not secret.get("data")
