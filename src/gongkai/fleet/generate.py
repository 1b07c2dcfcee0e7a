"""The fleet: generating fictional government sites with a ground-truth manifest of injected defects.

A site is rebuilt deterministically from (fleet seed, site index, as_of) and its list of active defects
(fleet/build.py), so `Fleet.apply_fix` only drops a defect and rebuilds. Paths are site-relative
("/zfxxgk/index.html"); the server gives each site its own loopback port, and `FleetSite.manifest` turns
paths into absolute URLs once a host is known. The model and the URL paths are in fleet/model.py, the
choosing and applying of defects in fleet/defects.py.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.fleet import defects as defect_classes
from gongkai.fleet import layouts
from gongkai.fleet.build import build_site
from gongkai.fleet.defects import DEFECT_CHECKS
from gongkai.fleet.model import (
    CMS_STYLES,
    COLUMNS,
    HANWEB_DOWNLOAD,
    PAGE_SIZE,
    Defect,
    FColumn,
    FItem,
    SiteData,
    defect_from_dict,
    hanweb_download,
    zhuanlan_path,
)
from gongkai.fleet.names import CITY, make_names


@dataclass
class FleetSite:
    """One fictional unit's site."""

    index: int
    name: str  # short name (市教育局, 云溪县, 白石镇)
    full_name: str
    group: str  # county | department | township
    cms: str  # trs | hanweb | gkmlpt
    seed: int
    as_of: dt.date
    topic: str = ""
    defects: list[Defect] = field(default_factory=list)
    fixed: list[Defect] = field(default_factory=list)
    host: str = ""  # "127.0.0.1:PORT" once served
    scale: float = 1.0
    chrome: bool = False  # pages carry a real site's furniture (styles, scripts, 友情链接): ~28 KB each
    variety: layouts.Variety | None = None  # the 专栏's layout, vocabulary and list markup; None: classic
    _data: SiteData | None = field(default=None, repr=False, compare=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}" if self.host else ""

    @property
    def url(self) -> str:
        return self.base_url + "/"

    @property
    def manifest(self) -> list[dict[str, str]]:
        """Ground truth: each active defect with absolute URLs when the site is served."""
        out = []
        for d in self.defects:
            subject = self.base_url + d.subject if d.subject.startswith("/") else d.subject
            out.append({"check": d.check, "subject": subject, "url": self.base_url + d.url})
        return out

    @property
    def data(self) -> SiteData:
        if self._data is None:
            self._data = build_site(self)
        return self._data

    @property
    def columns_truth(self) -> list[dict[str, str]]:
        """Every column the site shows: name, path, parent path, found_by, kind (`layouts.truth`)."""
        return layouts.truth(self)

    def invalidate(self) -> None:
        self._data = None

    def column(self, key: str) -> FColumn | None:
        return next((c for c in self.data.columns if c.key == key), None)

    def as_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "name": self.name,
            "full_name": self.full_name,
            "group": self.group,
            "cms": self.cms,
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "topic": self.topic,
            "scale": self.scale,
            "chrome": self.chrome,
            "host": self.host,
            "variety": self.variety.as_dict() if self.variety else None,
            "defects": [d.as_dict() for d in self.defects],
            "fixed": [d.as_dict() for d in self.fixed],
        }


