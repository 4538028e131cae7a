"""No Docker engine runs here: check that the compose file parses and that every path it names exists."""

from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parent.parent / "docker"


def _compose():
    return yaml.safe_load((DOCKER / "docker-compose.yml").read_text())


def test_compose_parses_with_odoo_and_postgres():
    services = _compose()["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["odoo"]["ports"] == ["8069:8069"]
    dockerfile = (DOCKER / services["odoo"]["build"]["dockerfile"].replace("docker/", "")).read_text()
    assert "FROM odoo:18.0" in dockerfile.splitlines()


def test_every_path_exists():
    compose = _compose()
    build = compose["services"]["odoo"]["build"]
    context = (DOCKER / build["context"]).resolve()
    assert context.is_dir()
    assert (context / build["dockerfile"]).is_file()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):
                assert (DOCKER / source).exists(), source
    # files the Dockerfile copies, relative to the build context
    for line in (context / build["dockerfile"]).read_text().splitlines():
        if line.startswith("COPY "):
            assert (context / line.split()[1]).exists(), line


def test_docker_conf_names_the_mounted_addons():
    conf = (DOCKER / "odoo.conf").read_text()
    assert "/mnt/extra-addons" in conf
    assert "db_host = db" in conf
