from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gongkai.web.testing import make_unit, make_user


@pytest.fixture
def city(db):
    """A small unit tree: two departments and a county with a township below it."""
    finance = make_unit("云岭市财政局", website="http://czj.example.gov.cn/")
    education = make_unit("云岭市教育局", website="http://jyj.example.gov.cn/")
    county = make_unit("云岭市南湖县人民政府", group="county", level="county")
    township = make_unit("云岭市南湖县白水镇人民政府", group="township", level="township", parent=county)
    return {"finance": finance, "education": education, "county": county, "township": township}


@pytest.fixture
def people(city):
    return {
        "admin": make_user("admin1", "admin"),
        "evaluator": make_user("eval1", "evaluator"),
        "liaison": make_user("finance_liaison", "liaison", unit=city["finance"]),
        "county_liaison": make_user("county_liaison", "liaison", unit=city["county"], include_subunits=True),
        "readonly": make_user("viewer", "readonly"),
    }


# The ledger's and the annual reports' web tests (models, permissions, statistics queries) are database
# tests too: run them again on PostgreSQL in `./run.sh test`'s second pass.
POSTGRES_TOO = ("tests/web/foi/", "tests/web/annual/")


def pytest_collection_modifyitems(items):
    for item in items:
        path = item.nodeid.replace("\\", "/")
        uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
            getattr(item, "fixturenames", ())
        )
        if path.startswith(POSTGRES_TOO) and uses_db:
            item.add_marker(pytest.mark.postgres)


@dataclass
class DemoRun:
    data_dir: Path
    env: dict
    result: subprocess.CompletedProcess | None


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """The whole demo, loaded once per session by the real command (`gongkai demo --no-serve`, ~70 s) into its
    own data directory and SQLite database. GONGKAI_TEST_DEMO_DIR names a directory where a demo is already
    loaded, to reuse it while working on the pages (result is then None)."""
    env = {**os.environ, "GONGKAI_DEMO_FLEET_PORT": "28101", "COLUMNS": "200"}
    env.pop("DATABASE_URL", None)
    reuse = os.environ.get("GONGKAI_TEST_DEMO_DIR")
    if reuse:
        return DemoRun(Path(reuse), env, None)
    data_dir = tmp_path_factory.mktemp("demo") / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "demo", "--no-serve", "--data-dir", str(data_dir)],
        cwd=data_dir.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return DemoRun(data_dir, env, result)
