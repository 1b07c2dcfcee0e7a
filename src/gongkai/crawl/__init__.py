"""The polite crawler: fetch, archive (WARC), extract the site model.

Public API (others import only these)::

    from gongkai.crawl import CrawlConfig, crawl_site, crawl_many, extract_archive, fetch_url
    result = crawl_site("http://127.0.0.1:8000/", Path("out"), CrawlConfig(rate=2))
    result.archive, result.pages, result.errors, result.partial, result.faults, result.site_model
    model = extract_archive(result.archive)          # offline, no network
"""

from gongkai.crawl.attachments import attachment_text
from gongkai.crawl.classify import KINDS, classify
from gongkai.crawl.engine import crawl_many, crawl_site, fetch_url
from gongkai.crawl.extract import METADATA_FIELDS, attribute
from gongkai.crawl.fetch import Fetched
from gongkai.crawl.polite import USER_AGENT, CrawlConfig
from gongkai.crawl.result import CrawlResult
from gongkai.crawl.sitemodel import extract_archive

__all__ = [
    "KINDS",
    "METADATA_FIELDS",
    "USER_AGENT",
    "CrawlConfig",
    "CrawlResult",
    "Fetched",
    "attachment_text",
    "attribute",
    "classify",
    "crawl_many",
    "crawl_site",
    "extract_archive",
    "fetch_url",
]
