from django.apps import AppConfig
from django.core import checks


class PlansConfig(AppConfig):
    name = "gongkai.web.plans"
    label = "plans"
    verbose_name = "工作要点"

    def ready(self) -> None:
        checks.register(check_areas)


def check_areas(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A work-areas file (GONGKAI_PLAN_AREAS) that cannot be read stops start-up with its Chinese message."""
    from gongkai.plans import AreasError, load_areas

    try:
        load_areas()
    except AreasError as exc:
        return [checks.Error(str(exc), hint="请修正环境变量 GONGKAI_PLAN_AREAS 指向的文件", id="plans.E001")]
    return []