@dataclass
class Fleet:
    """A set of sites of one fictional city, their common as_of date and seed."""

    seed: int
    as_of: dt.date
    sites: list[FleetSite]

    def site(self, name: str) -> FleetSite:
        for s in self.sites:
            if name in (s.name, s.full_name):
                return s
        raise KeyError(f"舰队中没有名为“{name}”的站点")

    @property
    def manifest(self) -> dict[str, list[dict[str, str]]]:
        return {s.name: s.manifest for s in self.sites}

    def apply_fix(self, site_name: str, defect: dict[str, str] | Defect | str) -> bool:
        """Remove a defect (by manifest entry, Defect or check id) from a site; True if one was removed."""
        site = self.site(site_name)
        if isinstance(defect, str):
            match = [d for d in site.defects if d.check == defect][:1]
        else:
            check = defect.check if isinstance(defect, Defect) else defect["check"]
            subject = defect.subject if isinstance(defect, Defect) else defect.get("subject", "")
            match = [
                d
                for d in site.defects
                if d.check == check and (not subject or subject.endswith(d.subject) or d.subject == subject)
            ][:1]
        if not match:
            return False
        keys = {match[0].key} if match[0].key else set()
        gone = [d for d in site.defects if d is match[0] or (keys and d.key in keys)]
        site.defects = [d for d in site.defects if d not in gone]
        site.fixed.extend(gone)
        site.invalidate()
        return True

    def save(self, directory: Path) -> Path:
        """Write fleet.json (sites, defects, manifest); the pages are rebuilt from it on load."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "fleet.json"
        doc = {
            "seed": self.seed,
            "as_of": self.as_of.isoformat(),
            "sites": [s.as_dict() for s in self.sites],
            "manifest": self.manifest,
            # every column each site shows, with its parent and how its catalogue shows it
            "columns": {s.name: s.columns_truth for s in self.sites},
        }
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> Fleet:
        path = Path(directory)
        if path.is_dir():
            path = path / "fleet.json"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取舰队文件 {path}：{exc}") from exc
        sites = []
        for s in doc["sites"]:
            site = FleetSite(
                index=s["index"],
                name=s["name"],
                full_name=s["full_name"],
                group=s["group"],
                cms=s["cms"],
                seed=s["seed"],
                as_of=dt.date.fromisoformat(s["as_of"]),
                topic=s.get("topic", ""),
                scale=s.get("scale", 1.0),
                chrome=s.get("chrome", False),
                host=s.get("host", ""),
                variety=layouts.Variety(**s["variety"]) if s.get("variety") else None,
            )
            site.defects = [defect_from_dict(d) for d in s["defects"]]
            site.fixed = [defect_from_dict(d) for d in s.get("fixed", [])]
            sites.append(site)
        return cls(seed=doc["seed"], as_of=dt.date.fromisoformat(doc["as_of"]), sites=sites)


def generate_fleet(
    n_sites: int,
    seed: int,
    defect_rate: float = 0.15,
    cms_mix: tuple[str, ...] | dict[str, float] = CMS_STYLES,
    *,
    as_of: dt.date | None = None,
    groups: tuple[str, ...] = ("county", "department", "township"),
    scale: float = 1.0,
    chrome: bool = False,
    variety: bool = False,
) -> Fleet:
    """Generate `n_sites` sites; each defect class is injected into a site with probability `defect_rate`.

    `cms_mix` is a tuple of styles used round-robin, or a dict style -> weight. `groups` cycle over the
    sites (county, department, township ...). `scale` multiplies the number of news/notice items
    (about 150 pages per site at 1.0, 300 at 2.6). `chrome` gives every page the furniture of a real
    site (`gongkai.fleet.chrome`), which makes it ~28 KB instead of ~3 KB and changes no site model.
    `variety` gives each site a 专栏 layout, column vocabulary and list markup chosen from the seed
    (`gongkai.fleet.layouts`); without it every site keeps the classic form.
    """
    as_of = as_of or dt.date.today()
    rng = random.Random(f"fleet-{seed}")
    group_list = [groups[i % len(groups)] for i in range(n_sites)]
    names = make_names(rng, n_sites, group_list)
    sites = []
    for i, unit in enumerate(names):
        if isinstance(cms_mix, dict):
            styles, weights = zip(*cms_mix.items(), strict=True)
            cms = rng.choices(styles, weights)[0]
        else:
            cms = cms_mix[i % len(cms_mix)]
        site = FleetSite(
            index=i,
            name=unit.short,
            full_name=unit.full,
            group=unit.group,
            cms=cms,
            seed=seed,
            as_of=as_of,
            topic=unit.topic,
            scale=scale,
            chrome=chrome,
            variety=layouts.choose(seed, i, cms) if variety else None,
        )
        site.defects = choose_defects(site, random.Random(f"defects-{seed}-{i}"), defect_rate)
        site.invalidate()
        sites.append(site)
    return Fleet(seed=seed, as_of=as_of, sites=sites)


def choose_defects(site: FleetSite, rng: random.Random, rate: float) -> list[Defect]:
    """Pick defect classes for a site and resolve their subjects against the defect-free build."""
    site.defects = []
    return defect_classes.choose(site, build_site(site), rng, rate)


__all__ = [
    "CITY",
    "CMS_STYLES",
    "COLUMNS",
    "DEFECT_CHECKS",
    "HANWEB_DOWNLOAD",
    "PAGE_SIZE",
    "Defect",
    "FColumn",
    "FItem",
    "Fleet",
    "FleetSite",
    "SiteData",
    "build_site",
    "choose_defects",
    "generate_fleet",
    "hanweb_download",
    "zhuanlan_path",
]
