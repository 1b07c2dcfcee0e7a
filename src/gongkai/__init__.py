"""gongkai (公开): the working platform of a 政务公开办.

Domain core (no Django): model, calendar, text, crawl, checks, frameworks, annual, foi, reports, jobs.
Platform: web (Django). Command line: cli.
"""

__version__ = "0.1.0"
