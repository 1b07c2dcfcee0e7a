"""Framework items scored from the 工作要点 (a leaf with ``plan``, as 晋江 scores its 要点 item): a unit gets the
item's points times the share of its task periods due by the round's data date (and those done early) that
are done, under the plan of that year. A unit with nothing due (or no plan for the year) gets no score there:
the item stays pending, for an evaluator to score by hand if the framework gives it a ``manual`` text."""

from __future__ import annotations

import datetime as dt

from gongkai.frameworks import Framework
from gongkai.plans import completion_points
from gongkai.web.plans import services
from gongkai.web.plans.models import Assignment, Plan


def plan_scores(framework: Framework, as_of: dt.date, units) -> dict[int, dict[str, float]]:
    """Per unit id, the points of each ``plan`` leaf of the framework."""
    leaves = [leaf for leaf in framework.leaves() if leaf.plan is not None]
    plan = Plan.objects.filter(year=as_of.year).first()
    if not leaves or plan is None:
        return {}
    wanted = {u.pk for u in units}
    out: dict[int, dict[str, float]] = {}
    for leaf in leaves:
        roles = (Assignment.LEAD,) if leaf.plan.units == "lead" else (Assignment.LEAD, Assignment.CO)
        for unit_id, c in services.completion(plan, as_of, roles, leaf.plan.areas).items():
            points = completion_points(leaf.points, c.done, c.counted)
            if unit_id in wanted and points is not None:
                out.setdefault(unit_id, {})[leaf.path] = points
    return out
