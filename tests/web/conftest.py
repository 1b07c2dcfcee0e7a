from __future__ import annotations

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
