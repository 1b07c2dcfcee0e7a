"""What a crawl hands back: `CrawlResult` per site, and the result of a site whose crawl finished before
(`kept_result`, read from its state file)."""

from __future__ import annotations

import copyreg
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.crawl.archive import archive_name
from gongkai.crawl.polite import host_of
from gongkai.crawl.sitemodel import extract_archive, make_link
from gongkai.crawl.state import CrawlState, state_path_of
from gongkai.model import Link, SiteModel

ModelCounts = tuple[int, int, int]  # columns, items, documents of a site model


@dataclass
class CrawlResult:
    """The outcome of one site's crawl. `site_model` is built by the crawl itself (`extract=True`), else
    extracted from the archive on first use.

    A worker process sends its results with the model packed (`pack_model`): unpickling a model costs
    about as much as assembling it, so the receiving process only pays for the models it reads, and a
    batch that only counts them (`model_counts`) never does."""

    site: str
    archive: Path
    pages: int
    errors: int
    partial: bool
    faults: list[str] = field(default_factory=list)
    reused: int = 0  # pages copied from the previous archive (unchanged)
    resumed: bool = False
    kept: bool = False  # finished before: its archive kept as it was, nothing fetched (batch rerun)
    rendered: int = 0  # script-filled pages read from the DOM a browser built (see crawl.render)
    elapsed_s: float = 0.0
    _model: SiteModel | None = field(default=None, repr=False)
    _packed: bytes | None = field(default=None, repr=False)
    _counts: ModelCounts | None = field(default=None, repr=False)

    @property
    def site_model(self) -> SiteModel:
        if self._model is None and self._packed is not None:
            self._model, self._packed = pickle.loads(self._packed), None
        elif self._model is None:
            self._model = extract_archive(self.archive, self.site)
        return self._model

    @property
    def model_counts(self) -> ModelCounts:
        """Columns, items and documents of the site model (kept when the model is packed or released)."""
        if self._counts is None:
            m = self.site_model
            self._counts = (len(m.columns), len(m.items), len(m.documents))
        return self._counts

    def pack_model(self) -> None:
        """Pickle the model now (before sending the result to another process), keeping its counts."""
        if self._model is not None:
            self.model_counts  # noqa: B018 - counted while the model is at hand
            self._packed, self._model = _pack(self._model), None

    def release_model(self) -> None:
        """Let the site model go (a batch keeps only what it needs of each site); reading `site_model`
        again rebuilds it from the archive."""
        self._model = self._packed = None


def kept_result(url: str, out_dir: Path) -> CrawlResult | None:
    """The result of the site's finished crawl in `out_dir`, as its state file tells it (the site model
    is read from the archive when asked for); None when the site has no finished crawl there."""
    archive = Path(out_dir) / archive_name(url)
    state = CrawlState.read(state_path_of(archive))
    if state is None or not state.finished or not archive.exists() or host_of(state.seed) != host_of(url):
        return None
    return CrawlResult(
        site=state.seed,
        archive=archive,
        pages=state.pages,
        errors=state.errors,
        partial=state.partial,
        faults=list(state.faults),
        reused=state.reused,
        rendered=state.rendered,
        kept=True,
    )


def _reduce_link(link: Link) -> tuple[object, tuple[object, ...]]:
    return make_link, (link.url, link.text, link.source, link.status, link.error, link.is_attachment)


# a site's links are most of its model's objects: pickled as their fields, not as a class and a dict
_PACKING = {**copyreg.dispatch_table, Link: _reduce_link}


def _pack(model: SiteModel) -> bytes:
    """The model pickled (`pickle.loads` gives it back equal), its links in a quarter less time."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _PACKING
    pickler.dump(model)
    return out.getvalue()
