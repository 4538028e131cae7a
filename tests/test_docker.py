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


def _requirement_names(path):
    names = []
    for raw in path.read_text().splitlines():
        spec = raw.split("#", 1)[0].strip()
        if spec and not spec.startswith("-"):
            names.append(spec)
    return names


def test_image_installs_the_addons_requirements():
    """The image's Python packages are exactly requirements-addons.txt (copied in and installed with -r),
    which requirements.txt includes for the local environment; CJK fonts are in the image too."""
    root = DOCKER.parent
    lines = (DOCKER / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    copies = {parts[2]: parts[1] for parts in (ln.split() for ln in lines) if parts[:1] == ["COPY"] and len(parts) == 3}
    pip_lines = [ln for ln in lines if "pip" in ln and " install " in ln]
    assert pip_lines, "the Dockerfile installs no Python package"
    for line in pip_lines:
        words = line.split()
        assert "-r" in words, "packages named inline drift from requirements-addons.txt: %s" % line
        installed = words[words.index("-r") + 1]
        assert copies.get(installed) == "requirements-addons.txt", (installed, copies)
    addons_reqs = _requirement_names(root / "requirements-addons.txt")
    assert addons_reqs and all("==" in spec for spec in addons_reqs), addons_reqs
    assert "-r requirements-addons.txt" in (root / "requirements.txt").read_text().splitlines()
    assert "fonts-noto-cjk" in " ".join(lines)


def test_odoo_waits_for_a_healthy_postgres():
    services = _compose()["services"]
    assert services["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
